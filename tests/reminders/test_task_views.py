"""The task list, one task, and the Done / Snooze / Skip buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Note
from reminders.models import Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# 03:30 UTC on 10 March 2025 is 23:30 on 9 March in New York (EDT, UTC-4).
NOW = datetime(2025, 3, 10, 3, 30, tzinfo=UTC)


@pytest.fixture
def new_yorker():
    return UserFactory(timezone="America/New_York")


def titles(reminders) -> list[str]:
    return [reminder.title for reminder in reminders]


@time_machine.travel(NOW, tick=False)
def test_tasks_are_grouped_by_the_users_own_midnight(new_yorker, client_for):
    ReminderFactory(user=new_yorker, title="Late", due_at=NOW - timedelta(minutes=30))
    ReminderFactory(user=new_yorker, title="Tonight", due_at=NOW + timedelta(minutes=15))
    # 00:30 local on 10 March: tomorrow for the user, though still 10 March in UTC.
    ReminderFactory(user=new_yorker, title="Tomorrow", due_at=NOW + timedelta(hours=1))
    ReminderFactory(
        user=new_yorker,
        title="Finished",
        state=Reminder.State.DONE,
        completed_at=NOW - timedelta(hours=2),
    )
    ReminderFactory(user=new_yorker, title="Cancelled", state=Reminder.State.CANCELLED)

    response = client_for(new_yorker).get(reverse("reminders:task_list"))

    groups = response.context["groups"]
    assert titles(groups.overdue) == ["Late"]
    assert titles(groups.today) == ["Tonight"]
    assert titles(groups.upcoming) == ["Tomorrow"]
    assert titles(groups.done) == ["Finished"]
    assert b"Cancelled" not in response.content


@time_machine.travel(NOW, tick=False)
def test_due_times_show_in_the_users_zone(new_yorker, client_for):
    ReminderFactory(user=new_yorker, title="Tonight", due_at=NOW + timedelta(minutes=15))

    response = client_for(new_yorker).get(reverse("reminders:task_list"))

    assert "23:45 EDT" in response.content.decode()


def test_a_failed_task_shows_why_and_what_to_do(user, logged_in_client):
    ReminderFactory(
        user=user, state=Reminder.State.FAILED, last_error="The mail server refused the address."
    )

    page = logged_in_client.get(reverse("reminders:task_list")).content.decode()

    assert "We could not email you about this task." in page
    assert "The mail server refused the address." in page
    assert reverse("accounts:settings") in page


def test_task_titles_are_escaped(user, logged_in_client):
    ReminderFactory(user=user, title="<script>alert(1)</script>")

    page = logged_in_client.get(reverse("reminders:task_list")).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_task_list_needs_a_login(client):
    response = client.get(reverse("reminders:task_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def _task_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reminders:task_list"))
    assert response.status_code == 200
    return len(queries)


def _tasks_with_everything(user, count: int, now: datetime) -> None:
    for i in range(count):
        application = ApplicationFactory(user=user)
        contact = ContactFactory(user=user, company=application.company)
        interview = InterviewFactory(application=application)
        ReminderFactory(
            user=user,
            application=application,
            contact=contact,
            interview=interview,
            due_at=now + timedelta(hours=i - count // 2),
        )
        ReminderFactory(
            user=user,
            application=application,
            state=Reminder.State.DONE,
            completed_at=now - timedelta(hours=1),
        )


@time_machine.travel(NOW, tick=False)
def test_the_task_list_takes_as_many_queries_for_50_tasks_as_for_1(
    user, logged_in_client, django_assert_num_queries
):
    _tasks_with_everything(user, 1, NOW)
    with_one = _task_list_queries(logged_in_client)
    _tasks_with_everything(user, 49, NOW)

    with django_assert_num_queries(with_one):
        response = logged_in_client.get(reverse("reminders:task_list"))

    groups = response.context["groups"]
    assert groups.open_count == 50
    assert len(groups.done) == 20


def test_the_task_page_shows_the_interview_notes_for_that_contact(user, logged_in_client):
    application = ApplicationFactory(user=user)
    ana = ContactFactory(user=user, name="Ana Lima", company=application.company)
    bo = ContactFactory(user=user, name="Bo Chen", company=application.company)
    interview = InterviewFactory(application=application)
    interview.interviewers.set([ana, bo])
    NoteFactory(interview=interview, contact=ana, kind=Note.Kind.TOPIC, text="Event sourcing")
    NoteFactory(interview=interview, contact=ana, kind=Note.Kind.SKILL, text="SQL tuning")
    NoteFactory(
        interview=interview, contact=ana, kind=Note.Kind.ANSWER_TO_FIX, text="Raft vs Paxos"
    )
    NoteFactory(interview=interview, contact=ana, kind=Note.Kind.INTEREST, text="Sailing")
    NoteFactory(interview=interview, contact=bo, kind=Note.Kind.TOPIC, text="Bo's topic")
    reminder = ReminderFactory(
        user=user,
        application=application,
        contact=ana,
        interview=interview,
        kind=Reminder.Kind.THANK_YOU,
        title="Thank Ana Lima",
    )

    page = logged_in_client.get(reverse("reminders:task_detail", args=[reminder.pk]))

    text = page.content.decode()
    assert "Thank Ana Lima" in text
    assert "Event sourcing" in text
    assert "SQL tuning" in text
    assert "Raft vs Paxos" in text
    assert "Sailing" not in text  # hobbies stay out of a follow-up
    assert "Bo&#x27;s topic" not in text
    assert "A short note within a day" in text


def test_a_phone_call_task_has_a_calm_down_checklist(user, logged_in_client):
    reminder = ReminderFactory(user=user, kind=Reminder.Kind.PHONE_CALL, title="Call Ana")

    page = logged_in_client.get(reverse("reminders:task_detail", args=[reminder.pk]))

    assert "Before you dial" in page.content.decode()


@pytest.mark.parametrize("button", ["task_done", "task_snooze", "task_skip"])
def test_task_buttons_change_nothing_on_get(button, user, logged_in_client):
    reminder = ReminderFactory(user=user)

    response = logged_in_client.get(reverse(f"reminders:{button}", args=[reminder.pk]))

    assert response.status_code == 405
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING


@time_machine.travel(NOW, tick=False)
def test_done_marks_the_task_done_and_returns_to_the_list(user, logged_in_client):
    reminder = ReminderFactory(user=user)

    response = logged_in_client.post(reverse("reminders:task_done", args=[reminder.pk]))

    assert response.status_code == 302
    assert response.url == reverse("reminders:task_list")
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE
    assert reminder.completed_at == NOW


@time_machine.travel(NOW, tick=False)
def test_done_returns_to_the_page_the_button_was_on(user, logged_in_client):
    reminder = ReminderFactory(user=user)
    detail = reverse("reminders:task_detail", args=[reminder.pk])

    response = logged_in_client.post(
        reverse("reminders:task_done", args=[reminder.pk]), {"next": detail}
    )

    assert response.url == detail


def test_done_never_redirects_to_another_site(user, logged_in_client):
    reminder = ReminderFactory(user=user)

    response = logged_in_client.post(
        reverse("reminders:task_done", args=[reminder.pk]), {"next": "https://evil.example/"}
    )

    assert response.url == reverse("reminders:task_list")


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("snooze", "days"), [("day", 1), ("week", 7)])
def test_snooze_moves_an_overdue_task_a_day_or_a_week_from_now(
    snooze, days, user, logged_in_client
):
    user.timezone = "UTC"
    user.save()
    reminder = ReminderFactory(user=user, due_at=NOW - timedelta(hours=5))

    logged_in_client.post(reverse("reminders:task_snooze", args=[reminder.pk]), {"snooze": snooze})

    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SNOOZED
    assert reminder.due_at == NOW + timedelta(days=days)
    assert reminder.notify_at == NOW + timedelta(days=days)


def test_snooze_for_an_odd_number_of_days_is_refused(user, logged_in_client):
    reminder = ReminderFactory(user=user)

    response = logged_in_client.post(
        reverse("reminders:task_snooze", args=[reminder.pk]), {"snooze": "3 days"}
    )

    assert response.status_code == 400
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING


def test_skip_closes_the_task(user, logged_in_client):
    reminder = ReminderFactory(user=user)

    logged_in_client.post(reverse("reminders:task_skip", args=[reminder.pk]))

    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SKIPPED


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("task_detail", "get"),
        ("task_done", "post"),
        ("task_snooze", "post"),
        ("task_skip", "post"),
    ],
)
def test_another_users_task_is_not_found(name, method, logged_in_client):
    theirs = ReminderFactory()

    response = getattr(logged_in_client, method)(
        reverse(f"reminders:{name}", args=[theirs.pk]),
        {"snooze": "day"} if method == "post" else {},
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == Reminder.State.PENDING


def test_the_task_buttons_need_the_csrf_token(user, client_for):
    from django.test import Client

    reminder = ReminderFactory(user=user)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    response = strict.post(reverse("reminders:task_done", args=[reminder.pk]))

    assert response.status_code == 403
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING


@time_machine.travel(NOW, tick=False)
def test_a_thank_you_snoozes_until_shortly_before_its_deadline_never_past_it(
    user, logged_in_client
):
    deadline = NOW + timedelta(hours=20)
    thanks = ReminderFactory(
        user=user, kind=Reminder.Kind.THANK_YOU, due_at=deadline, notify_at=NOW, title=""
    )
    url = reverse("reminders:task_snooze", args=[thanks.pk])

    page = logged_in_client.get(reverse("reminders:task_detail", args=[thanks.pk]))
    assert "Remind me before the deadline" in page.content.decode()
    assert "Snooze a day" not in page.content.decode()

    logged_in_client.post(url, {"snooze": "day"})
    thanks.refresh_from_db()
    assert (thanks.state, thanks.due_at) == (Reminder.State.PENDING, deadline)

    logged_in_client.post(url, {"snooze": "deadline"})
    thanks.refresh_from_db()
    assert thanks.state == Reminder.State.SNOOZED
    assert thanks.due_at == deadline
    assert thanks.notify_at == deadline - timedelta(hours=2)
