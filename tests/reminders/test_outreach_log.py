"""Logging what the user sent, called or heard back, from the task page or the application."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode

from interviews.models import Contact
from outreach.forms import OUTREACH_FORMS, CallLogForm, OutreachSentForm
from outreach.models import Outreach
from reminders.models import PURPOSE_OF_KIND, Reminder
from reminders.selectors import application_contacts, outreach_form_blank
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


def log_url(application, **query) -> str:
    url = reverse("reminders:outreach_log", args=[application.pk])
    return f"{url}?{urlencode(query)}" if query else url


HTMX = {"HX-Request": "true"}


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
    application, _, reminder = setup

    page = logged_in_client.get(log_url(application, what="sent", reminder=reminder.pk))

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
    assert response.templates[0].name == "reminders/task_detail.html"
    assert "That is in the future" in page
    # Open in the panel's slot, its button saying so, the others closed.
    slot = page.split('<div id="log-form">', 1)[1]
    assert slot.lstrip().startswith('<form method="post"')
    assert 'data-what="sent"' in slot
    assert 'value="sent" aria-controls="log-form" aria-expanded="true">I sent it' in page
    assert 'value="call" aria-controls="log-form" aria-expanded="false">I called' in page
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
    assert response.context["form"].errors["call_outcome"]
    page = response.content.decode()
    assert "That could not be saved" in page
    assert '<h1 class="h4 mb-3">Log a call</h1>' in page
    assert page.count('<form method="post" action="' + log_url(application)) == 1
    assert not Outreach.objects.exists()


def test_an_unknown_kind_of_outreach_is_a_bad_request(setup, logged_in_client):
    application, _, _ = setup

    response = logged_in_client.post(log_url(application), {"what": "telegram"})

    assert response.status_code == 400


@pytest.mark.parametrize("what", ["", "telegram", "SENT"])
def test_asking_for_an_unknown_kind_of_form_is_a_bad_request_that_says_why(
    setup, logged_in_client, what
):
    application, _, _ = setup

    for headers in ({}, HTMX):
        response = logged_in_client.get(log_url(application, what=what), headers=headers)

        assert response.status_code == 400
        assert "log what you sent, a call or a reply" in response.content.decode()


def test_logging_is_a_get_for_the_form_and_a_post_for_the_record(setup, logged_in_client):
    application, _, _ = setup

    assert logged_in_client.put(log_url(application, what="sent")).status_code == 405


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
    assert response.context["form"].errors["contact"]
    assert not Outreach.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_blank_form_draws_the_same_people_as_from_the_queryset(setup, user):
    application, ana, reminder = setup
    hostile = "<script>\"'&"
    ContactFactory(user=user, company=application.company, name=hostile, job_title=hostile)
    interviewer = ContactFactory(user=user, name="Bo Interviewer")
    InterviewFactory(application=application).interviewers.add(interviewer)
    contacts = application_contacts(user=user, application=application)
    template = Template("{% load python_forms %}{% python_crispy form %}")

    for form_class in OUTREACH_FORMS.values():
        blank = outreach_form_blank(
            user=user, application=application, form_class=form_class, reminder=reminder
        )
        expected = form_class(
            contacts=contacts,
            default_contact=ana,
            default_purpose=PURPOSE_OF_KIND.get(reminder.kind, ""),
        )
        drawn = template.render(Context({"form": blank}))
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


# --- The panel's buttons, and the one form each asks for ------------------------------------


def _picker(page: str) -> str:
    """The panel's form of three buttons."""
    return page.split('<form method="get"', 1)[1].split("</form>", 1)[0]


def _slot(page: str) -> str:
    """What the panel's slot for a logging form holds."""
    return page.split('<div id="log-form">', 1)[1].split('<h3 class="h6 mt-4">', 1)[0]


@time_machine.travel(NOW, tick=False)
def test_the_panel_draws_three_buttons_and_no_logging_form(setup, logged_in_client):
    application, _, reminder = setup
    detail = reverse("reminders:task_detail", args=[reminder.pk])

    # A query string comes back as it was, escaped once.
    for url, on_task_page in ((f"{application.get_absolute_url()}?a=1&b=2", False), (detail, True)):
        page = logged_in_client.get(url).content.decode()
        url = escape(url)

        assert "-occurred_at" not in page
        assert f'<form method="get" action="{log_url(application)}"' in page
        picker = _picker(page)
        assert f'hx-get="{log_url(application)}" hx-target="#log-form"' in picker
        for what, label in (("sent", "I sent it"), ("call", "I called"), ("reply", "They replied")):
            assert (
                f'type="submit" name="what" value="{what}" aria-controls="log-form" '
                f'aria-expanded="false">{label}</button>'
            ) in picker
        assert f'<input type="hidden" name="next" value="{url}">' in picker
        if not on_task_page:  # the task's own row, with its buttons, is on this one
            assert page.count(f'name="next" value="{url}"') >= 2
        assert (f'name="reminder" value="{reminder.pk}"' in picker) is on_task_page
        assert _slot(page).replace("</div>", "").strip() == ""


