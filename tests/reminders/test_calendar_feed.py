"""The secret-address iCalendar feed of open tasks and interviews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from icalendar import Calendar

from reminders.models import Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Replacing the address lives on the settings page (accounts:token_rotate).
ROTATE = "/accounts/settings/replace/calendar/"

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def feed_of(client, user) -> Calendar:
    response = client.get(reverse("reminders:calendar_feed", args=[user.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@time_machine.travel(NOW, tick=False)
def test_open_tasks_are_half_hour_events_with_an_alarm_15_minutes_before(client):
    user = UserFactory()
    due = NOW + timedelta(days=2)
    reminder = ReminderFactory(
        user=user, title="Check in with Ana, Bo; and Cy", due_at=due, note="Line one\nLine two"
    )
    ReminderFactory(user=user, title="Finished", state=Reminder.State.DONE, completed_at=NOW)
    ReminderFactory(title="Someone else's task")

    events = events_by_uid(feed_of(client, user))

    assert list(events) == [f"reminder-{reminder.pk}@followup"]
    event = events[f"reminder-{reminder.pk}@followup"]
    assert str(event["SUMMARY"]) == "Check in with Ana, Bo; and Cy"
    assert event.decoded("DTSTART") == due
    assert event.decoded("DTEND") == due + timedelta(minutes=30)
    assert event.decoded("DTSTAMP") == reminder.updated_at
    assert "Line one\nLine two" in str(event["DESCRIPTION"])
    assert reverse("reminders:task_detail", args=[reminder.pk]) in str(event["DESCRIPTION"])
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=15)


@time_machine.travel(NOW, tick=False)
def test_a_thank_you_rings_when_its_reminder_email_goes_out(client):
    user = UserFactory()
    due = NOW + timedelta(hours=23)
    reminder = ReminderFactory(
        user=user, kind=Reminder.Kind.THANK_YOU, due_at=due, notify_at=NOW + timedelta(hours=1)
    )

    event = events_by_uid(feed_of(client, user))[f"reminder-{reminder.pk}@followup"]

    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(hours=22)


@time_machine.travel(NOW, tick=False)
def test_upcoming_interviews_have_an_alarm_an_hour_before(client):
    user = UserFactory()
    application = ApplicationFactory(user=user, role="Data engineer", company__name="Acme")
    interview = InterviewFactory(
        application=application,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=1),
        location="Room 4, 1 Main St",
    )
    interview.interviewers.add(ContactFactory(user=user, name="Ana Lima"))
    old = InterviewFactory(
        application=application,
        starts_at=NOW - timedelta(days=30),
        ends_at=NOW - timedelta(days=30) + timedelta(hours=1),
    )

    events = events_by_uid(feed_of(client, user))

    assert f"interview-{old.pk}@followup" not in events
    event = events[f"interview-{interview.pk}@followup"]
    assert str(event["SUMMARY"]) == "Interview: Data engineer at Acme"
    assert str(event["LOCATION"]) == "Room 4, 1 Main St"
    assert "Ana Lima" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == interview.starts_at
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)


def test_the_feed_text_is_escaped_by_the_calendar_format(client):
    user = UserFactory()
    ReminderFactory(user=user, title="Ask; about, things\\ now")

    response = client.get(reverse("reminders:calendar_feed", args=[user.calendar_token]))

    assert b"SUMMARY:Ask\\; about\\, things\\\\ now" in response.content


def test_the_feed_has_the_calendar_headers(client):
    user = UserFactory()

    calendar = feed_of(client, user)

    assert str(calendar["VERSION"]) == "2.0"
    assert "Followup" in str(calendar["PRODID"])


def test_an_unknown_token_is_not_found(client):
    UserFactory()

    response = client.get(reverse("reminders:calendar_feed", args=["not-a-real-token"]))

    assert response.status_code == 404


def test_a_deactivated_users_feed_is_not_found(client):
    user = UserFactory(is_active=False)

    response = client.get(reverse("reminders:calendar_feed", args=[user.calendar_token]))

    assert response.status_code == 404


def test_regenerating_gives_a_new_address_and_the_old_one_stops_working(user, logged_in_client):
    old_url = reverse("reminders:calendar_feed", args=[user.calendar_token])
    assert logged_in_client.get(old_url).status_code == 200

    response = logged_in_client.post(ROTATE)

    assert response.status_code == 302
    assert response.url == reverse("accounts:settings") + "#calendar-feed"
    user.refresh_from_db()
    assert logged_in_client.get(old_url).status_code == 404
    new_url = reverse("reminders:calendar_feed", args=[user.calendar_token])
    assert new_url != old_url
    assert logged_in_client.get(new_url).status_code == 200


def test_regenerating_asks_first_and_changes_nothing_until_the_post(user, logged_in_client):
    token = user.calendar_token

    response = logged_in_client.get(ROTATE)

    assert response.status_code == 200
    assert b"Replace your calendar address" in response.content
    assert b'method="post"' in response.content
    user.refresh_from_db()
    assert user.calendar_token == token


def test_regenerating_needs_a_login(client):
    response = client.post(ROTATE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_settings_include_shows_the_feed_address_and_a_regenerate_button(rf, user):
    request = rf.get("/accounts/settings/")
    request.user = user

    html = render_to_string(
        "reminders/includes/calendar_settings.html", {"user": user}, request=request
    )

    feed_path = reverse("reminders:calendar_feed", args=[user.calendar_token])
    assert f'value="http://testserver{feed_path}"' in html
    assert f'href="webcal://testserver{feed_path}"' in html
    assert f'href="{ROTATE}"' in html
    assert "The old address stops working" in html
