"""Reads: scoped to one user, grouped for the pages, and a query count that does not grow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews import selectors
from interviews.application_query import application_people, application_timeline
from interviews.models import Application
from outreach.models import Outreach
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    OutreachFactory,
    ReminderFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def application_with_history(user, *, role: str = "Engineer") -> Application:
    """An application with a past and an upcoming interview, two interviewers and notes."""
    application = ApplicationFactory(user=user, role=role)
    for offset in (-3, 2):
        interview = InterviewFactory(
            application=application,
            starts_at=NOW + timedelta(days=offset),
            ends_at=NOW + timedelta(days=offset, hours=1),
        )
        for _ in range(2):
            contact = ContactFactory(user=user, company=application.company)
            interview.interviewers.add(contact)
            NoteFactory(interview=interview, contact=contact, kind="topic")
            NoteFactory(interview=interview, contact=contact, kind="skill")
    return application


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_shows_last_and_next_interview(user):
    application_with_history(user)
    row = selectors.application_list_for_dashboard(user=user).get()
    assert row.last_interview_at == NOW - timedelta(days=3)
    assert row.next_interview_at == NOW + timedelta(days=2)
    assert row.interview_count == 2


def test_the_dashboard_puts_open_applications_first_then_the_most_recent(user):
    closed = ApplicationFactory(user=user, stage="closed", closed_reason="rejected")
    older = ApplicationFactory(user=user)
    newer = ApplicationFactory(user=user)
    ApplicationFactory()  # someone else's
    rows = list(selectors.application_list_for_dashboard(user=user))
    assert rows == [newer, older, closed]


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_query_count_does_not_grow_with_applications(user, django_assert_num_queries):
    application_with_history(user)
    with CaptureQueriesContext(connection) as one_row:
        list(selectors.application_list_for_dashboard(user=user))
    assert len(one_row) == 1
    for n in range(49):
        application_with_history(user, role=f"Role {n}")
    with django_assert_num_queries(1):
        rows = list(selectors.application_list_for_dashboard(user=user))
    assert len(rows) == 50


def application_with_tasks(user, *, role: str = "Engineer") -> Application:
    """An application with history, an overdue and a later task, and a bounced email."""
    application = application_with_history(user, role=role)
    contact = application.interviews.first().interviewers.first()
    ReminderFactory(
        user=user, application=application, contact=contact, due_at=NOW - timedelta(hours=1)
    )
    ReminderFactory(user=user, application=application, due_at=NOW + timedelta(days=2))
    OutreachFactory(
        user=user,
        application=application,
        contact=contact,
        subject="Bounced thank-you",
        delivery=Outreach.Delivery.BOUNCED,
        occurred_at=NOW - timedelta(days=1),
    )
    return application


def kept_reply(application) -> None:
    """A reply the inbound webhook kept while the account was deactivated."""
    OutreachFactory(
        user=application.user,
        application=application,
        contact=application.interviews.first().interviewers.first(),
        direction=Outreach.Direction.INCOMING,
        subject="Reply kept for you",
        received_while_inactive=True,
        occurred_at=NOW - timedelta(hours=3),
    )


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_page_makes_as_many_queries_for_50_applications_as_for_1(
    user, client_for, django_assert_num_queries, settings
):
    settings.BOARD_COLUMN_CARDS = 50  # every card on the page, each with its facts
    client = client_for(user)
    kept_reply(application_with_tasks(user))
    client.get(reverse("dashboard"))  # warm the session; the visit's first look is marked
    with CaptureQueriesContext(connection) as one_row:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    # Session (from the database unless Redis holds it) and user, the board (one query), the
    # Today strip (tasks, replies, next interview), the bounces and the replies kept while
    # the account was inactive (one query). A later look in the same visit writes nothing.
    session = 0 if settings.SESSION_ENGINE.endswith(".cached_db") else 1
    assert len(one_row) == 6 + session
    for n in range(49):
        kept_reply(application_with_tasks(user, role=f"Role {n}"))
    with django_assert_num_queries(len(one_row)):
        response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert html.count("data-application=") == 50
    # One notice each, and the first five in Today: the first visit lists the week's replies.
    assert html.count("Reply kept for you") == 50 + 5
    assert html.count('data-today="reply"') == 5
    assert html.count("data-next-action") == 50
    assert html.count('<span class="badge text-bg-danger">Overdue</span>') == 50 + 5
    assert "50 overdue in all" in html
    assert html.count("Bounced thank-you") == 50  # one line per bounced email


@time_machine.travel(NOW, tick=False)
def test_the_application_page_query_count_does_not_grow_with_interviews(
    user, client_for, django_assert_num_queries
):
    client = client_for(user)
    application = application_with_history(user)
    client.get(application.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(application.get_absolute_url())
    for day in range(10):
        interview = InterviewFactory(
            application=application,
            starts_at=NOW - timedelta(days=10 + day),
            ends_at=NOW - timedelta(days=10 + day) + timedelta(hours=1),
        )
        contact = ContactFactory(user=user, company=application.company)
        interview.interviewers.add(contact)
        NoteFactory(interview=interview, contact=contact)
    with django_assert_num_queries(len(few)):
        client.get(application.get_absolute_url())


def test_the_contact_list_query_count_does_not_grow(user, django_assert_num_queries):
    ContactFactory(user=user)
    with CaptureQueriesContext(connection) as one:
        list(selectors.contact_list(user=user))
    ContactFactory.create_batch(49, user=user)
    with django_assert_num_queries(len(one)):
        assert len(list(selectors.contact_list(user=user))) == 50


@time_machine.travel(NOW, tick=False)
def test_the_timeline_is_newest_first_with_notes_grouped_per_interviewer_and_kind(user):
    application = application_with_history(user)
    stray = NoteFactory(
        interview=application.interviews.order_by("starts_at").first(), contact=None
    )
    people = application_people(
        user_id=user.pk, application_id=application.pk, company_id=application.company_id
    )
    timeline = application_timeline(application_id=application.pk, interviewers=people.interviewers)
    assert [s.interview.starts_at for s in timeline] == [
        NOW + timedelta(days=2),
        NOW - timedelta(days=3),
    ]
    person = timeline[0].interviewers[0]
    assert [group.kind for group in person.groups] == ["topic", "skill"]
    assert all(note.contact_id == person.contact.pk for g in person.groups for note in g.notes)
    assert [note.pk for note in timeline[1].other_groups[0].notes] == [stray.pk]


@pytest.mark.parametrize(
    ("getter", "factory"),
    [
        (selectors.application_get, ApplicationFactory),
        (selectors.interview_get, InterviewFactory),
        (selectors.note_get, NoteFactory),
        (selectors.contact_get, ContactFactory),
    ],
)
def test_getting_another_users_object_is_not_found(user, getter, factory):
    with pytest.raises(Http404):
        getter(user=user, pk=factory().pk)


def test_interviewer_choices_are_the_companys_people_plus_current_ones(user):
    application = ApplicationFactory(user=user)
    colleague = ContactFactory(user=user, company=application.company)
    elsewhere = ContactFactory(user=user)
    ContactFactory(user=user)  # another company's, not at this interview
    ContactFactory(company=None)  # someone else's
    choices = selectors.contact_choices(user=user, company=application.company)
    assert list(choices) == [colleague]
    interview = InterviewFactory(application=application)
    interview.interviewers.add(elsewhere)
    other_interview = InterviewFactory(application=application)
    other_interview.interviewers.add(colleague)
    choices = selectors.contact_choices(user=user, company=application.company, interview=interview)
    assert {contact: contact.is_interviewer for contact in choices} == {
        colleague: False,
        elsewhere: True,
    }
