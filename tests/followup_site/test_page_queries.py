"""Every page of bench/pages.py takes as many queries with 50 applications as with 1.

Each application comes with everything a page could loop over: two interviewers, an
interview with notes, an overdue, a later and a finished task, a call task, an email sent and
a reply, and an open draft. A page whose query count grew with them would be a query per row.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews.models import Note
from outreach.models import Draft, Occasion, Outreach
from reminders.models import Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    OutreachFactory,
    ReminderFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)

# The pages of bench/pages.py; ids from the first application (see _first_ids).
PAGES = {
    "dashboard": "/",
    "applications": "/applications/",
    "application": "/applications/{application}/",
    "interview": "/interviews/{interview}/",
    "interview_new": "/applications/{application}/interviews/new/",
    "interview_edit": "/interviews/{interview}/edit/",
    "tasks": "/tasks/",
    "tasks_upcoming": "/tasks/?group=upcoming",
    "tasks_upcoming_page_2": "/tasks/?group=upcoming&page=2",
    "task": "/tasks/{task}/",
    "call": "/tasks/calls/{call_task}/",
    "task_new": "/tasks/new/",
    "calendar": "/tasks/calendar/{calendar_token}.ics",
    "composer": "/outreach/compose/interview/{interview}/?contact={contact}",
    "draft": "/outreach/drafts/{draft}/",
    "drafts": "/outreach/drafts/",
    "templates": "/outreach/templates/",
    "contacts": "/contacts/",
    "contact": "/contacts/{contact}/",
    "settings": "/accounts/settings/",
    "search": "/search/?q=answer",
    "search_filtered": "/search/?q=Role&stage=applied&overdue=on",
    "stats": "/stats/",
    "invitations": "/invitations/",
    "contact_import": "/contacts/import/",
}


def _application_with_everything(user, n: int) -> dict:
    application = ApplicationFactory(user=user, role=f"Role {n}")
    ana = ContactFactory(user=user, company=application.company, name=f"Ana {n}")
    bo = ContactFactory(user=user, company=application.company, name=f"Bo {n}")
    interview = InterviewFactory(
        application=application,
        starts_at=NOW - timedelta(days=2),
        ends_at=NOW - timedelta(days=2) + timedelta(hours=1),
    )
    interview.interviewers.set([ana, bo])
    NoteFactory(interview=interview, contact=ana, kind=Note.Kind.TOPIC)
    NoteFactory(interview=interview, contact=bo, kind=Note.Kind.SKILL)
    task = ReminderFactory(
        user=user, application=application, contact=ana, due_at=NOW - timedelta(hours=3)
    )
    # Later tasks: more than a page of upcoming tasks once there are 50 applications.
    for days in (2, 20):
        ReminderFactory(
            user=user, application=application, contact=bo, due_at=NOW + timedelta(days=days)
        )
    call = ReminderFactory(
        user=user,
        application=application,
        contact=bo,
        kind=Reminder.Kind.PHONE_CALL,
        due_at=NOW + timedelta(days=3),
    )
    ReminderFactory(
        user=user,
        application=application,
        state=Reminder.State.DONE,
        completed_at=NOW - timedelta(days=1),
    )
    OutreachFactory(user=user, application=application, contact=ana, occurred_at=NOW)
    OutreachFactory(
        user=user,
        application=application,
        contact=ana,
        direction=Outreach.Direction.INCOMING,
        occurred_at=NOW - timedelta(hours=1),
    )
    draft = Draft.objects.create(
        user=user,
        application=application,
        contact=bo,
        occasion=Occasion.TOPIC_FOLLOW_UP,
        subject=f"Following up {n}",
        body="Hello",
    )
    return {
        "application": application.pk,
        "interview": interview.pk,
        "contact": ana.pk,
        "task": task.pk,
        "call_task": call.pk,
        "draft": draft.pk,
        "calendar_token": user.calendar_token,
    }


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(queries)


@time_machine.travel(NOW, tick=False)
def test_no_page_makes_more_queries_for_50_applications_than_for_1(
    user, client_for, django_assert_num_queries
):
    client = client_for(user)
    ids = _application_with_everything(user, 0)
    paths = {name: path.format(**ids) for name, path in PAGES.items()}
    # The first look at the dashboard in a visit writes it down, the next ones in the same
    # minutes write nothing (accounts.services.user_dashboard_seen): both counts below are
    # of a look within the visit.
    client.get(paths["dashboard"])
    # Page 2 of the upcoming tasks exists only with more than a page of them: measure it at 50.
    one = {name: _queries(client, path) for name, path in paths.items() if "page_2" not in name}
    for n in range(1, 50):
        _application_with_everything(user, n)

    for name, path in paths.items():
        with django_assert_num_queries(one.get(name, one["tasks_upcoming"])):
            response = client.get(path)
        assert response.status_code == 200, name
    # The 50 are really there: the tasks page counts them.
    tasks = client.get(paths["tasks"]).context["groups"]
    assert tasks.counts == {"overdue": 50, "today": 0, "upcoming": 150}
