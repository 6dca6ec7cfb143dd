"""What the user does to a task by hand: complete, snooze, skip, or add their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews.models import Application
from interviews.replan import application_replan
from reminders.models import Reminder

# The fields a hand action rewrites; saving only these leaves the sweep's claim columns
# (attempts, lease_until) to the sweep.
_ACTION_FIELDS = ["state", "due_at", "notify_at", "nudge_at", "completed_at", "updated_at"]


@transaction.atomic
def reminder_complete(*, reminder: Reminder) -> Reminder:
    """Mark the task done; nothing more is sent for it. Completing it twice changes nothing.

    The application is re-planned: a check-in marked done starts the next check-in's clock.
    """
    if reminder.state == Reminder.State.DONE:
        return reminder
    reminder.state = Reminder.State.DONE
    reminder.completed_at = timezone.now()
    reminder.notify_at = None
    reminder.nudge_at = None
    reminder.save(update_fields=_ACTION_FIELDS)
    _replan(reminder)
    return reminder


def _replan(reminder: Reminder) -> None:
    if reminder.application_id is not None:
        application_replan(application_id=reminder.application_id)


# A thank-you snoozed "until the deadline" comes back this long before it.
DEADLINE_SNOOZE_LEAD = timedelta(hours=2)


@dataclass(frozen=True)
class SnoozeChoice:
    """One way to put a task off: its key in forms and email links, its label, its time."""

    key: str
    label: str
    until: datetime
    keeps_deadline: bool = False


SNOOZE_DAYS = {"day": 1, "week": 7}


def snooze_choices(
    *, reminder: Reminder, now: datetime | None = None, zone: ZoneInfo | None = None
) -> list[SnoozeChoice]:
    """The snoozes a task offers; snoozing never silently passes a deadline.

    A thank-you has a deadline (24 hours after the interview): a day or a week would pass
    it, so it offers one snooze instead, "until shortly before the deadline", which keeps
    the deadline and only moves the reminder. Once that moment has passed, it offers none:
    send it now, or skip it. Other tasks are dates, not deadlines: a day or a week.
    """
    now = now or timezone.now()
    if not reminder.is_open:
        return []
    if reminder.kind == Reminder.Kind.THANK_YOU:
        until = reminder.due_at - DEADLINE_SNOOZE_LEAD
        if until <= now:
            return []
        local = until.astimezone(zone or reminder.user.zone)
        label = f"Remind me before the deadline ({local:%a} {local:%H:%M})"
        return [SnoozeChoice("deadline", label, until, keeps_deadline=True)]
    return [
        SnoozeChoice(
            key,
            f"Snooze a {key}",
            snooze_until(reminder=reminder, days=days, now=now, zone=zone),
        )
        for key, days in SNOOZE_DAYS.items()
    ]


def snooze_choice(*, reminder: Reminder, key: str, now: datetime | None = None) -> SnoozeChoice:
    """The offered snooze named ``key``; ValidationError if this task does not offer it."""
    for choice in snooze_choices(reminder=reminder, now=now):
        if choice.key == key:
            return choice
    if reminder.kind == Reminder.Kind.THANK_YOU:
        raise ValidationError(
            "A thank-you cannot be snoozed past its deadline or close to it; "
            "send it now, or skip it."
        )
    raise ValidationError("Snooze for a day or a week.")


def snooze_until(
    *, reminder: Reminder, days: int, now: datetime | None = None, zone: ZoneInfo | None = None
) -> datetime:
    """``days`` later on the wall clock of the user's zone, from now or from a later due time.

    Counting from the due time keeps "snooze a day" from pulling a task due next week
    forward; counting on the wall clock keeps a 9:00 task at 9:00 across a DST change.
    """
    now = now or timezone.now()
    base = max(now, reminder.due_at).astimezone(zone or reminder.user.zone)
    return (base + timedelta(days=days)).astimezone(UTC)


def reminder_snooze(
    *, reminder: Reminder, until: datetime, keep_deadline: bool = False
) -> Reminder:
    """Move the task to ``until`` and tell the user again then.

    ``keep_deadline`` moves only the reminder, not the deadline (a thank-you's snooze).

    The sweep treats a SNOOZED row like a PENDING one once its ``notify_at`` has passed.
    Only an open task can be snoozed: a done, skipped or cancelled one is returned as it is
    (an old email link clicked late must not reopen it); callers can check ``is_open``.
    """
    if not reminder.is_open:
        return reminder
    reminder.state = Reminder.State.SNOOZED
    if not keep_deadline:
        reminder.due_at = until
    reminder.notify_at = until
    reminder.nudge_at = None
    reminder.save(update_fields=_ACTION_FIELDS)
    return reminder


@transaction.atomic
def reminder_skip(*, reminder: Reminder) -> Reminder:
    """Drop the task without doing it; it is kept, closed, so the rule does not recreate it."""
    if not reminder.is_open:
        return reminder
    reminder.state = Reminder.State.SKIPPED
    reminder.completed_at = timezone.now()
    reminder.notify_at = None
    reminder.nudge_at = None
    reminder.save(update_fields=_ACTION_FIELDS)
    _replan(reminder)
    return reminder


def reminder_create_custom(
    *,
    user: User,
    title: str,
    due_at: datetime,
    note: str = "",
    application: Application | None = None,
) -> Reminder:
    """A task the user adds themselves; they are emailed about it when it is due."""
    if application is not None and application.user_id != user.pk:
        raise ValidationError("That application is not yours.")
    return Reminder.objects.create(
        user=user,
        kind=Reminder.Kind.CUSTOM,
        state=Reminder.State.PENDING,
        application=application,
        custom_title=title.strip(),
        note=note.strip(),
        due_at=due_at,
        notify_at=due_at,
        # Each custom task is its own occurrence: no rule ever re-applies it.
        occurrence=f"custom:{uuid4().hex}",
    )
