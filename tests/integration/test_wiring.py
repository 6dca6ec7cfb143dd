"""The parts wired into the pages: next actions and bounces on the dashboard, the follow-up
panel on the application page, links into the composer, and the settings sections.

Time is frozen at NOW; the user's zone is Europe/Berlin (the factory's), where NOW is 14:00.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape

import pytest
import time_machine
from django.urls import reverse

from outreach.models import Outreach
from reminders.models import Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    OutreachFactory,
    ReminderFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
DASHBOARD = reverse("dashboard")


def application_order(html: str, applications) -> list:
    """The applications in the order their cards appear on the page."""
    return sorted(applications, key=lambda a: html.index(f'data-application="{a.pk}"'))


# --- Dashboard ------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_shows_each_applications_next_action_with_overdue_ones_first(
    user, logged_in_client
):
    nothing_planned = ApplicationFactory(user=user, role="Nothing planned role")
    later = ApplicationFactory(user=user, role="Later role")
    overdue = ApplicationFactory(user=user, role="Overdue role")
    soon = ApplicationFactory(user=user, role="Soon role")
    closed = ApplicationFactory(user=user, stage="closed", closed_reason="rejected")
    ReminderFactory(
        user=user, application=later, title="Check in later", due_at=NOW + timedelta(days=5)
    )
    ReminderFactory(
        user=user, application=soon, title="Thank them soon", due_at=NOW + timedelta(hours=3)
    )
    ReminderFactory(
        user=user, application=overdue, title="Follow up, late", due_at=NOW - timedelta(days=1)
    )
    # Not the next action: a later task of the same application, and a finished one.
    ReminderFactory(
        user=user, application=overdue, title="Much later", due_at=NOW + timedelta(days=9)
    )
    ReminderFactory(
        user=user,
        application=soon,
        title="Already done",
        state=Reminder.State.DONE,
        due_at=NOW - timedelta(days=2),
    )

    html = logged_in_client.get(DASHBOARD).content.decode()

    assert application_order(html, [nothing_planned, later, overdue, soon]) == [
        overdue,
        soon,
        later,
        nothing_planned,
    ]
    # The closed one is counted under the board, and listed when that section opens.
    assert f'data-application="{closed.pk}"' not in html
    closed_list = logged_in_client.get(reverse("board_column", args=["closed"])).content
    assert f'data-application="{closed.pk}"' in closed_list.decode()
    assert "Follow up, late" in html and "Thank them soon" in html and "Check in later" in html
    assert "Much later" not in html and "Already done" not in html
    # One overdue badge on the card, and one entry in the Today strip.
    assert html.count('<span class="badge text-bg-danger">Overdue</span>') == 2
    assert html.count('data-today="overdue"') == 1
    assert "Nothing planned</span>" in html


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_counts_overdue_and_todays_tasks_and_links_to_the_task_list(
    user, logged_in_client
):
    application = ApplicationFactory(user=user)
    ReminderFactory.create_batch(
        2, user=user, application=application, due_at=NOW - timedelta(hours=1)
    )
    # 21:00 in Berlin is still today; 01:00 tomorrow is not.
    ReminderFactory(user=user, application=application, due_at=NOW + timedelta(hours=7))
    ReminderFactory(user=user, application=application, due_at=NOW + timedelta(hours=11))

    html = logged_in_client.get(DASHBOARD).content.decode()

    assert f'href="{reverse("reminders:task_list")}" id="task-counts"' in html
    assert html.count('data-today="overdue"') == 2
    assert html.count('data-today="due-today"') == 1
    assert 'id="nothing-due"' not in html


@time_machine.travel(NOW, tick=False)
def test_a_bounced_email_shows_on_the_dashboard(user, logged_in_client):
    application = ApplicationFactory(user=user, role="Data engineer")
    contact = ContactFactory(user=user, name="Ana Lima", email="ana@typo.example")
    OutreachFactory(
        user=user,
        application=application,
        contact=contact,
        subject="Thank you, Ana",
        delivery=Outreach.Delivery.BOUNCED,
        delivery_detail="Mailbox does not exist",
        occurred_at=NOW - timedelta(days=1),
    )

    html = logged_in_client.get(DASHBOARD).content.decode()

    assert 'id="bounced-emails"' in html
    assert "Thank you, Ana" in html
    assert "ana@typo.example" in html
    assert contact.get_absolute_url() in html


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_escapes_what_the_user_typed_into_a_task(user, logged_in_client):
    application = ApplicationFactory(user=user)
    ReminderFactory(user=user, application=application, title="<b>Call</b> them")

    html = logged_in_client.get(DASHBOARD).content.decode()

    assert "<b>Call</b>" not in html
    assert escape("<b>Call</b> them") in html


def test_an_empty_dashboard_still_teaches_the_first_step_and_shows_no_counts(logged_in_client):
    html = logged_in_client.get(DASHBOARD).content.decode()

    assert "Add your first application" in html
    assert 'id="task-counts"' not in html


# --- Application page -----------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_application_page_shows_the_follow_up_panel_with_tasks_and_outreach(
    user, logged_in_client
):
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company, name="Ana Lima")
    ReminderFactory(user=user, application=application, contact=contact, title="Thank Ana Lima")
    OutreachFactory(
        user=user, application=application, contact=contact, subject="Following up on Tuesday"
    )

    html = logged_in_client.get(application.get_absolute_url()).content.decode()

    assert 'id="follow-up-panel"' in html
    assert "Thank Ana Lima" in html
    assert "Following up on Tuesday" in html
    # Three buttons of one GET form that asks for the logging form chosen; none is drawn yet.
    log_url = reverse("reminders:outreach_log", args=[application.pk])
    assert f'<form method="get" action="{log_url}"' in html
    for what, label in (("sent", "I sent it"), ("call", "I called"), ("reply", "They replied")):
        assert f'name="what" value="{what}"' in html
        assert f">{label}</button>" in html
    assert "sent-occurred_at" not in html


@time_machine.travel(NOW, tick=False)
def test_an_email_logged_from_the_application_page_shows_on_its_timeline(user, logged_in_client):
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company, name="Ana Lima")
    InterviewFactory(application=application).interviewers.add(contact)
    log_url = reverse("reminders:outreach_log", args=[application.pk])
    # "I sent it" asks for its form, which offers the interviewer.
    form = logged_in_client.get(
        log_url, {"what": "sent", "next": application.get_absolute_url()}
    ).content.decode()
    assert f'<option value="{contact.pk}">Ana Lima' in form

    response = logged_in_client.post(
        log_url,
        {
            "what": "sent",
            "next": application.get_absolute_url(),
            "sent-channel": "email",
            "sent-occurred_at": "2025-06-01T13:30",
            "sent-contact": contact.pk,
            "sent-subject": "Thanks for the <chat>",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    html = response.content.decode()
    assert escape("Thanks for the <chat>") in html
    assert "Email to Ana Lima" in html


def test_the_application_page_links_each_interviewer_to_a_follow_up(user, logged_in_client):
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company)
    InterviewFactory(application=application).interviewers.add(contact)

    response = logged_in_client.get(application.get_absolute_url())

    url = reverse("outreach:compose_for_contact", args=[contact.pk])
    assert f"{url}?application={application.pk}" in response.content.decode()
    assert logged_in_client.get(f"{url}?application={application.pk}").status_code == 200


# --- Links into the composer ----------------------------------------------------------------


def test_the_interview_page_offers_a_thank_you_to_each_interviewer(user, logged_in_client):
    application = ApplicationFactory(user=user)
    interview = InterviewFactory(application=application)
    ana, ben = ContactFactory.create_batch(2, user=user, company=application.company)
    interview.interviewers.add(ana, ben)

    html = logged_in_client.get(interview.get_absolute_url()).content.decode()

    compose = reverse("outreach:compose_for_interview", args=[interview.pk])
    assert html.count("Write thank-you") == 2
    for contact in (ana, ben):
        assert f"{compose}?contact={contact.pk}" in html
    assert logged_in_client.get(f"{compose}?contact={ana.pk}").status_code == 200


def test_the_contact_page_offers_to_write_an_email(user, logged_in_client):
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company)

    html = logged_in_client.get(contact.get_absolute_url()).content.decode()

    url = reverse("outreach:compose_for_contact", args=[contact.pk])
    assert f'href="{url}"' in html
    assert "Write an email" in html
    assert logged_in_client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("kind", "label", "url_name"),
    [
        (Reminder.Kind.THANK_YOU, "Write the email", "reminders:compose_for_reminder"),
        (Reminder.Kind.FOLLOW_UP, "Write the email", "reminders:compose_for_reminder"),
        (Reminder.Kind.CHECK_IN, "Write the email", "reminders:compose_for_reminder"),
        (Reminder.Kind.PHONE_CALL, "Prepare the call", "reminders:call_for_reminder"),
    ],
)
def test_the_task_page_leads_to_the_composer_or_the_call_page(
    user, logged_in_client, kind, label, url_name
):
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company)
    reminder = ReminderFactory(user=user, application=application, contact=contact, kind=kind)

    html = logged_in_client.get(
        reverse("reminders:task_detail", args=[reminder.pk])
    ).content.decode()

    url = reverse(url_name, args=[reminder.pk])
    assert f'href="{url}">{label}</a>' in html
    assert html.count(label) == 1
    assert logged_in_client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        (Reminder.Kind.CUSTOM, Reminder.State.PENDING),
        (Reminder.Kind.CLOSE_SUGGESTION, Reminder.State.PENDING),
        (Reminder.Kind.THANK_YOU, Reminder.State.DONE),
    ],
)
def test_the_task_page_offers_no_draft_for_a_task_that_is_not_a_message_or_is_closed(
    user, logged_in_client, kind, state
):
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company)
    reminder = ReminderFactory(
        user=user, application=application, contact=contact, kind=kind, state=state
    )

    html = logged_in_client.get(
        reverse("reminders:task_detail", args=[reminder.pk])
    ).content.decode()

    assert "Write the email" not in html
    assert "Prepare the call" not in html


# --- Settings -------------------------------------------------------------------------------


def test_the_settings_page_shows_the_calendar_feed_and_the_reply_address(
    user, logged_in_client, settings
):
    settings.INBOUND_DOMAIN = "in.followup.example"

    html = logged_in_client.get(reverse("accounts:settings")).content.decode()

    feed = reverse("reminders:calendar_feed", args=[user.calendar_token])
    assert f"http://testserver{feed}" in html
    assert reverse("accounts:token_rotate", args=["calendar"]) in html
    assert f"reply+{user.inbound_token}@in.followup.example" in html
    assert reverse("accounts:token_rotate", args=["inbound"]) in html


def test_the_settings_page_says_when_reply_tracking_is_off(logged_in_client, settings):
    settings.INBOUND_DOMAIN = ""

    html = logged_in_client.get(reverse("accounts:settings")).content.decode()

    assert 'id="inbound-settings"' in html
    assert "Reply tracking is not set up on this server" in html
