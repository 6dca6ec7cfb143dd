"""Recording contact with the company, in either direction, on the outreach timeline."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from interviews.models import Application, Contact, Interview
from interviews.replan import application_replan
from outreach.models import Outreach


@transaction.atomic
def outreach_record(
    *,
    user: User,
    application: Application,
    direction: str,
    channel: str,
    occurred_at: datetime,
    contact: Contact | None = None,
    purpose: str = "",
    reminder=None,
    call_outcome: str = "",
    subject: str = "",
    body: str = "",
    delivery: str = "",
    esp_message_id: str = "",
) -> Outreach:
    """Record one contact in either direction and let the follow-up rules react to it.

    ``purpose`` says what it was for (``Outreach.Purpose``); left empty, it is worked out
    (:func:`purpose_infer`). ``reminder`` is the task an outgoing outreach carries out, if
    any. The re-plan that follows closes the open task it carries out, or the one of the
    same purpose for the same person. An incoming outreach is a reply, which cancels the
    pending call and restarts the check-in clock (R8). Everything named must belong to
    ``user``: another user's object is refused, not silently attached.
    """
    if application.user_id != user.pk:
        raise ValidationError("That application is not yours.")
    if contact is not None and contact.user_id != user.pk:
        raise ValidationError("That contact is not yours.")
    if reminder is not None and reminder.user_id != user.pk:
        raise ValidationError("That task is not yours.")
    if direction not in Outreach.Direction.values:
        raise ValidationError(f"Unknown direction {direction!r}.")
    if channel not in Outreach.Channel.values:
        raise ValidationError(f"Unknown channel {channel!r}.")
    if call_outcome and channel != Outreach.Channel.CALL:
        raise ValidationError("Only a phone call has an outcome.")
    if purpose and purpose not in Outreach.Purpose.values:
        raise ValidationError(f"Unknown purpose {purpose!r}.")
    incoming = direction == Outreach.Direction.INCOMING
    if purpose and (purpose == Outreach.Purpose.REPLY) != incoming:
        raise ValidationError("A reply is a message from them; what you send has another purpose.")
    purpose = purpose or purpose_infer(
        user=user, contact=contact, direction=direction, channel=channel, occurred_at=occurred_at
    )

    outreach = Outreach.objects.create(
        user=user,
        application=application,
        contact=contact,
        reminder=reminder if direction == Outreach.Direction.OUTGOING else None,
        direction=direction,
        purpose=purpose,
        channel=channel,
        call_outcome=call_outcome,
        subject=subject,
        body=body,
        occurred_at=occurred_at,
        delivery=delivery,
        esp_message_id=esp_message_id,
    )
    application_replan(application_id=application.pk)
    if direction == Outreach.Direction.OUTGOING and contact is not None:
        # The minimum gap holds per person: their other open applications re-plan too.
        for other_id in _other_open_applications_of(contact=contact, but=application):
            application_replan(application_id=other_id)
    if reminder is not None:
        reminder.refresh_from_db()
    return outreach


def _other_open_applications_of(*, contact: Contact, but: Application) -> list[int]:
    """The user's other open applications this person is part of: as an interviewer, by
    working at the company, or by an earlier outreach."""
    return list(
        Application.objects.filter(user_id=contact.user_id)
        .exclude(pk=but.pk)
        .exclude(stage=Application.Stage.CLOSED)
        .filter(
            Q(interviews__interviewers=contact)
            | Q(company_id=contact.company_id)
            | Q(outreaches__contact=contact)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def purpose_infer(
    *,
    user: User,
    contact: Contact | None,
    direction: str,
    channel: str,
    occurred_at: datetime,
) -> str:
    """What an outreach logged without a stated purpose was for.

    A message from them is a reply; a call is a call; a card is a thank-you. An email to
    someone is a thank-you when it is the first message to them since their latest
    interview, and a follow-up otherwise.
    """
    if direction == Outreach.Direction.INCOMING:
        return Outreach.Purpose.REPLY
    if channel == Outreach.Channel.CALL:
        return Outreach.Purpose.CALL
    if channel == Outreach.Channel.CARD:
        return Outreach.Purpose.THANK_YOU
    if contact is None:
        return Outreach.Purpose.FOLLOW_UP
    latest_end = (
        Interview.objects.filter(
            application__user=user, interviewers=contact, ends_at__lte=occurred_at
        )
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    if latest_end is None:
        return Outreach.Purpose.FOLLOW_UP
    written_since = Outreach.objects.filter(
        user=user,
        contact=contact,
        direction=Outreach.Direction.OUTGOING,
        occurred_at__gte=latest_end,
        occurred_at__lte=occurred_at,
    ).exists()
    return Outreach.Purpose.FOLLOW_UP if written_since else Outreach.Purpose.THANK_YOU


def inactive_replies_acknowledge(*, user: User) -> int:
    """The user has seen the replies that came while their account was deactivated.

    They stay on the timeline; only the dashboard stops showing them. Returns rows changed.
    """
    return Outreach.objects.filter(
        user=user, direction=Outreach.Direction.INCOMING, received_while_inactive=True
    ).update(received_while_inactive=False)
