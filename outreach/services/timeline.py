"""Recording contact with the company, in either direction, on the outreach timeline."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from interviews.models import Application, Contact
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
    reminder=None,
    call_outcome: str = "",
    subject: str = "",
    body: str = "",
    delivery: str = "",
    esp_message_id: str = "",
) -> Outreach:
    """Record one contact in either direction and let the follow-up rules react to it.

    ``reminder`` is the task an outgoing outreach carries out, if any: the re-plan that
    follows marks it done. An incoming outreach is a reply, which cancels the pending call
    and restarts the check-in clock (R8). Everything named must belong to ``user``: another
    user's object is refused, not silently attached.
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

    outreach = Outreach.objects.create(
        user=user,
        application=application,
        contact=contact,
        reminder=reminder if direction == Outreach.Direction.OUTGOING else None,
        direction=direction,
        channel=channel,
        call_outcome=call_outcome,
        subject=subject,
        body=body,
        occurred_at=occurred_at,
        delivery=delivery,
        esp_message_id=esp_message_id,
    )
    application_replan(application_id=application.pk)
    if reminder is not None:
        reminder.refresh_from_db()
    return outreach
