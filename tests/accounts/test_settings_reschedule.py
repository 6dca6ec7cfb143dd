"""Changing a follow-up preference moves the reminders already planned, not only new ones.

The re-plan runs in a Celery task enqueued when the change commits; here the task runs in
this process (eager) as the commit's callbacks run. tests/reminders/test_worker.py proves
the same path with a real worker."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import time_machine
from django.test import TestCase

from accounts.services import user_update_settings
from followup_site.celery import app as celery_app
from interviews.models import Application
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from reminders.services.task_actions import reminder_snooze
from tests.reminders.support import BERLIN, NEW_YORK, UTC, interview_logged, local, open_of, user_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_here():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def update_settings(**changes):
    """Change settings as the settings page does; the re-plan task runs as the change commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return user_update_settings(**changes)


# Tuesday 10 March 2026, 20:30 in Berlin (CET): the interview ends just before quiet hours.
ENDS = local(BERLIN, 2026, 3, 10, 20, 30)
JUST_AFTER = ENDS + timedelta(minutes=15)


def _thank_you_logged_at_night():
    user = user_in(BERLIN)
    with time_machine.travel(JUST_AFTER, tick=False):
        interview, _ = interview_logged(user=user, ends_at=ENDS)
        plan_apply(application=interview.application)
    [thank_you] = open_of(interview.application, Reminder.Kind.THANK_YOU)
    return user, thank_you


def test_shorter_quiet_hours_bring_a_pending_thank_you_forward():
    """Europe/Berlin: 20:30 + 1 h is 21:30, inside 21:00-08:00 but not inside 23:00-06:00."""
    user, thank_you = _thank_you_logged_at_night()
    assert thank_you.notify_at == local(BERLIN, 2026, 3, 11, 8, 0)

    with time_machine.travel(JUST_AFTER, tick=False):
        update_settings(user=user, quiet_hours_start=time(23, 0), quiet_hours_end=time(6, 0))

    moved = Reminder.objects.get(pk=thank_you.pk)
    assert moved.state == Reminder.State.PENDING
    assert moved.notify_at == local(BERLIN, 2026, 3, 10, 21, 30)
    assert moved.due_at == thank_you.due_at == ENDS + timedelta(hours=24)


def test_a_shorter_thank_you_delay_moves_the_pending_notification():
    """Europe/Berlin: a 15-minute delay notifies at 20:45, before quiet hours begin."""
    user, thank_you = _thank_you_logged_at_night()

    with time_machine.travel(JUST_AFTER - timedelta(minutes=10), tick=False):
        update_settings(user=user, thank_you_notify_delay_minutes=15)

    assert Reminder.objects.get(pk=thank_you.pk).notify_at == local(BERLIN, 2026, 3, 10, 20, 45)


def test_a_snoozed_or_already_sent_reminder_keeps_its_times():
    """Europe/Berlin: the user's snooze and a sent notification are not re-planned."""
    user = user_in(BERLIN)
    with time_machine.travel(JUST_AFTER, tick=False):
        interview, _ = interview_logged(user=user, ends_at=ENDS, interviewers=2)
        plan_apply(application=interview.application)
    snoozed, notified = open_of(interview.application, Reminder.Kind.THANK_YOU)
    until = local(BERLIN, 2026, 3, 11, 12, 0)
    reminder_snooze(reminder=snoozed, until=until)
    sent_at = local(BERLIN, 2026, 3, 11, 8, 0)
    Reminder.objects.filter(pk=notified.pk).update(
        state=Reminder.State.NOTIFIED, notified_at=sent_at, notify_at=notified.nudge_at
    )

    with time_machine.travel(sent_at + timedelta(minutes=5), tick=False):
        update_settings(user=user, quiet_hours_start=time(23, 0), quiet_hours_end=time(6, 0))

    snoozed.refresh_from_db()
    assert (snoozed.state, snoozed.notify_at) == (Reminder.State.SNOOZED, until)
    after = Reminder.objects.get(pk=notified.pk)
    assert (after.state, after.notified_at) == (Reminder.State.NOTIFIED, sent_at)
    # The nudge 3 h before the 20:30 deadline (17:30) is outside both quiet windows: unchanged.
    assert after.notify_at == after.nudge_at == local(BERLIN, 2026, 3, 11, 17, 30)


def test_moving_to_new_york_keeps_the_check_in_on_the_new_york_wall_clock():
    """Last contact Wednesday 18 February 2026, 14:00 in Berlin = 13:00 UTC = 08:00 in New York.

    In Berlin the check-in is 30 days later, Friday 20 March, at 14:00 CET (13:00 UTC). New
    York moves its clocks on 8 March, Berlin only on 29 March: seen from New York the same
    check-in is at 08:00 EDT, 12:00 UTC, an hour earlier.
    """
    user = user_in(BERLIN)
    ends = local(BERLIN, 2026, 2, 18, 14, 0)
    with time_machine.travel(ends + timedelta(hours=1), tick=False):
        interview, _ = interview_logged(user=user, ends_at=ends)
        plan_apply(application=interview.application)
        [check_in] = open_of(interview.application, Reminder.Kind.CHECK_IN)
        assert check_in.due_at == local(UTC, 2026, 3, 20, 13, 0)

        update_settings(user=user, timezone="America/New_York")

    moved = Reminder.objects.get(pk=check_in.pk)
    assert moved.state == Reminder.State.PENDING
    assert moved.due_at == local(NEW_YORK, 2026, 3, 20, 8, 0) == local(UTC, 2026, 3, 20, 12, 0)
    assert moved.notify_at == moved.due_at


def test_switching_to_the_daily_digest_moves_a_follow_up_to_the_digest_hour():
    """Europe/Berlin: the follow-up due a week after the 20:30 interview waits for 08:00."""
    user, _ = _thank_you_logged_at_night()
    [follow_up] = Reminder.objects.filter(user=user, kind=Reminder.Kind.FOLLOW_UP)
    assert follow_up.notify_at == follow_up.due_at == local(BERLIN, 2026, 3, 17, 20, 30)

    with time_machine.travel(JUST_AFTER, tick=False):
        update_settings(user=user, notification_mode="digest", digest_hour=8)

    follow_up.refresh_from_db()
    assert follow_up.due_at == local(BERLIN, 2026, 3, 17, 20, 30)
    assert follow_up.notify_at == local(BERLIN, 2026, 3, 18, 8, 0)


def test_closed_applications_and_name_changes_are_left_alone(django_assert_num_queries):
    """Europe/Berlin: only open applications are re-planned, and only for a rule setting."""
    user, thank_you = _thank_you_logged_at_night()
    # Closed behind the services' back, so that its task is still open: were the rules applied
    # to it, they would cancel the task.
    Application.objects.filter(pk=thank_you.application_id).update(
        stage=Application.Stage.CLOSED, closed_reason=Application.ClosedReason.REJECTED
    )

    with time_machine.travel(JUST_AFTER, tick=False):
        with django_assert_num_queries(3):  # savepoint, UPDATE of the user, release
            update_settings(user=user, full_name="Ada L.", signature="Ada")
        update_settings(user=user, quiet_hours_start=time(23, 0), quiet_hours_end=time(6, 0))

    unchanged = Reminder.objects.get(pk=thank_you.pk)
    assert (unchanged.state, unchanged.notify_at) == (thank_you.state, thank_you.notify_at)
