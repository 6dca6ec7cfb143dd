"""DST: across the 2026 changes nothing moves by an hour and nothing is skipped.

America/New_York: clocks go forward on 8 March and back on 1 November 2026.
Europe/Berlin: forward on 29 March and back on 25 October 2026.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from followup_site.clock import wall_clock_add
from outreach.services.timeline import outreach_record
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from reminders.services.sweep import sweep_run
from tests.factories import ReminderFactory
from tests.reminders.support import BERLIN, NEW_YORK, interview_logged, local, open_of, user_in

pytestmark = pytest.mark.django_db

# (zone, a local day before a change, the day of the change)
CHANGES = [
    pytest.param(NEW_YORK, (2026, 3, 7), (2026, 3, 8), id="new-york-spring"),
    pytest.param(NEW_YORK, (2026, 10, 31), (2026, 11, 1), id="new-york-autumn"),
    pytest.param(BERLIN, (2026, 3, 28), (2026, 3, 29), id="berlin-spring"),
    pytest.param(BERLIN, (2026, 10, 24), (2026, 10, 25), id="berlin-autumn"),
]


@pytest.mark.parametrize(("zone", "before", "change"), CHANGES)
def test_thank_you_is_due_24_real_hours_after_the_end_across_a_change(zone, before, change):
    ends = local(zone, *before, 16, 0)
    with time_machine.travel(ends, tick=False):
        seeker = user_in(zone)
        interview, _ = interview_logged(user=seeker, ends_at=ends)
        plan_apply(application=interview.application)

    (thanks,) = open_of(interview.application, Reminder.Kind.THANK_YOU)
    assert thanks.due_at - ends == timedelta(hours=24)
    # The wall clock shows 15:00 or 17:00 the next day: the hour moved, the deadline did not.
    assert thanks.due_at.astimezone(zone).hour in (15, 17)
    assert thanks.notify_at == ends + timedelta(hours=1)
    assert ends < thanks.notify_at < thanks.nudge_at < thanks.due_at


@pytest.mark.parametrize(("zone", "before", "change"), CHANGES)
def test_check_in_keeps_the_local_hour_across_a_change(zone, before, change):
    last_contact = local(zone, *before, 10, 0) - timedelta(days=20)
    with time_machine.travel(last_contact, tick=False):
        seeker = user_in(zone)
        interview, _ = interview_logged(user=seeker, ends_at=last_contact)
        plan_apply(application=interview.application)

    (check_in,) = open_of(interview.application, Reminder.Kind.CHECK_IN)
    local_due = check_in.due_at.astimezone(zone)
    assert (local_due.hour, local_due.minute) == (10, 0)
    assert local_due.date() == (last_contact.astimezone(zone) + timedelta(days=30)).date()


@pytest.mark.parametrize(("zone", "before", "change"), CHANGES)
def test_a_call_task_keeps_the_local_hour_across_a_change(zone, before, change):
    sent = local(zone, *before, 14, 30)
    with time_machine.travel(sent, tick=False):
        seeker = user_in(zone, call_after_business_days=2)
        interview, (anna,) = interview_logged(user=seeker, ends_at=sent - timedelta(days=3))
        outreach_record(
            user=seeker,
            application=interview.application,
            direction="out",
            channel="email",
            occurred_at=sent,
            contact=anna,
            purpose="follow_up",
        )
    (call,) = open_of(interview.application, Reminder.Kind.PHONE_CALL)
    local_due = call.due_at.astimezone(zone)
    assert (local_due.hour, local_due.minute) == (14, 30)


@pytest.mark.parametrize(("zone", "before", "change"), CHANGES)
def test_nothing_is_sent_in_quiet_hours_on_the_night_of_a_change(zone, before, change, mailoutbox):
    # Due at 06:30 local on the day of the change: quiet until 08:00 local.
    seeker = user_in(zone)
    due = local(zone, *change, 6, 30)
    reminder = ReminderFactory(user=seeker, due_at=due, notify_at=due)

    with time_machine.travel(due, tick=False):
        result = sweep_run()
    assert (result.sent, result.deferred) == (0, 1)
    assert mailoutbox == []
    reminder.refresh_from_db()
    eight = local(zone, *change, 8, 0)
    assert reminder.notify_at == eight
    assert reminder.notify_at.astimezone(zone).hour == 8

    with time_machine.travel(eight - timedelta(minutes=1), tick=False):
        assert sweep_run().sent == 0
    with time_machine.travel(eight, tick=False):
        assert sweep_run().sent == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(("zone", "before", "change"), CHANGES)
def test_a_daily_reminder_time_is_neither_skipped_nor_doubled(zone, before, change):
    # 02:30 does not exist on a spring-forward night, and happens twice on an autumn one:
    # a reminder for that wall time happens exactly once, at most an hour late, never early.
    with time_machine.travel(local(zone, *before, 12, 0), tick=False):
        start = local(zone, *before, 2, 30)
        day_after = wall_clock_add(instant=start, days=1, zone=zone)
        assert day_after.astimezone(zone).date() == local(zone, *change).date()
        assert timedelta(hours=23) <= day_after - start <= timedelta(hours=25)
        two_days = wall_clock_add(instant=start, days=2, zone=zone)
        assert (two_days.astimezone(zone).hour, two_days.astimezone(zone).minute) == (2, 30)
