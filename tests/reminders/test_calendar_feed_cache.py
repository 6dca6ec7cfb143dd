"""The calendar feed is cached per user, and a change shows in the very next poll.

However the change is written: a model save, a bulk update that bypasses ``save()`` and
signals (as the sweep's are), a rename of a contact, company or role the feed shows, or
time moving an interview out of the feed's window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar

from interviews.models import Application, Company, Contact
from reminders.feeds import PAST_INTERVIEWS
from reminders.models import Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def _key(user) -> str:
    return f"calendar-feed:{user.pk}"


@pytest.fixture
def berliner():
    user = UserFactory(timezone="Europe/Berlin")
    cache.delete(_key(user))  # the file cache outlives a test database
    yield user
    cache.delete(_key(user))


def _feed(client, user) -> bytes:
    response = client.get(reverse("reminders:calendar_feed", args=[user.calendar_token]))
    assert response.status_code == 200
    return response.content


def _summaries(content: bytes) -> list[str]:
    return sorted(str(event["SUMMARY"]) for event in Calendar.from_ical(content).walk("VEVENT"))


@time_machine.travel(NOW, tick=False)
def test_the_feed_is_kept_in_the_cache_and_served_from_it(client, berliner):
    ReminderFactory(user=berliner, title="Call Ana")

    first = _feed(client, berliner)

    fingerprint, cached = cache.get(_key(berliner))
    assert cached == first
    # A second poll with nothing changed is the cached feed, not a new build.
    cache.set(_key(berliner), (fingerprint, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
    assert _feed(client, berliner) == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


@time_machine.travel(NOW, tick=False)
def test_a_changed_task_shows_at_once_even_when_written_by_a_bulk_update(client, berliner):
    task = ReminderFactory(user=berliner, title="Call Ana")
    assert _summaries(_feed(client, berliner)) == ["Call Ana"]

    # QuerySet.update neither runs save() nor touches updated_at.
    Reminder.objects.filter(pk=task.pk).update(custom_title="Call Ana again")
    assert _summaries(_feed(client, berliner)) == ["Call Ana again"]

    Reminder.objects.filter(pk=task.pk).update(due_at=NOW + timedelta(days=5))
    event = Calendar.from_ical(_feed(client, berliner)).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == NOW + timedelta(days=5)

    Reminder.objects.filter(pk=task.pk).update(state=Reminder.State.DONE)
    assert _summaries(_feed(client, berliner)) == []

    ReminderFactory(user=berliner, title="A new task")
    assert _summaries(_feed(client, berliner)) == ["A new task"]


@time_machine.travel(NOW, tick=False)
def test_renamed_contacts_companies_and_roles_show_at_once(client, berliner):
    application = ApplicationFactory(user=berliner, role="Data engineer", company__name="Acme")
    ana = ContactFactory(user=berliner, company=application.company, name="Ana Lima")
    ReminderFactory(
        user=berliner, application=application, contact=ana, kind="thank_you", custom_title=""
    )
    interview = InterviewFactory(
        application=application,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=1),
    )
    interview.interviewers.add(ana)
    before = _feed(client, berliner).decode()
    assert "Ana Lima" in before
    assert "Interview: Data engineer at Acme" in before

    Contact.objects.filter(pk=ana.pk).update(name="Ana Souza")
    Company.objects.filter(pk=application.company_id).update(name="Acme Labs")
    Application.objects.filter(pk=application.pk).update(role="Staff engineer")
    after = _feed(client, berliner).decode()

    assert "Ana Lima" not in after
    assert "Ana Souza" in after
    assert "Interview: Staff engineer at Acme Labs" in after

    interview.interviewers.remove(ana)
    events = Calendar.from_ical(_feed(client, berliner)).walk("VEVENT")
    [event] = [e for e in events if str(e["UID"]) == f"interview-{interview.pk}@followup"]
    assert str(event["DESCRIPTION"]) == "Video interview"


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo"])
def test_an_interview_leaves_the_cached_feed_when_it_falls_out_of_the_window(client, zone):
    user = UserFactory(timezone=zone)
    cache.delete(_key(user))
    application = ApplicationFactory(user=user, role="Data engineer", company__name="Acme")
    InterviewFactory(application=application, starts_at=NOW, ends_at=NOW + timedelta(hours=1))

    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert _summaries(_feed(client, user)) == ["Interview: Data engineer at Acme"]
    with time_machine.travel(NOW + timedelta(hours=1) + PAST_INTERVIEWS, tick=False):
        assert _summaries(_feed(client, user)) == ["Interview: Data engineer at Acme"]
    with time_machine.travel(NOW + timedelta(hours=1, seconds=1) + PAST_INTERVIEWS, tick=False):
        assert _summaries(_feed(client, user)) == []
    cache.delete(_key(user))


@time_machine.travel(NOW, tick=False)
def test_each_user_gets_their_own_feed_from_the_cache(client, berliner):
    other = UserFactory(timezone="America/New_York")
    cache.delete(_key(other))
    ReminderFactory(user=berliner, title="Berlin task")
    ReminderFactory(user=other, title="New York task")

    for _ in range(2):  # the second round comes from the cache
        assert _summaries(_feed(client, berliner)) == ["Berlin task"]
        assert _summaries(_feed(client, other)) == ["New York task"]
    cache.delete(_key(other))
