"""Every email sent to or received from a contact, rebuilt as an RFC 5322 message (.eml).

The timeline keeps what an email said, who it was with and when, not the raw message, so
the message is reconstructed: From and To from the user and the contact, Date from when it
happened, the subject and the text body. An email the app sent itself carries the headers
it went out with (From the app in the user's name, Reply-To and CC the user); one the user
sent from their own mail program is from their address. Header values go through
``one_line``, so nothing typed can add a header.
"""

from __future__ import annotations

from collections.abc import Iterator
from email import charset, policy
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr

from django.conf import settings

from accounts.models import User
from outreach.merge import one_line
from outreach.models import Outreach

UNDISCLOSED = "undisclosed-recipients:;"
# The compat32 classes, not email.message.EmailMessage: the modern policy parses every
# header it is given again, which made a message take 5 ms to build instead of 1.
_CRLF = policy.compat32.clone(linesep="\r\n")
_UTF8_QP = charset.Charset("utf-8")
_UTF8_QP.body_encoding = charset.QP


def _address(name: str, email: str) -> str:
    return formataddr((one_line(name), email), charset="utf-8") if name else email


def _text(value: str) -> str | Header:
    value = one_line(value)
    return value if value.isascii() else Header(value, "utf-8")


def outreach_eml(outreach: Outreach, *, user: User) -> bytes:
    """One email of the timeline as an .eml file (CRLF line ends, UTF-8 where needed)."""
    message = MIMEText(outreach.body or "", "plain", _UTF8_QP)
    user_address = _address(user.full_name, user.email)
    contact = outreach.contact
    contact_address = (
        _address(contact.name, contact.email) if contact is not None and contact.email else ""
    )
    if outreach.direction == Outreach.Direction.INCOMING:
        message["From"] = contact_address or UNDISCLOSED
        message["To"] = user_address
    elif outreach.delivery:
        # Sent through the app: as outreach.services.delivery.draft_message built it.
        _, app_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        message["From"] = _address(user.full_name or user.email, app_address)
        message["To"] = contact_address or UNDISCLOSED
        message["Cc"] = user_address
        message["Reply-To"] = user_address
    else:
        message["From"] = user_address
        message["To"] = contact_address or UNDISCLOSED
    message["Subject"] = _text(outreach.subject)
    message["Date"] = format_datetime(outreach.occurred_at)
    message["Message-ID"] = f"<outreach-{outreach.pk}@followup>"
    message["X-Followup-Purpose"] = _text(outreach.get_purpose_display())
    message["X-Followup-Application"] = _text(str(outreach.application))
    if outreach.delivery:
        message["X-Followup-Delivery"] = _text(outreach.get_delivery_display())
    if outreach.esp_message_id:
        message["X-Followup-ESP-Message-ID"] = _text(outreach.esp_message_id)
    return message.as_bytes(policy=_CRLF)


def emails_eml(user_id: int) -> Iterator[tuple[str, bytes]]:
    """The export's emails/ folder: one .eml per email on the user's timeline."""
    user = User.objects.get(pk=user_id)
    emails = (
        Outreach.objects.filter(user_id=user_id, channel=Outreach.Channel.EMAIL)
        .select_related("contact", "application__company")
        .order_by("occurred_at", "pk")
    )
    for outreach in emails.iterator(chunk_size=500):
        stamp = outreach.occurred_at.strftime("%Y-%m-%d_%H%M")
        direction = "received" if outreach.direction == Outreach.Direction.INCOMING else "sent"
        yield f"emails/{stamp}_{direction}_{outreach.pk}.eml", outreach_eml(outreach, user=user)
