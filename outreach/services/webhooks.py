"""Replies and delivery news from the ESP, through anymail's inbound and tracking webhooks.

anymail checks the webhook secret (HTTP basic auth) before any signal fires. Each event is
processed once: its id is stored in the same transaction as its effect, so a redelivery finds
the id taken and does nothing, and a crash part-way leaves neither behind for the retry.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from interviews.invitation_services import invitation_receive
from interviews.invitations import InvitationError, invitation_parse
from interviews.models import Application, Contact
from outreach.merge import one_line
from outreach.models import Outreach, WebhookEvent
from outreach.services.timeline import outreach_record

logger = logging.getLogger(__name__)

_CALENDAR_TYPES = {"text/calendar", "application/ics"}
# Invitation emails carry the event twice (inline and attached); more parts are junk.
_MAX_CALENDAR_PARTS = 4

_TRACKED = {
    "delivered": Outreach.Delivery.DELIVERED,
    "bounced": Outreach.Delivery.BOUNCED,
    "complained": Outreach.Delivery.COMPLAINED,
}
# A delivery report never overwrites a bounce or a complaint that arrived first.
_DELIVERED_FROM = (
    Outreach.Delivery.SENDING,
    Outreach.Delivery.SENT,
    Outreach.Delivery.UNCERTAIN,
)


def webhooks_secured() -> bool:
    """Without a webhook secret anyone could post replies: then nothing is recorded."""
    secret = getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET")
    return bool(secret)


def _claim_event(*, esp: str, event_id: str, kind: str) -> bool:
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(esp=esp, event_id=event_id[:255], kind=kind)
    except IntegrityError:
        return False
    return True


def _event_id(event, *parts: object) -> str:
    if event.event_id:
        return str(event.event_id)
    # Postmark sends no id with delivery reports: derive a stable one from what it does send.
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return f"derived:{digest}"


def _inbound_user(addresses: list[str]) -> User | None:
    """The user whose secret address ``reply+<token>@INBOUND_DOMAIN`` is among the recipients.

    A deactivated account is found too: a reply from an interviewer is the user's data, kept
    for when the account is back, never dropped because nobody can read it today.
    """
    domain = getattr(settings, "INBOUND_DOMAIN", "").lower()
    if not domain:
        return None
    # The domain is case-insensitive; the token is not.
    pattern = re.compile(r"^reply\+([A-Za-z0-9_-]{16,64})$")
    for address in addresses:
        local, _, host = address.strip().rpartition("@")
        match = pattern.match(local)
        if match is None or host.lower() != domain:
            continue
        user = User.objects.filter(inbound_token=match.group(1)).first()
        if user is not None:
            return user
    return None


def _application_for(*, user: User, contact: Contact) -> Application | None:
    """The application a reply from this person belongs to: the one we last wrote about."""
    last = (
        Outreach.objects.filter(user=user, contact=contact, direction=Outreach.Direction.OUTGOING)
        .select_related("application")
        .order_by("-occurred_at", "-pk")
        .first()
    )
    if last is not None:
        return last.application
    applications = Application.objects.filter(user=user).order_by("-updated_at")
    return applications.filter(interviews__interviewers=contact).first() or (
        applications.filter(company=contact.company).first() if contact.company else None
    )


def _calendar_parts(message) -> list[bytes]:
    """The calendar data in a message: text/calendar parts and .ics attachments."""
    found = []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = (part.get_filename() or "").lower()
        if part.get_content_type() in _CALENDAR_TYPES or filename.endswith(".ics"):
            found.append(part.get_payload(decode=True) or b"")
    return found


def _from_the_user(*, user: User, sender: str) -> bool:
    """Invitations are taken only from the user's own, verified address, forwarding them.

    The secret address already says whose mail this is; the sender check keeps anyone who
    learned the address from putting interviews into the user's calendar.
    """
    return bool(sender) and user.email_verified and sender.lower() == user.email.lower()


def _invitation_receive(*, user: User, calendars: list[bytes], event_id: str) -> None:
    """Import the first calendar part that reads as an invitation; log why if none does.

    A bad file is the user's mistake, not the ESP's: it is logged and the webhook still
    answers 200, so the ESP does not retry it forever. The event is read in the same
    transaction as the event id claim, so a crash leaves neither behind.
    """
    problems = []
    for data in calendars[:_MAX_CALENDAR_PARTS]:
        try:
            event = invitation_parse(
                data=data,
                user_zone=user.timezone,
                max_bytes=settings.INVITATION_MAX_BYTES,
                max_events=settings.INVITATION_MAX_EVENTS,
                now=timezone.now(),
            )
        except InvitationError as error:
            problems.append(str(error))
            continue
        result = invitation_receive(user=user, event=event)
        logger.info("Inbound invitation %s for user %s: %s", event_id, user.pk, result.outcome)
        return
    logger.info("Inbound email %s held no readable invitation: %s", event_id, problems[:1])


def inbound_receive(*, esp: str, event) -> Outreach | None:
    """Record a reply from a known contact; ignore everything else.

    1. Refuse everything when no webhook secret is configured.
    2. Find the user by the secret address among the recipients, never by From alone.
       An invitation (a calendar part) forwarded from the user's own verified address
       becomes an interview instead (``interviews.invitation_services.invitation_receive``).
    3. The sender must be one of that user's contacts; an unknown sender is logged and dropped.
    4. Process the event id once.
    5. Record an incoming outreach; the rules cancel the pending call (R8). For a deactivated
       account it is marked, so the dashboard shows it when the account is back.
    """
    if not webhooks_secured():
        logger.error("Inbound email ignored: set ANYMAIL_WEBHOOK_SECRET to accept replies.")
        return None
    message = event.message
    if message is None:
        return None
    recipients = [a.addr_spec for a in (message.to + message.cc + message.bcc)]
    if message.envelope_recipient:
        recipients.append(message.envelope_recipient)
    sender = message.from_email.addr_spec if message.from_email else ""
    event_id = _event_id(event, "inbound", message.get("Message-ID", ""), sender)
    with transaction.atomic():
        user = _inbound_user(recipients)
        if user is None:
            logger.info("Inbound email %s is not addressed to any user; ignored", event_id)
            return None
        calendars = _calendar_parts(message)
        if calendars and _from_the_user(user=user, sender=sender):
            if _claim_event(esp=esp, event_id=event_id, kind="inbound"):
                _invitation_receive(user=user, calendars=calendars, event_id=event_id)
            return None
        contact = (
            Contact.objects.filter(user=user, email__iexact=sender).order_by("pk").first()
            if sender
            else None
        )
        if contact is None:
            logger.info("Inbound email %s from an unknown sender; ignored", event_id)
            return None
        application = _application_for(user=user, contact=contact)
        if application is None:
            logger.info("Inbound email %s matches no application; ignored", event_id)
            return None
        # Claimed only now: mail for nobody (or junk) leaves no event id behind.
        if not _claim_event(esp=esp, event_id=event_id, kind="inbound"):
            logger.info("Inbound event %s already processed", event_id)
            return None
        # A NUL byte is legal in JSON but PostgreSQL cannot store it: the ESP would retry the
        # 500 forever. No reader misses it.
        text = (message.stripped_text or message.text or "").replace("\x00", "")
        reply = outreach_record(
            user=user,
            application=application,
            contact=contact,
            direction=Outreach.Direction.INCOMING,
            purpose=Outreach.Purpose.REPLY,
            channel=Outreach.Channel.EMAIL,
            occurred_at=timezone.now(),
            subject=one_line((message.subject or "").replace("\x00", ""))[:300],
            body=text[:20000],
        )
        if not user.is_active:
            logger.info("Inbound email %s kept for deactivated user %s", event_id, user.pk)
            Outreach.objects.filter(pk=reply.pk).update(received_while_inactive=True)
            reply.received_while_inactive = True
        return reply


def tracking_receive(*, esp: str, event) -> int:
    """Update the delivery of the outreach the ESP reports on; returns rows changed.

    One message goes to the contact with the user in CC, and the ESP reports on each
    recipient under the same message id. Only a report naming the contact's own address
    counts: a bounce of the user's copy says nothing about whether the contact got theirs.
    """
    if not webhooks_secured():
        logger.error("Tracking event ignored: set ANYMAIL_WEBHOOK_SECRET to accept them.")
        return 0
    delivery = _TRACKED.get(event.event_type)
    recipient = (event.recipient or "").strip()
    if delivery is None or not event.message_id or not recipient:
        return 0
    event_id = _event_id(event, event.event_type, event.message_id, recipient, event.timestamp)
    detail = one_line((event.description or event.mta_response or "").replace("\x00", ""))[:2000]
    with transaction.atomic():
        if not _claim_event(esp=esp, event_id=event_id, kind=str(event.event_type)):
            return 0
        outreaches = Outreach.objects.filter(
            esp_message_id=str(event.message_id),
            direction=Outreach.Direction.OUTGOING,
            contact__email__iexact=recipient,
        )
        if delivery == Outreach.Delivery.DELIVERED:
            outreaches = outreaches.filter(delivery__in=_DELIVERED_FROM)
        return outreaches.update(delivery=delivery, delivery_detail=detail)
