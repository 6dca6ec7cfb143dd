"""Real mail servers for tests, on 127.0.0.1, answering as a script says.

- :class:`ScriptedSMTP`: an aiosmtpd server. Each stage (MAIL FROM, RCPT TO, DATA) pops
  its next scripted reply, or accepts; AUTH accepts one password; ``delay`` slows every
  DATA down (a slow relay); ``on_message`` runs for each accepted message, in the server's
  thread, so a test can change the database between two sends of one batch; while
  ``holding``, it takes a whole message and keeps the reply to DATA back until
  :meth:`ScriptedSMTP.release`: the moment a sender cannot know whether the message went.
- :class:`PostmarkStandIn`: an HTTP server speaking Postmark's API to anymail's real
  Postmark backend, answering POST /email from a script of (status, JSON) replies, or by a
  function of the request.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ScriptedSMTP:
    def __init__(self, *, password: str | None = None, delay: float = 0.0) -> None:
        self.mail_replies: list[str] = []
        self.rcpt_replies: list[str] = []
        self.data_replies: list[str] = []
        self.password = password
        self.delay = delay
        self.messages: list[Message] = []
        self.on_message: Callable[[Message], None] | None = None
        self.holding = False
        self._release = threading.Event()
        self.port = free_port()
        options = {}
        if password is not None:
            options = {"authenticator": self._authenticate, "auth_require_tls": False}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        # handled=False: the server itself answers a refusal, with 535.
        return AuthResult(success=auth_data.password.decode() == self.password, handled=False)

    async def handle_MAIL(self, server, session, envelope, address, options) -> str:
        if self.mail_replies:
            return self.mail_replies.pop(0)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay:
            time.sleep(self.delay)  # blocks this server on purpose: one slow relay
        if self.data_replies:
            return self.data_replies.pop(0)
        message = message_from_bytes(envelope.content)
        self.messages.append(message)
        if self.on_message is not None:
            self.on_message(message)
        if self.holding:
            await asyncio.get_running_loop().run_in_executor(None, self._release.wait, 60)
        return "250 Message accepted"

    def wait_for_messages(self, count: int, *, timeout: float = 30) -> bool:
        """Whether ``count`` messages reached the server within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(self.messages) >= count

    def release(self) -> None:
        """Answer the held DATA, and every later one at once."""
        self.holding = False
        self._release.set()

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]

    def use(self, settings, *, user: str = "", password: str = "") -> ScriptedSMTP:
        """Point Django's SMTP backend at this server."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", self.port, 5
        settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = user, password
        settings.EMAIL_USE_TLS = False
        return self

    def __enter__(self) -> ScriptedSMTP:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self.controller.stop()


class PostmarkStandIn:
    """Answers POST /email from a script of (status, JSON) replies; records what it got.

    With ``answer`` set, each reply comes from ``answer(request)`` instead of the script.
    """

    def __init__(self, replies: list[tuple[int, dict]] | None = None) -> None:
        self.replies = list(replies or [])
        self.requests: list[dict] = []
        self.answer: Callable[[dict], tuple[int, dict]] | None = None
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                request = {
                    "path": self.path,
                    "token": self.headers.get("X-Postmark-Server-Token"),
                    "body": json.loads(self.rfile.read(length) or b"{}"),
                }
                stand_in.requests.append(request)
                if stand_in.answer is not None:
                    status, payload = stand_in.answer(request)
                else:
                    status, payload = (
                        stand_in.replies.pop(0) if stand_in.replies else accepted(request)
                    )
                request["status"] = status
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def accepted_subjects(self) -> list[str]:
        return [r["body"].get("Subject") for r in self.requests if r.get("status") == 200]

    def __enter__(self) -> PostmarkStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def accepted(request: dict | str) -> tuple[int, dict]:
    """Postmark's answer to a message it took."""
    to = request if isinstance(request, str) else request["body"].get("To", "")
    return 200, {
        "To": to,
        "SubmittedAt": "2026-03-10T12:00:00.0000000Z",
        "MessageID": str(uuid.uuid4()),
        "ErrorCode": 0,
        "Message": "OK",
    }
