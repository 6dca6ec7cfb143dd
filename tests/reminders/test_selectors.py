"""Reads the dashboard and the application page use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from interviews.application_query import application_people
from interviews.models import Application, Contact
from outreach.forms import OutreachCallForm, OutreachForm
from reminders.board import board_applications, today_strip
from reminders.models import Reminder
from reminders.selectors import application_contacts, application_panel_context
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    InterviewFactory,
    OutreachFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# 03:30 UTC on 10 March 2025 is 23:30 on 9 March in New York (EDT).
NOW = datetime(2025, 3, 10, 3, 30, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
def test_a_cards_next_action_is_the_earliest_open_task_of_its_application():
    user = UserFactory()
    first, second, empty = ApplicationFactory.create_batch(3, user=user)
    ReminderFactory(user=user, application=first, title="Later", due_at=NOW + timedelta(days=2))
    ReminderFactory(user=user, application=first, title="Sooner", due_at=NOW - timedelta(hours=1))
    ReminderFactory(
        user=user,
        application=first,
        title="Done already",
        state=Reminder.State.DONE,
        due_at=NOW - timedelta(days=3),
    )
    ReminderFactory(user=user, application=second, title="Only", due_at=NOW + timedelta(days=1))
    ReminderFactory(application=ApplicationFactory(), title="Not mine")

    board = board_applications(user=user, now=NOW)
    cards = {card.pk: card for column in board.columns for card in column.shown}

    assert set(cards) == {first.pk, second.pk, empty.pk}
    assert cards[first.pk].next_action.title == "Sooner"
    assert cards[first.pk].next_action.is_overdue
    assert cards[second.pk].next_action.title == "Only"
    assert not cards[second.pk].next_action.is_overdue
    assert cards[empty.pk].next_action is None


@time_machine.travel(NOW, tick=False)
def test_the_today_strip_counts_by_the_users_midnight(django_assert_num_queries):
    user = UserFactory(timezone="America/New_York")
    ReminderFactory(user=user, due_at=NOW - timedelta(minutes=5))
    ReminderFactory(user=user, due_at=NOW - timedelta(days=2), state=Reminder.State.FAILED)
    ReminderFactory(user=user, due_at=NOW + timedelta(minutes=20))
    ReminderFactory(user=user, due_at=NOW + timedelta(hours=1))  # after local midnight
    ReminderFactory(user=user, due_at=NOW - timedelta(hours=1), state=Reminder.State.DONE)

    # The three lists with their counts, the replies, the next interview.
    with django_assert_num_queries(3):
        strip = today_strip(user=user, now=NOW, replies_since=None)

    assert (strip.overdue_count, strip.due_today_count, strip.thank_you_count) == (2, 1, 0)
    assert len(strip.overdue) == 2 and len(strip.due_today) == 1
    assert not strip.nothing_due


def test_the_panel_context_has_open_tasks_the_timeline_and_no_blank_form():
    user = UserFactory()
    application = ApplicationFactory(user=user)
    task = ReminderFactory(user=user, application=application)
    ReminderFactory(user=user, application=application, state=Reminder.State.CANCELLED)
    outreach = OutreachFactory(user=user, application=application)

    context = application_panel_context(user=user, application=application)

    assert [row.pk for row in context["panel_tasks"]] == [task.pk]
    assert [row.pk for row in context["panel_outreaches"]] == [outreach.pk]
    # The logging forms are loaded when a button asks for one (reminders.views.outreach_log).
    assert context["panel_form"] is None
    assert not any(isinstance(value, OutreachForm) for value in context.values())


def test_the_panel_context_carries_a_form_sent_with_errors():
    user = UserFactory()
    application = ApplicationFactory(user=user)
    form = OutreachCallForm({"call-call_outcome": "?"}, contacts=Contact.objects.none())

    context = application_panel_context(user=user, application=application, bound_form=form)

    assert context["panel_form"] is form


def test_the_panel_context_refuses_another_users_application():
    with pytest.raises(Application.DoesNotExist):
        application_panel_context(user=UserFactory(), application=ApplicationFactory())


def test_the_panel_on_a_task_page_lists_only_the_other_open_tasks():
    user = UserFactory()
    application = ApplicationFactory(user=user)
    this_one = ReminderFactory(user=user, application=application)
    other = ReminderFactory(user=user, application=application)

    context = application_panel_context(user=user, application=application, reminder=this_one)

    assert [row.pk for row in context["panel_tasks"]] == [other.pk]
    assert context["panel_reminder"] == this_one


def test_application_people_reads_the_interviewers_and_the_contacts_in_one_query(
    django_assert_num_queries,
):
    user = UserFactory()
    company = CompanyFactory(user=user)
    application = ApplicationFactory(user=user, company=company)
    other_application = ApplicationFactory(user=user, company=company)
    first, second = InterviewFactory.create_batch(2, application=application)
    ana = ContactFactory(user=user, company=company, name="Ana")
    bo = ContactFactory(user=user, name="Bo")  # another company: an interviewer only
    ContactFactory(user=user, company=company, name="Cy")  # of the company, no interview
    dee = ContactFactory(user=user, company=company, name="Dee")  # interviewed for the other one
    ContactFactory(user=user, name="Eve")  # neither
    ContactFactory(name="Not mine")
    first.interviewers.add(ana, bo)
    second.interviewers.add(bo)
    InterviewFactory(application=other_application).interviewers.add(dee, ana)

    with django_assert_num_queries(1):
        people = application_people(
            user_id=user.pk, application_id=application.pk, company_id=company.pk
        )

    assert {pk: [c.name for c in cs] for pk, cs in people.interviewers.items()} == {
        first.pk: ["Ana", "Bo"],
        second.pk: ["Bo"],
    }
    assert [c.name for c in people.contacts] == ["Ana", "Bo", "Cy", "Dee"]
    assert [c.pk for c in people.contacts] == [
        c.pk for c in application_contacts(user=user, application=application)
    ]
    assert people.interviewers[first.pk][1].job_title == "Engineering manager"
