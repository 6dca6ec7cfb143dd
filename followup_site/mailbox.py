"""Mail captured on disk in the embedded mode, and the pages that read it.

In the embedded mode nothing leaves the machine: every message is written as one ``.eml``
file under ``var/mail/``, and ``/mail/`` shows it to a signed-in user. The pages exist only in
development mode (DEBUG on, mail captured); production refuses to start without a backend
that delivers.

Anyone can sign up with any address, so the pages must not become a way to read someone
else's mail: a user sees only messages to or from their own address, and only once they have
proved it is theirs. Before that they see just the verification email addressed to them,
which is how a development sign-up without a real inbox proves its address. A superuser (the
developer, who can read ``var/mail/`` on disk anyway) sees everything.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage as ParsedMessage
from email.utils import getaddresses, parsedate_to_datetime
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

# The verification email carries PURPOSE_HEADER: the one message an unverified user may read.
from accounts.account_emails import PURPOSE_HEADER, VERIFICATION_PURPOSE

# A UTC timestamp (with microseconds, so names sort in sending order) and a random suffix.
_NAME = re.compile(r"^[0-9TZ]{16,23}-[0-9a-f]{32}$")
# Bcc never appears in the written headers, so the envelope recipients are kept here.
_ENVELOPE_HEADER = "X-Captured-Envelope-To"
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


class CapturedMailBackend(BaseEmailBackend):
    """Write each message to its own file; the rename makes a half-written file invisible."""

    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        directory = Path(settings.CAPTURED_MAIL_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            name = f"{stamp}-{uuid.uuid4().hex}"
            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
            try:
                mime = message.message()
                mime[_ENVELOPE_HEADER] = ", ".join(message.recipients())
                with os.fdopen(fd, "wb") as handle:
                    handle.write(mime.as_bytes(linesep="\r\n"))
                os.replace(tmp, directory / f"{name}.eml")
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent


@dataclass(frozen=True)
class CapturedMessage:
    id: str
    message: ParsedMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    @property
    def sender(self) -> str:
        return str(self.message.get("From", ""))

    @property
    def to(self) -> str:
        return str(self.message.get("To", ""))

    @property
    def date(self) -> datetime | None:
        raw = self.message.get("Date")
        try:
            return parsedate_to_datetime(str(raw)) if raw else None
        except (TypeError, ValueError):
            return None

    @property
    def recipients(self) -> set[str]:
        keys = ("To", "Cc", "Bcc", _ENVELOPE_HEADER)
        fields = [str(v) for key in keys for v in self.message.get_all(key, [])]
        return {address.lower() for _, address in getaddresses(fields) if address}

    @property
    def senders(self) -> set[str]:
        """Whom the message speaks for: From, Sender and Reply-To."""
        keys = ("From", "Sender", "Reply-To")
        fields = [str(v) for key in keys for v in self.message.get_all(key, [])]
        return {address.lower() for _, address in getaddresses(fields) if address}

    @property
    def purpose(self) -> str:
        return str(self.message.get(PURPOSE_HEADER, "")).strip().lower()

    def visible_to(self, user) -> bool:
        if user.is_superuser:
            return True
        address = user.email.lower()
        if not user.email_verified:
            return address in self.recipients and self.purpose == VERIFICATION_PURPOSE
        return address in self.recipients or address in self.senders

    def part(self, subtype: str) -> str | None:
        body = self.message.get_body(preferencelist=(subtype,))
        if body is None or body.get_content_subtype() != subtype:
            return None
        try:
            return body.get_content()
        except (LookupError, UnicodeError):
            # An unknown or lying charset: show what can be read rather than fail.
            payload = body.get_payload(decode=True) or b""
            return payload.decode("utf-8", errors="replace")

    @property
    def text(self) -> str:
        return self.part("plain") or ""

    @property
    def html(self) -> str | None:
        return self.part("html")


def _load(path: Path) -> CapturedMessage:
    with path.open("rb") as handle:
        parsed = email.message_from_binary_file(handle, policy=email.policy.default)
    return CapturedMessage(id=path.stem, message=parsed)  # type: ignore[arg-type]


def captured_messages(*, recipient: str | None = None) -> list[CapturedMessage]:
    """All captured messages, newest first; only those to ``recipient`` when given."""
    directory = Path(settings.CAPTURED_MAIL_DIR)
    if not directory.is_dir():
        return []
    messages = [_load(path) for path in sorted(directory.glob("*.eml"), reverse=True)]
    if recipient is not None:
        messages = [m for m in messages if recipient.lower() in m.recipients]
    return messages


def captured_messages_visible_to(user) -> list[CapturedMessage]:
    """The captured messages ``user`` may read, newest first."""
    return [message for message in captured_messages() if message.visible_to(user)]


def _visible_message(request: HttpRequest, message_id: str) -> CapturedMessage:
    if not _NAME.match(message_id):
        raise Http404
    path = Path(settings.CAPTURED_MAIL_DIR) / f"{message_id}.eml"
    if not path.is_file():
        raise Http404
    message = _load(path)
    if not message.visible_to(request.user):
        raise Http404
    return message


def _development_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 unless mail is captured in development mode.

    The URLs are mounted only then; this also holds if they are ever included elsewhere.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not settings.MAIL_CAPTURE_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@_development_only
@login_required
@require_GET
def mailbox_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "mailbox/list.html", {"messages_": captured_messages_visible_to(request.user)}
    )


@_development_only
@login_required
@require_GET
def mailbox_detail(request: HttpRequest, message_id: str) -> HttpResponse:
    return render(request, "mailbox/detail.html", {"mail": _visible_message(request, message_id)})


@_development_only
@login_required
@require_GET
def mailbox_html(request: HttpRequest, message_id: str) -> HttpResponse:
    """The HTML part, sandboxed: no scripts, and links open in the whole window."""
    html = _visible_message(request, message_id).html
    if html is None:
        raise Http404
    # The <base> goes inside <head> when there is one: before a doctype it would push the
    # message into quirks mode.
    base = '<base target="_top">'
    html, found = _HEAD.subn(lambda match: match.group(0) + base, html, count=1)
    if not found:
        html = base + html
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        "sandbox allow-popups allow-popups-to-escape-sandbox "
        "allow-top-navigation-by-user-activation; default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
    )
    # The detail page frames this part; everything else stays unframeable.
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
