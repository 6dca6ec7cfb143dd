"""The line under an open task saying when its reminder email goes out. Europe/Berlin."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import time_machine
from django.urls import reverse

from followup_site.clock import QuietHours
from reminders import planner
from reminders.models import Reminder
from reminders.selectors import email_reminder_line
from reminders.services.plan_apply import plan_apply
from tests.reminders.support import BERLIN, interview_logged, local, user_in

# Tuesday 10 March 2026, 21:40 in Berlin (CET): inside the default 21:00-08:00 quiet hours.
NIGHT = local(BERLIN, 2026, 3, 10, 21, 40)
PREFS = planner.Preferences(zone=BERLIN)
DIGEST = planner.Preferences(zone=BERLIN, digest=True, digest_hour=8)


def _line(prefs=PREFS, now=NIGHT, **fields) -> str:
    fields.setdefault("kind", Reminder.Kind.THANK_YOU)
    fields.setdefault("state", Reminder.State.PENDING)
    return email_reminder_line(reminder=Reminder(**fields), prefs=prefs, now=now)


def test_a_thank_you_held_by_quiet_hours_says_it_goes_when_they_end():
    # Planned by the rules at the end of quiet hours: tomorrow 08:00.
    assert (
        _line(notify_at=local(BERLIN, 2026, 3, 11, 8, 0))
        == "Email reminder: tomorrow at 08:00 (after your quiet hours)"
    )


def test_a_time_inside_quiet_hours_is_shown_when_the_sweep_will_really_send():
    # A snooze to 23:00 is deferred by the sweep to 08:00 the next morning.
    line = _line(state=Reminder.State.SNOOZED, notify_at=local(BERLIN, 2026, 3, 10, 23, 0))
    assert line == "Email reminder: tomorrow at 08:00 (after your quiet hours)"


def test_an_ordinary_time_has_no_reason():
    morning = local(BERLIN, 2026, 3, 10, 9, 0)
    line = _line(now=morning, notify_at=local(BERLIN, 2026, 3, 10, 10, 0))
    assert line == "Email reminder: today at 10:00"
    later = _line(now=morning, notify_at=local(BERLIN, 2026, 3, 13, 14, 30))
    assert later == "Email reminder: Fri 13 Mar at 14:30"


def test_other_quiet_hours_are_read_from_the_users_preferences():
    short_nights = planner.Preferences(zone=BERLIN, quiet=QuietHours(start=time(23), end=time(6)))
    line = _line(prefs=short_nights, notify_at=local(BERLIN, 2026, 3, 10, 22, 30))
    assert line == "Email reminder: today at 22:30"


def test_a_reminder_already_due_outside_quiet_hours_is_going_out_now():
    morning = local(BERLIN, 2026, 3, 11, 9, 0)
    line = _line(now=morning, notify_at=morning - timedelta(minutes=1))
    assert line == "Email reminder going out now"


def test_a_sent_reminder_says_when_and_the_nudge_still_to_come():
    morning = local(BERLIN, 2026, 3, 11, 9, 0)
    sent = _line(
        now=morning,
        state=Reminder.State.NOTIFIED,
        notified_at=local(BERLIN, 2026, 3, 11, 8, 0),
        notify_at=local(BERLIN, 2026, 3, 11, 17, 30),
    )
    assert sent == "Email reminder sent today at 08:00; another today at 17:30"
    done_nudging = _line(
        now=morning,
        state=Reminder.State.NOTIFIED,
        notified_at=local(BERLIN, 2026, 3, 10, 10, 12),
        notify_at=None,
    )
    assert done_nudging == "Email reminder sent yesterday at 10:12"


def test_digest_users_see_their_digest_but_thank_yous_still_come_at_once():
    morning = local(BERLIN, 2026, 3, 10, 9, 0)
    digest = _line(
        prefs=DIGEST,
        now=morning,
        kind=Reminder.Kind.CHECK_IN,
        notify_at=local(BERLIN, 2026, 3, 11, 8, 0),
    )
    assert digest == "In your daily digest tomorrow at 08:00"
    # A snooze to the afternoon waits for the next morning's digest.
    snoozed = _line(
        prefs=DIGEST,
        now=morning,
        kind=Reminder.Kind.FOLLOW_UP,
        state=Reminder.State.SNOOZED,
        notify_at=local(BERLIN, 2026, 3, 10, 15, 0),
    )
    assert snoozed == "In your daily digest tomorrow at 08:00"
    thank_you = _line(prefs=DIGEST, now=morning, notify_at=local(BERLIN, 2026, 3, 10, 10, 0))
    assert thank_you == "Email reminder: today at 10:00"


def test_failed_and_unscheduled_tasks_have_no_line():
    failed = _line(state=Reminder.State.FAILED, notify_at=None, last_error="Refused")
    assert failed == ""
    assert _line(notify_at=None) == ""


@pytest.mark.django_db
def test_task_list_and_task_page_say_the_thank_you_email_waits_for_quiet_hours(client_for):
    """The manual run: an interview logged at 21:40 after ending at 20:50, Europe/Berlin."""
    user = user_in(BERLIN)
    with time_machine.travel(NIGHT, tick=False):
        interview, _ = interview_logged(user=user, ends_at=local(BERLIN, 2026, 3, 10, 20, 50))
        plan_apply(application=interview.application)
        thank_you = Reminder.objects.get(user=user, kind=Reminder.Kind.THANK_YOU)
        client = client_for(user)
        listing = client.get(reverse("reminders:task_list")).content.decode()
        page = client.get(reverse("reminders:task_detail", args=[thank_you.pk])).content.decode()

    expected = "Email reminder: tomorrow at 08:00 (after your quiet hours)"
    for html in (listing, page):
        assert f"data-email-line>{expected}<" in html
