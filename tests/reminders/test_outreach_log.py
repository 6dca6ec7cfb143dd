"""Logging what the user sent, called or heard back, from the task page or the application."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from interviews.models import Contact
from outreach.forms import OUTREACH_FORMS, CallLogForm, OutreachSentForm
from outreach.models import Outreach
from reminders.models import PURPOSE_OF_KIND, Reminder
from reminders.selectors import application_contacts, application_panel_context
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def setup(user):
    user.timezone = "Europe/Berlin"
    user.save()
    application = ApplicationFactory(user=user)
    ana = ContactFactory(user=user, company=application.company, name="Ana Lima")
    reminder = ReminderFactory(
        user=user,
        application=application,
        contact=ana,
        kind=Reminder.Kind.THANK_YOU,
        title="Thank Ana Lima",
        due_at=NOW + timedelta(hours=20),
    )
    return application, ana, reminder


def log_url(application) -> str:
    return reverse("reminders:outreach_log", args=[application.pk])


@time_machine.travel(NOW, tick=False)
def test_i_sent_it_records_the_email_and_marks_the_task_done(setup, logged_in_client):
    application, ana, reminder = setup
    detail = reverse("reminders:task_detail", args=[reminder.pk])

    response = logged_in_client.post(
        log_url(application),
        {
            "what": "sent",
            "reminder": reminder.pk,
            "next": detail,
            "sent-channel": "email",
            # 13:30 in Berlin (CEST) is 11:30 UTC.
            "sent-occurred_at": "2025-06-02T13:30",
            "sent-contact": ana.pk,
            "sent-subject": "Thank you",
        },
    )

    assert response.status_code == 302
    assert response.url == detail
    outreach = Outreach.objects.get(user=reminder.user)
    assert outreach.direction == Outreach.Direction.OUTGOING
    assert outreach.channel == Outreach.Channel.EMAIL
    assert outreach.contact == ana
    assert outreach.reminder == reminder
    assert outreach.occurred_at == datetime(2025, 6, 2, 11, 30, tzinfo=UTC)
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE
    page = logged_in_client.get(detail).content.decode()
    assert f'id="outreach-{outreach.pk}"' in page
    assert "Email to Ana Lima" in page


@time_machine.travel(NOW, tick=False)
def test_a_handwritten_card_counts_as_sent(setup, logged_in_client):
    application, ana, reminder = setup

    logged_in_client.post(
        log_url(application),
        {
            "what": "sent",
            "reminder": reminder.pk,
            "sent-channel": "card",
            "sent-occurred_at": "2025-06-02T10:00",
            "sent-contact": ana.pk,
        },
    )

    assert Outreach.objects.get().channel == Outreach.Channel.CARD
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE


@time_machine.travel(NOW, tick=False)
def test_i_called_records_the_outcome_and_shows_it_on_the_application_panel(
    setup, logged_in_client
):
    application, ana, _ = setup

    response = logged_in_client.post(
        log_url(application),
        {
            "what": "call",
            "call-call_outcome": "voicemail",
            "call-occurred_at": "2025-06-02T13:00",
            "call-contact": ana.pk,
            "call-body": "Left my number",
        },
    )

    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    outreach = Outreach.objects.get()
    assert outreach.channel == Outreach.Channel.CALL
    assert outreach.call_outcome == Outreach.CallOutcome.VOICEMAIL
    assert outreach.reminder is None


@time_machine.travel(NOW, tick=False)
def test_they_replied_records_an_incoming_message_with_the_pasted_text(setup, logged_in_client):
    application, ana, reminder = setup

    logged_in_client.post(
        log_url(application),
        {
            "what": "reply",
            "reminder": reminder.pk,
            "reply-channel": "email",
            "reply-occurred_at": "2025-06-02T13:00",
            "reply-contact": ana.pk,
            "reply-body": "Thanks! <b>We'll</b> be in touch.",
        },
    )

    outreach = Outreach.objects.get()
    assert outreach.direction == Outreach.Direction.INCOMING
    assert outreach.reminder is None
    page = logged_in_client.get(reverse("reminders:task_detail", args=[reminder.pk]))
    text = page.content.decode()
    assert "Reply from Ana Lima" in text
    assert "&lt;b&gt;We&#x27;ll&lt;/b&gt; be in touch." in text


@time_machine.travel(NOW, tick=False)
def test_the_sent_form_defaults_to_now_in_the_users_zone(setup, logged_in_client):
    _, _, reminder = setup

    page = logged_in_client.get(reverse("reminders:task_detail", args=[reminder.pk]))

    # 12:00 UTC is 14:00 in Berlin in June.
    assert 'value="2025-06-02T14:00"' in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_time_in_the_future_shows_the_form_again_with_the_error(setup, logged_in_client):
    application, ana, reminder = setup

    response = logged_in_client.post(
        log_url(application),
        {
            "what": "sent",
            "reminder": reminder.pk,
            "sent-channel": "email",
            "sent-occurred_at": "2025-06-09T13:00",
            "sent-contact": ana.pk,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "That is in the future" in page
    assert 'class="collapse show" id="log-sent"' in page
    assert not Outreach.objects.exists()
    reminder.refresh_from_db()
    assert reminder.is_open


@time_machine.travel(NOW, tick=False)
def test_a_call_without_an_outcome_is_a_form_error_on_the_application_form_page(
    setup, logged_in_client
):
    application, ana, _ = setup

    response = logged_in_client.post(
        log_url(application),
        {"what": "call", "call-occurred_at": "2025-06-02T13:00", "call-contact": ana.pk},
    )

    assert response.status_code == 200
    assert response.context["call_form"].errors["call_outcome"]
    assert "That could not be saved" in response.content.decode()
    assert not Outreach.objects.exists()


def test_an_unknown_kind_of_outreach_is_a_bad_request(setup, logged_in_client):
    application, _, _ = setup

    response = logged_in_client.post(log_url(application), {"what": "telegram"})

    assert response.status_code == 400


def test_logging_needs_a_post(setup, logged_in_client):
    application, _, _ = setup

    assert logged_in_client.get(log_url(application)).status_code == 405


def test_another_users_application_is_not_found(logged_in_client):
    theirs = ApplicationFactory()

    response = logged_in_client.post(
        log_url(theirs),
        {"what": "reply", "reply-channel": "email", "reply-occurred_at": "2025-06-02T13:00"},
    )

    assert response.status_code == 404
    assert not Outreach.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_another_users_task_is_not_found(setup, logged_in_client):
    application, _, _ = setup
    theirs = ReminderFactory(user=UserFactory())

    response = logged_in_client.post(
        log_url(application),
        {
            "what": "sent",
            "reminder": theirs.pk,
            "sent-channel": "email",
            "sent-occurred_at": "2025-06-02T13:00",
        },
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open


@time_machine.travel(NOW, tick=False)
def test_another_users_contact_is_a_form_error(setup, logged_in_client):
    application, _, _ = setup
    stranger = ContactFactory()

    response = logged_in_client.post(
        log_url(application),
        {
            "what": "reply",
            "reply-channel": "email",
            "reply-occurred_at": "2025-06-02T13:00",
            "reply-contact": stranger.pk,
        },
    )

    assert response.status_code == 200
    assert response.context["reply_form"].errors["contact"]
    assert not Outreach.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_panels_blank_forms_draw_the_same_people_as_from_the_queryset(setup, user):
    application, ana, reminder = setup
    hostile = "<script>\"'&"
    ContactFactory(user=user, company=application.company, name=hostile, job_title=hostile)
    interviewer = ContactFactory(user=user, name="Bo Interviewer")
    InterviewFactory(application=application).interviewers.add(interviewer)
    context = application_panel_context(user=user, application=application, reminder=reminder)
    contacts = application_contacts(user=user, application=application)
    template = Template("{% load python_forms %}{% python_crispy form %}")

    for what, form_class in OUTREACH_FORMS.items():
        expected = form_class(
            contacts=contacts,
            default_contact=ana,
            default_purpose=PURPOSE_OF_KIND.get(reminder.kind, ""),
        )
        drawn = template.render(Context({"form": context[f"{what}_form"]}))
        assert drawn == template.render(Context({"form": expected}))
        assert "Bo Interviewer" in drawn
        assert hostile not in drawn


def test_a_posted_form_checks_its_contact_against_a_queryset(setup):
    choices = OutreachSentForm.people_choices([setup[1]])

    with pytest.raises(TypeError):
        OutreachSentForm({"sent-channel": "email"}, contacts=choices)


@pytest.mark.parametrize(
    "form",
    [*(form(contacts=Contact.objects.none()) for form in OUTREACH_FORMS.values()), CallLogForm()],
)
def test_the_logging_forms_have_no_media_to_draw(form):
    # Their helpers leave the media out (include_media); a widget with some would need it.
    assert str(form.media) == ""
    assert form.helper.include_media is False
