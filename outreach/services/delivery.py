"""Getting a draft to the interviewer: through the app, or by the user's own means.

Email to an interviewer is at-most-once (DESIGN section 5): the draft is claimed before it is
sent, and an outcome we cannot be sure of is shown to the user to check, never resent on its
own. Every way a message goes out becomes an Outreach on the application's timeline through
``outreach_record``, so the follow-up rules see it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from email.utils import formataddr, parseaddr
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from interviews.models import Application, Contact
from outreach.mail_errors import certainly_not_sent
from outreach.merge import one_line
from outreach.models import PURPOSE_OF_OCCASION, Draft, Outreach
from outreach.send_guard import app_send_refusal, gap_allowed_from
from outreach.services.timeline import outreach_record

logger = logging.getLogger(__name__)


class SendRefused(ValidationError):
    """Sending is not allowed (unverified sender, daily cap, too soon, or no address)."""


class DraftChanged(ValidationError):
    """The draft is no longer as the user's page showed it (resolved, sent again, or sent in
    another tab meanwhile): nothing was done."""


def _from_address(user) -> str:
    """The app's own address, with the user's name as display name."""
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((one_line(user.full_name or user.email), address))


def _user_address(user) -> str:
    return formataddr((one_line(user.full_name), user.email)) if user.full_name else user.email


def draft_message(*, draft: Draft, connection=None) -> EmailMessage:
    """The email the app sends: From the app as the user, Reply-To and CC the user.

    The recipient comes only from the Contact's validated address, never from the text, and
    the subject is put on one line, so nothing typed into the draft can reach a header.
    Reply-To and CC are the user's address only once they have verified it; before, no
    message is built at all.
    """
    user = draft.user
    if not user.email_verified:
        raise SendRefused(app_send_refusal(user=user))
    return EmailMessage(
        subject=one_line(draft.subject),
        body=draft.body,
        from_email=_from_address(user),
        to=[draft.contact.email],
        cc=[_user_address(user)],
        reply_to=[_user_address(user)],
        connection=connection,
    )


def draft_eml(*, draft: Draft) -> bytes:
    """An unsent .eml the user opens in their own mail program, from their own address."""
    message = EmailMessage(
        subject=one_line(draft.subject),
        body=draft.body,
        from_email=_user_address(draft.user),
        to=[draft.contact.email],
        headers={"X-Unsent": "1"},
    )
    return message.message().as_bytes()


def draft_mailto(*, draft: Draft) -> str:
    """A mailto: link with the subject and body URL-encoded."""
    query = "subject={}&body={}".format(
        quote(one_line(draft.subject), safe=""),
        quote(draft.body.replace("\r\n", "\n").replace("\n", "\r\n"), safe=""),
    )
    return f"mailto:{quote(draft.contact.email, safe='@')}?{query}"


def _classify(error: BaseException) -> str:
    """FAILED when the message certainly did not go out, else UNCERTAIN."""
    if certainly_not_sent(error):
        return Draft.SendState.FAILED
    return Draft.SendState.UNCERTAIN


def _esp_message_id(message: EmailMessage, recipient: str) -> str:
    status = getattr(message, "anymail_status", None)
    if status is None:
        return ""
    per_recipient = (status.recipients or {}).get(recipient)
    message_id = per_recipient.message_id if per_recipient else status.message_id
    if isinstance(message_id, set):
        message_id = sorted(str(m) for m in message_id)[0] if message_id else None
    return "" if message_id is None else str(message_id)


def _refused_reason(message: EmailMessage, recipient: str) -> str:
    status = getattr(message, "anymail_status", None)
    per_recipient = (status.recipients or {}).get(recipient) if status else None
    if per_recipient is not None and per_recipient.status in ("invalid", "rejected", "failed"):
        return (
            f"The mail service refused {recipient} ({per_recipient.status}). "
            "Check the address on the contact, then try again."
        )
    return ""


def _claim(draft: Draft, *, from_states: tuple[str, ...], to_state: str) -> bool:
    # The conditional UPDATE is the at-most-once guard: two requests may race here, and
    # only the one whose UPDATE took the row goes on to send or record.
    claimed = Draft.objects.filter(pk=draft.pk, send_state__in=from_states).update(
        send_state=to_state, updated_at=timezone.now()
    )
    return claimed == 1


def _interrupted() -> Q:
    """Drafts whose send has an unknown outcome: the same test as ``Draft.is_interrupted``."""
    stale = Q(send_started_at__isnull=True) | Q(
        send_started_at__lt=timezone.now() - Draft.SEND_INTERRUPTED_AFTER
    )
    return Q(send_state=Draft.SendState.UNCERTAIN) | (Q(send_state=Draft.SendState.SENDING) & stale)


def _claim_attempt(draft: Draft, *, claimable: Q, attempt: int) -> int | None:
    """Start send number ``attempt + 1``, if the draft is still ``claimable`` at ``attempt``.

    Naming the attempt makes the claim a compare-and-set: of two clicks on one page (or two
    tabs) only the first starts a send. Returns the new attempt's number, or None.
    """
    now = timezone.now()
    claimed = Draft.objects.filter(claimable, pk=draft.pk, send_attempts=attempt).update(
        send_state=Draft.SendState.SENDING,
        send_attempts=attempt + 1,
        send_started_at=now,
        updated_at=now,
    )
    return attempt + 1 if claimed == 1 else None


def _record(
    draft: Draft,
    *,
    channel: str,
    delivery: str,
    esp_message_id: str = "",
    occurred_at: datetime | None = None,
) -> Outreach:
    outreach = outreach_record(
        user=draft.user,
        application=draft.application,
        contact=draft.contact,
        reminder=draft.reminder,
        direction=Outreach.Direction.OUTGOING,
        purpose=PURPOSE_OF_OCCASION.get(draft.occasion, Outreach.Purpose.OTHER),
        channel=channel,
        occurred_at=occurred_at or timezone.now(),
        subject=one_line(draft.subject),
        body=draft.body,
        delivery=delivery,
        esp_message_id=esp_message_id,
    )
    Draft.objects.filter(pk=draft.pk).update(outreach=outreach, updated_at=timezone.now())
    return outreach


def send_guard(*, draft: Draft) -> None:
    """Raise SendRefused when the rules do not allow this message to go out now."""
    if draft.is_card:
        raise SendRefused("A card is written by hand; mark it as sent once it is in the post.")
    if not draft.contact.email:
        raise SendRefused(f"{draft.contact.name} has no email address yet; add one first.")
    refusal = app_send_refusal(user=draft.user)
    if refusal:
        raise SendRefused(refusal)
    allowed_from = gap_allowed_from(user=draft.user, contact=draft.contact, occasion=draft.occasion)
    if allowed_from is not None:
        raise SendRefused(
            f"You wrote to {draft.contact.name} recently. To avoid badgering them, this can go "
            f"out from {allowed_from:%A} {allowed_from.day} {allowed_from:%B}."
        )


def _guarded_claim(draft: Draft, *, claimable: Q, attempt: int) -> tuple[int | None, EmailMessage]:
    """Check the send rules and claim the draft, one send at a time per user.

    The daily cap counts claimed (SENDING) drafts, so with the checks and the claim in one
    transaction that holds the user's row, two drafts sent at once from two tabs cannot both
    pass the cap at its last free place. On PostgreSQL the lock is that row; SQLite's
    IMMEDIATE transactions take the write lock at BEGIN. The message goes out after the
    commit, outside the lock. Raises SendRefused; returns the claimed attempt (None when
    someone else claimed the draft first) and the message to send.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=draft.user_id).values_list("pk").first()
        send_guard(draft=draft)
        message = draft_message(draft=draft, connection=get_connection())
        return _claim_attempt(draft, claimable=claimable, attempt=attempt), message


