"""An SMTP server that keeps what it receives, for tests that send mail over real sockets.

aiosmtpd runs the server in a thread of the test process; the app's processes reach it with
Django's own SMTP backend (EMAIL_HOST/EMAIL_PORT), exactly as they would reach a relay.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.mail_servers import free_port


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the sink got it: the SMTP envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        return body.get_content() if body is not None else ""


class _Keep:
    """The aiosmtpd handler: parse each message and append it, under a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[ReceivedMail] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(
                ReceivedMail(
                    mail_from=envelope.mail_from,
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    message=parsed,  # type: ignore[arg-type]
                )
            )
        return "250 Message accepted for delivery"


class SmtpSink:
    """The running sink: where to send mail, and what has arrived."""

    def __init__(self, host: str, port: int, handler: _Keep) -> None:
        self.host = host
        self.port = port
        self._handler = handler

    def messages(
        self,
        *,
        header: str | None = None,
        value: str | None = None,
        to: str | None = None,
        subject: str | None = None,
    ) -> list[ReceivedMail]:
        """Messages received so far, oldest first.

        ``header`` keeps those that carry the header (with ``value``, only those where it
        equals ``value``, case-insensitively); ``to`` keeps those whose envelope names that
        recipient; ``subject`` those whose subject contains it. E.g. the verification email:
        ``messages(header="X-Followup-Purpose", value="email-verification", to=address)``.
        """
        with self._handler.lock:
            found = list(self._handler.received)
        if header is not None:
            found = [m for m in found if m.message.get(header) is not None]
            if value is not None:
                found = [
                    m for m in found if str(m.message.get(header)).strip().lower() == value.lower()
                ]
        if to is not None:
            found = [m for m in found if to.lower() in {r.lower() for r in m.rcpt_tos}]
        if subject is not None:
            found = [m for m in found if subject in m.subject]
        return found

    def wait_for(self, *, timeout: float, **filters: str) -> list[ReceivedMail]:
        """Poll ``messages(**filters)`` until it is non-empty or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.messages(**filters)
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.5)


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    """Run an SMTP sink on a free local port for the duration of the block."""
    handler = _Keep()
    host, port = "127.0.0.1", free_port()
    controller = Controller(handler, hostname=host, port=port)
    controller.start()
    try:
        yield SmtpSink(host, port, handler)
    finally:
        controller.stop()
