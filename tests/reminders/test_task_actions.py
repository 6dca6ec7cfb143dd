"""Task actions the user takes by hand. Times are UTC unless a zone is named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from reminders.models import Reminder
from reminders.services.task_actions import (
    reminder_complete,
    reminder_create_custom,
    reminder_skip,
    reminder_snooze,
    snooze_until,
)
from tests.factories import ApplicationFactory, ReminderFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 10, 14, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_completing_a_task_marks_it_done_now_and_stops_its_emails():
    reminder = ReminderFactory(state=Reminder.State.NOTIFIED, nudge_at=NOW + timedelta(hours=3))

    reminder_complete(reminder=reminder)

    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE
    assert reminder.completed_at == NOW
    assert reminder.notify_at is None
    assert reminder.nudge_at is None


def test_completing_a_done_task_again_keeps_its_first_completion_time():
    reminder = ReminderFactory(state=Reminder.State.DONE, completed_at=NOW, notify_at=None)

    reminder_complete(reminder=reminder)

    reminder.refresh_from_db()
    assert reminder.completed_at == NOW


@time_machine.travel(NOW, tick=False)
def test_snoozing_moves_the_due_time_and_the_next_email_to_the_new_time():
    reminder = ReminderFactory(state=Reminder.State.NOTIFIED, due_at=NOW - timedelta(hours=1))
    until = NOW + timedelta(days=1)

    reminder_snooze(reminder=reminder, until=until)

    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SNOOZED
    assert reminder.due_at == until
    assert reminder.notify_at == until
    assert reminder.completed_at is None


def test_snoozing_a_closed_task_leaves_it_closed():
    reminder = ReminderFactory(state=Reminder.State.DONE, completed_at=NOW, notify_at=None)
    due_at = reminder.due_at

    reminder_snooze(reminder=reminder, until=NOW + timedelta(days=7))

    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE
    assert reminder.due_at == due_at
    assert reminder.notify_at is None


@time_machine.travel(NOW, tick=False)
def test_snooze_a_day_counts_from_now_for_an_overdue_task():
    reminder = ReminderFactory(due_at=NOW - timedelta(days=2))

    assert snooze_until(reminder=reminder, days=1) == NOW + timedelta(days=1)


@time_machine.travel(NOW, tick=False)
def test_snooze_a_week_counts_from_the_due_time_for_a_task_due_later():
    reminder = ReminderFactory(due_at=NOW + timedelta(days=3))

    assert snooze_until(reminder=reminder, days=7) == NOW + timedelta(days=10)


def test_snooze_a_day_keeps_the_local_hour_across_the_spring_dst_change():
    # America/New_York springs forward on 2025-03-09: 09:00 EST on the 8th is 14:00 UTC,
    # 09:00 EDT on the 9th is 13:00 UTC.
    user = UserFactory(timezone="America/New_York")
    reminder = ReminderFactory(user=user, due_at=datetime(2025, 3, 8, 14, 0, tzinfo=UTC))

    until = snooze_until(reminder=reminder, days=1, now=datetime(2025, 3, 8, 12, 0, tzinfo=UTC))

    assert until == datetime(2025, 3, 9, 13, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_skipping_closes_the_task_without_marking_it_done():
    reminder = ReminderFactory()

    reminder_skip(reminder=reminder)

    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SKIPPED
    assert reminder.notify_at is None
    assert not reminder.is_open


def test_skipping_a_done_task_keeps_it_done():
    reminder = ReminderFactory(state=Reminder.State.DONE, completed_at=NOW)

    reminder_skip(reminder=reminder)

    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE


def test_a_custom_reminder_is_pending_and_emails_when_it_is_due():
    user = UserFactory()
    application = ApplicationFactory(user=user)
    due_at = NOW + timedelta(days=2)

    reminder = reminder_create_custom(
        user=user,
        title="  Send Ana the article  ",
        due_at=due_at,
        note="The one on Kafka",
        application=application,
    )

    assert reminder.kind == Reminder.Kind.CUSTOM
    assert reminder.state == Reminder.State.PENDING
    assert reminder.title == "Send Ana the article"
    assert reminder.due_at == due_at
    assert reminder.notify_at == due_at
    assert reminder.application == application
    assert reminder.occurrence.startswith("custom:")


def test_two_custom_reminders_with_the_same_title_are_two_tasks():
    user = UserFactory()

    first = reminder_create_custom(user=user, title="Call back", due_at=NOW)
    second = reminder_create_custom(user=user, title="Call back", due_at=NOW)

    assert first.occurrence != second.occurrence
    assert Reminder.objects.filter(user=user).count() == 2


def test_a_custom_reminder_cannot_attach_to_another_users_application():
    with pytest.raises(ValidationError):
        reminder_create_custom(
            user=UserFactory(), title="Sneaky", due_at=NOW, application=ApplicationFactory()
        )