def draft_send(*, draft: Draft) -> Draft:
    """Send the draft through the app, at most once.

    1. Refuse if the user's address is unverified, today's cap is used up, the cadence
       rule (R7) says it is too soon, or there is no address.
    2. Claim the draft: IDLE or FAILED to SENDING, as the next attempt. Anyone else (a double
       click, a second tab) finds it claimed and sends nothing.
    3. Send and record the outcome (:func:`_deliver`).
    """
    draft.refresh_from_db(fields=["send_state", "send_attempts"])
    if not draft.is_editable:
        return draft  # already sent, being sent, or waiting for the user to check
    attempt, message = _guarded_claim(
        draft,
        claimable=Q(send_state__in=(Draft.SendState.IDLE, Draft.SendState.FAILED)),
        attempt=draft.send_attempts,
    )
    if attempt is None:
        draft.refresh_from_db()
        return draft
    return _deliver(draft, message, attempt=attempt)


def _deliver(draft: Draft, message: EmailMessage, *, attempt: int) -> Draft:
    """Send a claimed draft and record how it went, for this attempt only.

    Success: SENT, and the outreach is recorded with the ESP's message id. A definite
    refusal: FAILED with the reason; the user may try again. Anything else (a timeout after
    the request went out): UNCERTAIN, for the user to check. Every outcome is written only
    while the draft is still SENDING this attempt: if the user meanwhile resolved it (it
    arrived, send again, delete), a late outcome changes nothing and records nothing.
    """
    this_attempt = Draft.objects.filter(
        pk=draft.pk, send_state=Draft.SendState.SENDING, send_attempts=attempt
    )
    try:
        message.send()
    except Exception as error:  # classified below; never retried automatically
        state = _classify(error)
        logger.warning("Sending draft %s ended %s: %r", draft.pk, state, error)
        this_attempt.update(
            send_state=state, send_error=str(error)[:2000] or repr(error), updated_at=timezone.now()
        )
        draft.refresh_from_db()
        return draft
    refused = _refused_reason(message, draft.contact.email)
    if refused:
        # The ESP took the request but will not deliver to the interviewer (the copy to the
        # user may still go out): nothing reached them, so the user may fix it and retry.
        this_attempt.update(
            send_state=Draft.SendState.FAILED, send_error=refused, updated_at=timezone.now()
        )
        draft.refresh_from_db()
        return draft
    with transaction.atomic():
        if this_attempt.update(
            send_state=Draft.SendState.SENT, send_error="", updated_at=timezone.now()
        ):
            _record(
                draft,
                channel=Outreach.Channel.EMAIL,
                delivery=Outreach.Delivery.SENT,
                esp_message_id=_esp_message_id(message, draft.contact.email),
            )
        else:
            logger.warning(
                "Draft %s: send %s finished after the user resolved it; not recorded again",
                draft.pk,
                attempt,
            )
    draft.refresh_from_db()
    return draft


