"""The task list of a busy search: the first tasks of each group, and each group in pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from reminders.models import Reminder
from reminders.selectors import (
    TASK_GROUP_PREVIEW,
    TASKS_PER_PAGE,
    application_panel_data,
    with_email_lines,
)
from reminders.task_rows import task_rows_html
from tests.factories import ApplicationFactory, ContactFactory, ReminderFactory, UserFactory

pytestmark = pytest.mark.django_db

# 03:30 UTC on 10 March 2025 is 23:30 on 9 March in New York and 12:30 on 10 March in Tokyo.
NOW = datetime(2025, 3, 10, 3, 30, tzinfo=UTC)
TASKS = reverse("reminders:task_list")


def _tasks(user, count: int, *, start: datetime, step: timedelta, prefix: str) -> None:
    for i in range(count):
        ReminderFactory(user=user, title=f"{prefix} {i:02}", due_at=start + i * step)


def _titles(reminders) -> list[str]:
    return [reminder.title for reminder in reminders]


@time_machine.travel(NOW, tick=False)
def test_the_overview_shows_the_first_of_each_group_with_its_full_count(client_for):
    user = UserFactory(timezone="America/New_York")
    _tasks(user, 12, start=NOW - timedelta(days=12), step=timedelta(hours=1), prefix="Late")
    _tasks(user, 2, start=NOW + timedelta(minutes=5), step=timedelta(minutes=1), prefix="Tonight")
    _tasks(user, 30, start=NOW + timedelta(days=1), step=timedelta(days=1), prefix="Later")

    response = client_for(user).get(TASKS)

    groups = response.context["groups"]
    assert groups.counts == {"overdue": 12, "today": 2, "upcoming": 30}
    assert groups.open_count == 44
    assert _titles(groups.overdue) == [f"Late {i:02}" for i in range(TASK_GROUP_PREVIEW)]
    assert _titles(groups.today) == ["Tonight 00", "Tonight 01"]
    assert _titles(groups.upcoming) == [f"Later {i:02}" for i in range(TASK_GROUP_PREVIEW)]
    page = response.content.decode()
    assert "Show all 12 overdue tasks" in page
    assert f"{TASKS}?group=overdue" in page
    assert "Show all 30 upcoming tasks" in page
    assert "tasks due today" not in page  # all shown


@pytest.mark.parametrize(
    ("zone", "today", "upcoming"),
    [("America/New_York", 1, 1), ("Asia/Tokyo", 2, 0)],
)
@time_machine.travel(NOW, tick=False)
def test_the_groups_end_at_the_users_own_midnight(client_for, zone, today, upcoming):
    user = UserFactory(timezone=zone)
    ReminderFactory(user=user, title="In 15 minutes", due_at=NOW + timedelta(minutes=15))
    # 00:30 on 10 March in New York (tomorrow there); 13:30 the same day in Tokyo.
    ReminderFactory(user=user, title="In an hour", due_at=NOW + timedelta(hours=1))

    groups = client_for(user).get(TASKS).context["groups"]

    assert groups.counts == {"overdue": 0, "today": today, "upcoming": upcoming}


@time_machine.travel(NOW, tick=False)
def test_one_group_is_shown_a_page_at_a_time(client_for):
    user = UserFactory(timezone="Europe/Berlin")
    total = TASKS_PER_PAGE + 3
    _tasks(user, total, start=NOW + timedelta(days=1), step=timedelta(days=1), prefix="Later")
    ReminderFactory(user=user, title="Overdue one", due_at=NOW - timedelta(hours=1))
    client = client_for(user)

    first = client.get(TASKS, {"group": "upcoming"})
    second = client.get(TASKS, {"group": "upcoming", "page": "2"})

    assert _titles(first.context["groups"].upcoming) == [
        f"Later {i:02}" for i in range(TASKS_PER_PAGE)
    ]
    assert first.context["groups"].overdue == []
    assert first.context["groups"].done == []
    assert "Page 1 of 2" in first.content.decode()
    assert f"{TASKS}?group=upcoming&amp;page=2" in first.content.decode()
    assert _titles(second.context["groups"].upcoming) == [
        f"Later {i:02}" for i in range(TASKS_PER_PAGE, total)
    ]
    assert f"{TASKS}?group=upcoming&amp;page=1" in second.content.decode()
    # The buttons on a page come back to that page.
    assert 'value="/tasks/?group=upcoming&amp;page=2"' in second.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"group": "someday"}, {"page": "0"}, {"page": "two"}, {"page": "²"}, {"page": "9" * 30}],
)
def test_a_malformed_group_or_page_is_a_clear_400(logged_in_client, query):
    response = logged_in_client.get(TASKS, query)

    assert response.status_code == 400
    assert response.content.decode() in (
        "Show the overdue, today's or upcoming tasks.",
        "The page must be a whole number from 1.",
    )


def test_a_page_past_the_last_is_not_found(user, logged_in_client):
    ReminderFactory(user=user)

    assert logged_in_client.get(TASKS, {"group": "upcoming", "page": "1"}).status_code == 200
    assert logged_in_client.get(TASKS, {"group": "upcoming", "page": "2"}).status_code == 404
    # An empty group still has its one (empty) page.
    assert logged_in_client.get(TASKS, {"group": "overdue"}).status_code == 200
    # A page whose offset no database integer holds is past the last too, not a 500.
    assert logged_in_client.get(TASKS, {"group": "upcoming", "page": "9" * 18}).status_code == 404


HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


@time_machine.travel(NOW, tick=False)
def test_the_rows_escape_hostile_text_and_read_as_the_tasks_themselves_do(client_for):
    """The list reads its rows as plain values (TaskRow): they render exactly as the
    Reminder rows they come from, every user's text escaped."""
    user = UserFactory(timezone="Europe/Berlin")
    application = ApplicationFactory(user=user, role=HOSTILE, company__name=HOSTILE)
    contact = ContactFactory(user=user, company=application.company, name=HOSTILE)
    about = {"user": user, "application": application, "contact": contact}
    ReminderFactory(**about, title=HOSTILE, due_at=NOW - timedelta(hours=1))
    ReminderFactory(
        **about, kind=Reminder.Kind.THANK_YOU, title="", due_at=NOW + timedelta(hours=20)
    )
    ReminderFactory(
        user=user,
        application=None,
        title=HOSTILE,
        state=Reminder.State.FAILED,
        last_error=HOSTILE,
        due_at=NOW + timedelta(days=3),
    )
    ReminderFactory(
        **about, title="Sent", state=Reminder.State.DONE, completed_at=NOW - timedelta(days=1)
    )

    response = client_for(user).get(TASKS)

    page = response.content.decode()
    assert HOSTILE not in page
    assert page.count(HOSTILE_ESCAPED) >= 6
    groups = response.context["groups"]
    shown = groups.overdue + groups.today + groups.upcoming + groups.done
    assert len(shown) == 4
    reminders = {reminder.pk: reminder for reminder in Reminder.objects.filter(user=user)}
    with_email_lines(reminders=reminders.values(), user=user, now=NOW)
    with timezone.override(user.zone):
        for row in shown:
            as_row, as_reminder = (
                task_rows_html([task], next_path="/tasks/", csrf_token="token")
                for task in (row, reminders[row.pk])
            )
            assert as_row == as_reminder


