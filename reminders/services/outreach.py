"""Recording contact with the company, and the R7 gap the composer must respect."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews.models import Application, Contact, Note
from reminders.models import Outreach, Reminder
from reminders.rules import NOT_BEFORE_LOCAL_TIME
from reminders.services.rules import rules_apply_for_application
from reminders.services.scheduling import at_local_time, wall_clock_add


@transaction.atomic
def outreach_record(
    *,
    user: User,
    application: Application,
    direction: str,
    channel: str,
    occurred_at: datetime,
    contact: Contact | None = None,
    reminder: Reminder | None = None,
    call_outcome: str = "",
    subject: str = "",
    body: str = "",
    delivery: str = "",
    esp_message_id: str = "",
) -> Outreach:
    """Record one contact in either direction and let the rules react to it.

    An outgoing outreach carries out ``reminder`` (marks it done); an incoming one is a reply,
    which cancels the pending call and restarts the check-in clock (R8). Everything named must
    belong to ``user``: another user's object is refused, not silently attached.
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
        reminder=reminder,
        direction=direction,
        channel=channel,
        call_outcome=call_outcome,
        subject=subject,
        body=body,
        occurred_at=occurred_at,
        delivery=delivery,
        esp_message_id=esp_message_id,
    )
    if (
        reminder is not None
        and direction == Outreach.Direction.OUTGOING
        and reminder.state != Reminder.State.DONE
    ):
        Reminder.objects.filter(pk=reminder.pk).update(
            state=Reminder.State.DONE,
            completed_at=timezone.now(),
            notify_at=None,
            nudge_at=None,
            updated_at=timezone.now(),
        )
        reminder.refresh_from_db()
    rules_apply_for_application(application=application)
    return outreach


def outreach_gap_check(
    *, user: User, contact: Contact, kind: str, now: datetime | None = None
) -> date | None:
    """The first local date another outreach of ``kind`` to ``contact`` is allowed, or None.

    R7: a check-in waits ``checkin_min_gap_days`` after the last outreach to that person,
    anything else ``min_gap_days``. R6: a follow-up also waits for a date they named.
    """
    now = now or timezone.now()
    zone = user.zone
    gap_days = user.checkin_min_gap_days if kind == Reminder.Kind.CHECK_IN else user.min_gap_days
    allowed_from: datetime | None = None
    last_out = (
        Outreach.objects.filter(user=user, contact=contact, direction=Outreach.Direction.OUTGOING)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    if last_out is not None:
        allowed_from = wall_clock_add(instant=last_out, days=gap_days, zone=zone)
    if kind == Reminder.Kind.FOLLOW_UP:
        not_before = (
            Note.objects.filter(
                interview__application__user=user,
                contact=contact,
                kind=Note.Kind.FOLLOW_UP,
                follow_up_not_before__isnull=False,
            )
            .order_by("-follow_up_not_before")
            .values_list("follow_up_not_before", flat=True)
            .first()
        )
        if not_before is not None:
            wish = at_local_time(day=not_before, at=NOT_BEFORE_LOCAL_TIME, zone=zone)
            allowed_from = max(allowed_from, wish) if allowed_from else wish
    if allowed_from is None or allowed_from <= now:
        return None
    return allowed_from.astimezone(zone).date()