def draft_mark_sent_by_user(*, draft: Draft) -> Draft:
    """The user sent it themselves (mail program, copy and paste, or a card in the post)."""
    if not _claim(
        draft,
        from_states=(Draft.SendState.IDLE, Draft.SendState.FAILED),
        to_state=Draft.SendState.SENT,
    ):
        draft.refresh_from_db()
        return draft
    channel = Outreach.Channel.CARD if draft.is_card else Outreach.Channel.EMAIL
    _record(draft, channel=channel, delivery=Outreach.Delivery.NOT_SENT_BY_APP)
    draft.refresh_from_db()
    return draft


def draft_resolve_uncertain(*, draft: Draft, went_out: bool, attempt: int) -> Draft:
    """The user checked an interrupted send (uncertain, or stuck sending): record it as sent,
    or make the draft editable again to change it and try once more.

    ``attempt`` is the send the user's page showed; raise DraftChanged if the draft has
    moved on since (resolved in another tab, sent again) or was never interrupted.
    ``went_out`` records the outreach at the time that send started, without an ESP id: the
    service never gave one.
    """
    new_state = Draft.SendState.SENT if went_out else Draft.SendState.FAILED
    with transaction.atomic():
        resolved = Draft.objects.filter(_interrupted(), pk=draft.pk, send_attempts=attempt).update(
            send_state=new_state, updated_at=timezone.now()
        )
        if not resolved:
            raise DraftChanged("This message has changed since the page was shown.")
        draft.refresh_from_db()
        if went_out:
            _record(
                draft,
                channel=Outreach.Channel.EMAIL,
                delivery=Outreach.Delivery.SENT,
                occurred_at=draft.send_started_at,
            )
    draft.refresh_from_db()
    return draft


def draft_send_again(*, draft: Draft, attempt: int) -> Draft:
    """Send an interrupted draft once more, because the user asked to after checking.

    The interviewer may get it twice if the first did arrive; the page says so and the user
    confirms. As :func:`draft_send`, with one difference: the claim takes the draft only
    while it is still interrupted at the ``attempt`` the user's page showed, so one click
    sends at most once (a second click, a stale tab, or a send still running within
    ``Draft.SEND_INTERRUPTED_AFTER`` raise DraftChanged and send nothing). That is checked
    first, so a click after the resend went out hears "changed", not "too soon".
    """
    draft.refresh_from_db()
    if not draft.is_interrupted or draft.send_attempts != attempt:
        raise DraftChanged("This message has changed since the page was shown.")
    claimed, message = _guarded_claim(draft, claimable=_interrupted(), attempt=attempt)
    if claimed is None:
        raise DraftChanged("This message has changed since the page was shown.")
    return _deliver(draft, message, attempt=claimed)


def call_log(
    *,
    user: User,
    application: Application,
    contact: Contact | None,
    outcome: str,
    notes: str,
    reminder: models.Model | None = None,
) -> Outreach:
    """Log how a phone call went; the call is an outreach like any other.

    ``reminder`` is the call task it carries out, if any: the re-plan marks it done.
    """
    return outreach_record(
        user=user,
        application=application,
        contact=contact,
        reminder=reminder,
        direction=Outreach.Direction.OUTGOING,
        purpose=Outreach.Purpose.CALL,
        channel=Outreach.Channel.CALL,
        call_outcome=outcome,
        occurred_at=timezone.now(),
        body=notes,
    )