@time_machine.travel(NOW, tick=False)
def test_an_applications_panel_rows_read_as_the_tasks_themselves_do(client_for):
    user = UserFactory(timezone="Europe/Berlin")
    application = ApplicationFactory(user=user, role=HOSTILE, company__name=HOSTILE)
    contact = ContactFactory(user=user, company=application.company, name=HOSTILE)
    about = {"user": user, "application": application, "contact": contact}
    ReminderFactory(**about, title=HOSTILE, due_at=NOW - timedelta(hours=1))
    ReminderFactory(**about, kind=Reminder.Kind.CHECK_IN, title="", due_at=NOW + timedelta(days=2))
    ReminderFactory(**about, title="Done", state=Reminder.State.DONE)

    rows = application_panel_data(user=user, application=application)["panel_tasks"]

    reminders = list(Reminder.objects.filter(user=user, state=Reminder.State.PENDING))
    with_email_lines(reminders=reminders, user=user, now=NOW)
    with timezone.override(user.zone):
        as_rows, as_reminders = (
            task_rows_html(tasks, next_path="/", csrf_token="token") for tasks in (rows, reminders)
        )
    assert as_rows == as_reminders
    assert HOSTILE not in as_rows
    assert as_rows.count(HOSTILE_ESCAPED) == 8  # role, company, contact, two titles