@time_machine.travel(NOW, tick=False)
def test_a_button_loads_its_form_alone_for_htmx_with_the_tasks_person_and_purpose(
    setup, logged_in_client
):
    application, ana, reminder = setup
    detail = reverse("reminders:task_detail", args=[reminder.pk])

    response = logged_in_client.get(
        log_url(application, what="sent", reminder=reminder.pk, next=detail), headers=HTMX
    )

    fragment = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert "<html" not in fragment and "<h1" not in fragment
    assert fragment.count("<form ") == 1
    assert 'data-what="sent"' in fragment
    assert "Log it here; this task is then done." in fragment
    assert 'name="csrfmiddlewaretoken"' in fragment
    assert '<input type="hidden" name="what" value="sent">' in fragment
    assert f'<input type="hidden" name="reminder" value="{reminder.pk}">' in fragment
    assert f'<input type="hidden" name="next" value="{detail}">' in fragment
    assert f'<option value="{ana.pk}" selected>Ana Lima' in fragment
    assert '<option value="thank_you" selected>A thank-you</option>' in fragment
    assert '<button type="submit" class="btn btn-primary">Log it as sent</button>' in fragment
    assert (
        '<button type="button" class="btn btn-outline-secondary" data-log-cancel>Cancel</button>'
        in fragment
    )


@time_machine.travel(NOW, tick=False)
def test_without_javascript_a_button_opens_its_form_on_a_page_of_its_own(setup, logged_in_client):
    application, _, _ = setup
    back = application.get_absolute_url()

    response = logged_in_client.get(log_url(application, what="call", next=back))

    page = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert page.startswith("<!doctype html>")
    assert f'<a href="{back}">&larr; {application.role} at {application.company.name}</a>' in page
    assert '<h1 class="h4 mb-3">Log a call</h1>' in page
    assert page.count("data-what=") == 1 and 'data-what="call"' in page
    assert "a logged call counts" in page
    assert 'name="reminder"' not in page
    assert f'<a class="btn btn-outline-secondary" href="{back}" data-log-cancel>Cancel</a>' in page
    assert "That could not be saved" not in page


@time_machine.travel(NOW, tick=False)
def test_a_call_logged_from_its_own_page_goes_back_to_the_application(setup, logged_in_client):
    application, ana, _ = setup
    back = application.get_absolute_url()
    page = logged_in_client.get(log_url(application, what="call", next=back)).content.decode()
    assert f'<input type="hidden" name="next" value="{back}">' in page

    response = logged_in_client.post(
        log_url(application),
        {
            "what": "call",
            "next": back,
            "call-call_outcome": "reached",
            "call-occurred_at": "2025-06-02T13:00",
            "call-contact": ana.pk,
        },
    )

    assert (response.status_code, response.url) == (302, back)
    assert Outreach.objects.get().call_outcome == Outreach.CallOutcome.REACHED


def test_a_form_for_another_users_task_or_another_applications_is_not_found(
    setup, user, logged_in_client
):
    application, _, _ = setup
    theirs = ReminderFactory(user=UserFactory())
    of_another_application = ReminderFactory(user=user, application=ApplicationFactory(user=user))

    for reminder in (theirs, of_another_application):
        for headers in ({}, HTMX):
            url = log_url(application, what="sent", reminder=reminder.pk)
            assert logged_in_client.get(url, headers=headers).status_code == 404


def test_a_form_for_another_users_application_is_not_found(logged_in_client):
    theirs = ApplicationFactory()

    assert logged_in_client.get(log_url(theirs, what="reply")).status_code == 404


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/tasks/", "javascript:alert(1)"]
)
def test_a_next_address_off_the_site_is_not_offered(setup, logged_in_client, unsafe):
    application, _, reminder = setup
    detail = reverse("reminders:task_detail", args=[reminder.pk])

    for headers in ({}, HTMX):
        response = logged_in_client.get(
            log_url(application, what="reply", reminder=reminder.pk, next=unsafe),
            headers=headers,
        )

        page = response.content.decode()
        assert response.status_code == 200
        assert "evil.example" not in page and "javascript:" not in page
        assert f'<input type="hidden" name="next" value="{detail}">' in page


@time_machine.travel(NOW, tick=False)
def test_a_task_page_shown_again_after_an_error_still_leads_back_to_the_task(
    setup, logged_in_client
):
    application, ana, reminder = setup
    detail = reverse("reminders:task_detail", args=[reminder.pk])

    response = logged_in_client.post(
        log_url(application),
        {"what": "call", "reminder": reminder.pk, "next": detail, "call-contact": ana.pk},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-what="call"' in _slot(page)
    # The page's address is the log's; every way on from it leads back to the task instead.
    assert f'name="next" value="{log_url(application)}"' not in page
    assert f'<input type="hidden" name="next" value="{detail}">' in _picker(page)
    assert f'<input type="hidden" name="next" value="{detail}">' in _slot(page)
    assert f'<a class="btn btn-outline-secondary" href="{detail}" data-log-cancel>' in page


@time_machine.travel(NOW, tick=False)
def test_a_form_takes_as_many_queries_for_many_people_as_for_one(
    setup, user, logged_in_client, django_assert_num_queries, session_queries
):
    application, _, reminder = setup
    url = log_url(application, what="sent", reminder=reminder.pk)

    # The user, the application, the task and its person, the people to choose from.
    with django_assert_num_queries(4 + session_queries):
        logged_in_client.get(url, headers=HTMX)
    ContactFactory.create_batch(30, user=user, company=application.company)
    with django_assert_num_queries(4 + session_queries):
        response = logged_in_client.get(url, headers=HTMX)

    assert response.content.decode().count('<option value="') >= 31
