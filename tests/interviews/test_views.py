"""The interviews pages: ownership, forms that forgive mistakes, and escaping."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Application, Company, Contact, Interview, Note
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'
XSS_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def interview_post(**overrides: str) -> dict[str, str]:
    """A complete "log an interview" submission with one interviewer card."""
    data = {
        "date": "2025-05-06",
        "start_time": "10:00",
        "end_time": "11:00",
        "timezone": "Europe/Berlin",
        "format": "video",
        "location": "https://meet.example/abc",
        "general_notes": "",
        "interviewers-TOTAL_FORMS": "1",
        "interviewers-INITIAL_FORMS": "0",
        "interviewers-MIN_NUM_FORMS": "0",
        "interviewers-MAX_NUM_FORMS": "20",
        "interviewers-0-contact": "",
        "interviewers-0-name": "Dana Scully",
        "interviewers-0-job_title": "Head of platform",
        "interviewers-0-email": "dana@company.example",
        "interviewers-0-phone": "",
        "interviewers-0-topics": "Their move to event sourcing\nThe on-call rota",
        "interviewers-0-interests": "Sailing",
        "interviewers-0-skills": "",
        "interviewers-0-answers_to_fix": "",
        "interviewers-0-questions": "",
        "interviewers-0-follow_up_not_before": "",
        "interviewers-0-follow_up_preference": "",
        "interviewers-0-other": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def owned(user):
    """One of each object, belonging to ``user``."""
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company)
    interview = InterviewFactory(application=application)
    interview.interviewers.add(contact)
    note = NoteFactory(interview=interview, contact=contact)
    return {"application": application, "contact": contact, "interview": interview, "note": note}


OBJECT_URLS = [
    ("application_detail", "application"),
    ("interviews:application_edit", "application"),
    ("interviews:application_delete", "application"),
    ("interviews:application_close", "application"),
    ("interviews:application_reopen", "application"),
    ("interviews:interview_log", "application"),
    ("interviews:interview_detail", "interview"),
    ("interviews:interview_edit", "interview"),
    ("interviews:interview_delete", "interview"),
    ("interviews:note_edit", "note"),
    ("interviews:note_delete", "note"),
    ("interviews:contact_detail", "contact"),
    ("interviews:contact_edit", "contact"),
    ("interviews:contact_delete", "contact"),
]
LIST_URLS = [
    "dashboard",
    "interviews:application_list",
    "interviews:application_create",
    "interviews:contact_list",
    "interviews:contact_create",
]


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), OBJECT_URLS)
def test_anonymous_visitors_are_sent_to_log_in_for_object_pages(client, owned, name, kind):
    url = reverse(name, args=[owned[kind].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", LIST_URLS)
def test_anonymous_visitors_are_sent_to_log_in_for_list_pages(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "kind"), OBJECT_URLS)
def test_another_users_objects_are_not_found_on_get(client_for, other_user, owned, name, kind):
    response = client_for(other_user).get(reverse(name, args=[owned[kind].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kind"), OBJECT_URLS)
def test_another_users_objects_are_not_found_on_post_and_stay_unchanged(
    client_for, other_user, owned, name, kind
):
    data = interview_post(reason="rejected", stage="applied", role="Hacked", name="Hacked")
    response = client_for(other_user).post(reverse(name, args=[owned[kind].pk]), data)
    assert response.status_code == 404
    application = Application.objects.get(pk=owned["application"].pk)
    assert application.role == "Backend engineer"
    assert application.stage == Application.Stage.INTERVIEWING
    assert Interview.objects.filter(pk=owned["interview"].pk).exists()
    assert Note.objects.filter(pk=owned["note"].pk).exists()
    assert Contact.objects.get(pk=owned["contact"].pk).name == owned["contact"].name
    assert Interview.objects.count() == 1


@pytest.mark.parametrize("name", LIST_URLS)
def test_list_pages_show_nothing_of_other_users(client_for, other_user, owned, name):
    response = client_for(other_user).get(reverse(name))
    assert response.status_code == 200
    assert owned["contact"].name not in response.content.decode()
    assert owned["application"].company.name not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("interviews:application_delete", "application"),
        ("interviews:application_close", "application"),
        ("interviews:interview_delete", "interview"),
        ("interviews:note_delete", "note"),
        ("interviews:contact_delete", "contact"),
    ],
)
def test_a_get_on_a_state_changing_url_only_asks_for_confirmation(
    logged_in_client, owned, name, kind
):
    response = logged_in_client.get(reverse(name, args=[owned[kind].pk]))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert b"csrfmiddlewaretoken" in response.content
    assert Interview.objects.count() == 1
    assert Note.objects.count() == 1
    assert Contact.objects.count() == 1
    assert Application.objects.get().stage == Application.Stage.INTERVIEWING


# --- Dashboard ------------------------------------------------------------------------------


def test_an_empty_dashboard_teaches_the_first_step(logged_in_client):
    response = logged_in_client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert b"Add your first application" in response.content
    assert reverse("interviews:application_create").encode() in response.content


def test_the_dashboard_lists_open_applications_before_closed_ones(logged_in_client, user):
    ApplicationFactory(
        user=user,
        role="Closed role",
        stage=Application.Stage.CLOSED,
        closed_reason=Application.ClosedReason.REJECTED,
    )
    ApplicationFactory(user=user, role="Open role")
    content = logged_in_client.get(reverse("dashboard")).content.decode()
    # The closed ones are counted under the open ones, and listed when that section opens.
    assert "Open role" in content and "Closed role" not in content
    assert content.index("Open role") < content.index('<details class="board-closed')
    closed = logged_in_client.get(reverse("board_column", args=["closed"])).content.decode()
    assert "Closed role" in closed and "Open role" not in closed


def test_the_dashboard_shows_the_next_interview(logged_in_client, user):
    application = ApplicationFactory(user=user)
    InterviewFactory(
        application=application,
        starts_at=datetime(2099, 1, 5, 9, 0, tzinfo=UTC),
        ends_at=datetime(2099, 1, 5, 10, 0, tzinfo=UTC),
    )
    content = logged_in_client.get(reverse("dashboard")).content.decode()
    # Shown in the user's zone (Europe/Berlin: UTC+1 in January).
    assert "Mon 5 Jan, 10:00" in content


# --- Applications ---------------------------------------------------------------------------


def test_creating_an_application_reuses_the_company_regardless_of_case(logged_in_client, user):
    company = CompanyFactory(user=user, name="Acme Robotics")
    response = logged_in_client.post(
        reverse("interviews:application_create"),
        {"company_name": "acme robotics", "role": "Staff engineer", "stage": "applied"},
    )
    application = Application.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.company == company
    assert Company.objects.filter(user=user).count() == 1


def test_a_bad_application_form_shows_what_was_typed_and_saves_nothing(logged_in_client):
    response = logged_in_client.post(
        reverse("interviews:application_create"),
        {
            "company_name": "Initech",
            "role": "r" * 201,
            "posting_url": "not a link",
            "stage": "applied",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Initech"' in content
    assert "not a link" in content
    assert "Ensure this value has at most 200 characters" in content
    assert "Enter a valid URL" in content
    assert Application.objects.count() == 0
    assert Company.objects.count() == 0


def test_editing_an_application_saves_the_changes(logged_in_client, owned):
    application = owned["application"]
    response = logged_in_client.post(
        reverse("interviews:application_edit", args=[application.pk]),
        {"company_name": "Globex", "role": "Platform lead", "stage": "offer"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.company.name, application.role, application.stage) == (
        "Globex",
        "Platform lead",
        "offer",
    )


def test_closing_an_application_records_the_reason(logged_in_client, owned):
    application = owned["application"]
    response = logged_in_client.post(
        reverse("interviews:application_close", args=[application.pk]), {"reason": "withdrawn"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Application.Stage.CLOSED
    assert application.closed_reason == Application.ClosedReason.WITHDRAWN
    assert application.closed_at is not None


def test_closing_without_a_reason_asks_for_one(logged_in_client, owned):
    application = owned["application"]
    response = logged_in_client.post(
        reverse("interviews:application_close", args=[application.pk]), {"reason": "bored"}
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    application.refresh_from_db()
    assert application.is_open


def test_reopening_a_closed_application_puts_it_back_at_the_chosen_stage(logged_in_client, user):
    application = ApplicationFactory(
        user=user, stage=Application.Stage.CLOSED, closed_reason=Application.ClosedReason.REJECTED
    )
    logged_in_client.post(
        reverse("interviews:application_reopen", args=[application.pk]), {"stage": "screening"}
    )
    application.refresh_from_db()
    assert (application.stage, application.closed_reason) == ("screening", "")


def test_deleting_an_application_takes_its_interviews_but_keeps_contacts(logged_in_client, owned):
    response = logged_in_client.post(
        reverse("interviews:application_delete", args=[owned["application"].pk])
    )
    assert response.status_code == 302
    assert Application.objects.count() == 0
    assert Interview.objects.count() == 0
    assert Contact.objects.count() == 1


def test_the_application_page_shows_interviewers_and_their_notes_by_kind(logged_in_client, owned):
    NoteFactory(
        interview=owned["interview"], contact=owned["contact"], kind="interest", text="Chess"
    )
    response = logged_in_client.get(owned["application"].get_absolute_url())
    content = response.content.decode()
    assert owned["contact"].name in content
    assert "Topic discussed" in content
    assert "Interest they mentioned" in content
    assert "Chess" in content
    assert reverse("interviews:interview_log", args=[owned["application"].pk]) in content


# --- Logging an interview -------------------------------------------------------------------


def test_the_log_form_defaults_to_the_users_timezone(logged_in_client, owned):
    response = logged_in_client.get(
        reverse("interviews:interview_log", args=[owned["application"].pk])
    )
    assert response.status_code == 200
    assert b'<option value="Europe/Berlin" selected>' in response.content
    assert b"interviewers-TOTAL_FORMS" in response.content


def test_logging_an_interview_saves_it_with_interviewers_and_notes(logged_in_client, user):
    application = ApplicationFactory(user=user, stage=Application.Stage.APPLIED)
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[application.pk]),
        interview_post(**{"general_notes": "Office has a nice view"}),
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(application.get_absolute_url())
    assert interview.starts_at == datetime(2025, 5, 6, 8, 0, tzinfo=UTC)
    assert interview.ends_at == datetime(2025, 5, 6, 9, 0, tzinfo=UTC)
    dana = interview.interviewers.get()
    assert (dana.name, dana.company, dana.user) == ("Dana Scully", application.company, user)
    assert sorted(dana.interview_notes.values_list("kind", "text")) == [
        ("interest", "Sailing"),
        ("topic", "The on-call rota"),
        ("topic", "Their move to event sourcing"),
    ]
    assert interview.notes.get(contact=None).text == "Office has a nice view"
    application.refresh_from_db()
    assert application.stage == Application.Stage.INTERVIEWING


def test_logging_two_interviewers_one_known_one_new(logged_in_client, owned):
    known = owned["contact"]
    data = interview_post(
        **{
            "interviewers-TOTAL_FORMS": "2",
            "interviewers-1-contact": str(known.pk),
            "interviewers-1-skills": "Liked my SQL tuning story",
            "interviewers-1-follow_up_not_before": "2025-05-20",
            "interviewers-1-follow_up_preference": "Email after the team offsite",
        }
    )
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]), data
    )
    assert response.status_code == 302
    interview = Interview.objects.latest("created_at")
    assert set(interview.interviewers.values_list("name", flat=True)) == {
        "Dana Scully",
        known.name,
    }
    follow_up = interview.notes.get(kind=Note.Kind.FOLLOW_UP)
    assert follow_up.contact == known
    assert str(follow_up.follow_up_not_before) == "2025-05-20"
    assert follow_up.text == "Email after the team offsite"


def test_an_end_before_the_start_reshows_everything_and_saves_nothing(logged_in_client, owned):
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]),
        interview_post(end_time="09:00"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The end has to be after the start." in content
    assert "Nothing is saved yet" in content
    assert 'value="Dana Scully"' in content
    assert "Their move to event sourcing" in content
    assert 'value="https://meet.example/abc"' in content
    assert Interview.objects.count() == 1
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("interviewers-0-email", "dana-at-example", "Enter a valid email address"),
        ("interviewers-0-name", "n" * 201, "at most 200 characters"),
        ("interviewers-0-topics", "t" * 5001, "at most 5000 characters"),
        ("interviewers-0-topics", "see https://exa mple", "does not look like a web address"),
        ("interviewers-0-topics", "https://x.example/" + "a" * 1000, "longer than 1000"),
        ("location", "l" * 501, "at most 500 characters"),
        ("date", "31/31/2025", "Enter a valid date"),
        ("timezone", "Mars/Olympus", "Select a valid choice"),
        ("interviewers-0-contact", "999999", "Select a valid choice"),
    ],
)
def test_bad_interview_input_is_a_form_error_not_a_crash(
    logged_in_client, owned, field, value, message
):
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]),
        interview_post(**{field: value}),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Interview.objects.count() == 1


def test_another_users_contact_cannot_be_picked_as_interviewer(logged_in_client, owned, other_user):
    stranger = ContactFactory(user=other_user)
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]),
        interview_post(**{"interviewers-0-contact": str(stranger.pk), "interviewers-0-name": ""}),
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not stranger.interviews.exists()


def test_notes_without_a_person_ask_who_it_was(logged_in_client, owned):
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]),
        interview_post(**{"interviewers-0-name": ""}),
    )
    assert response.status_code == 200
    assert b"Who was this?" in response.content
    assert Interview.objects.count() == 1


def test_add_another_interviewer_without_javascript_keeps_what_was_typed(logged_in_client, owned):
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]),
        interview_post(add_interviewer="1", end_time="09:00"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="interviewers-1-name"' in content
    assert 'name="interviewers-TOTAL_FORMS" value="2"' in content
    assert 'value="Dana Scully"' in content
    assert "Their move to event sourcing" in content
    # Asking for another card is not a submission: no premature errors, nothing saved.
    assert "The end has to be after the start." not in content
    assert "Nothing is saved yet" not in content
    assert Interview.objects.count() == 1


def test_a_spare_empty_interviewer_card_is_ignored(logged_in_client, owned):
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]),
        interview_post(**{"interviewers-TOTAL_FORMS": "2"}),
    )
    assert response.status_code == 302
    assert Interview.objects.latest("created_at").interviewers.count() == 1


def test_a_tampered_management_form_is_an_error_not_a_crash(logged_in_client, owned):
    data = interview_post()
    del data["interviewers-TOTAL_FORMS"]
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]), data
    )
    assert response.status_code == 200
    assert Interview.objects.count() == 1


# --- Editing interviews and notes -----------------------------------------------------------


def test_editing_an_interview_shows_its_current_values(logged_in_client, owned):
    response = logged_in_client.get(
        reverse("interviews:interview_edit", args=[owned["interview"].pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{owned["contact"].pk}" selected>' in content
    assert "Take this person off the interview" in content


def test_the_edit_page_reads_the_contacts_once_however_many_interviewers(
    logged_in_client, owned, django_assert_num_queries
):
    interview = owned["interview"]
    url = reverse("interviews:interview_edit", args=[interview.pk])
    with CaptureQueriesContext(connection) as one_card:
        logged_in_client.get(url)
    more = ContactFactory.create_batch(
        4, user=owned["contact"].user, company=interview.application.company
    )
    interview.interviewers.add(*more)

    with django_assert_num_queries(len(one_card)):
        response = logged_in_client.get(url)
    content = response.content.decode()
    # Five cards with a person picked, a spare one, and the one copied for another person.
    assert content.count("Someone new (type below)") == 7
    for contact in [owned["contact"], *more]:
        assert content.count(f'<option value="{contact.pk}" selected>') == 1
        assert content.count(f'<option value="{contact.pk}">') == 6


def test_editing_an_interview_can_take_someone_off_and_add_notes(logged_in_client, owned):
    interview, contact = owned["interview"], owned["contact"]
    data = interview_post(
        **{
            "interviewers-TOTAL_FORMS": "2",
            "interviewers-INITIAL_FORMS": "1",
            "interviewers-0-contact": str(contact.pk),
            "interviewers-0-name": "",
            "interviewers-0-job_title": "",
            "interviewers-0-email": "",
            "interviewers-0-topics": "",
            "interviewers-0-interests": "",
            "interviewers-0-DELETE": "on",
            "interviewers-1-name": "Fox Mulder",
            "interviewers-1-questions": "Why this team?",
        }
    )
    response = logged_in_client.post(
        reverse("interviews:interview_edit", args=[interview.pk]), data
    )
    assert response.status_code == 302
    assert list(interview.interviewers.values_list("name", flat=True)) == ["Fox Mulder"]
    # The note already written about the removed interviewer stays.
    assert Note.objects.filter(pk=owned["note"].pk, contact=contact).exists()
    assert interview.notes.filter(kind="question", text="Why this team?").exists()
    interview.refresh_from_db()
    assert interview.starts_at == datetime(2025, 5, 6, 8, 0, tzinfo=UTC)


def test_deleting_an_interview_removes_its_notes(logged_in_client, owned):
    response = logged_in_client.post(
        reverse("interviews:interview_delete", args=[owned["interview"].pk])
    )
    assert response.status_code == 302
    assert response["Location"] == owned["application"].get_absolute_url()
    assert Note.objects.count() == 0
    assert Contact.objects.count() == 1


def test_editing_a_note_saves_it(logged_in_client, owned):
    note = owned["note"]
    response = logged_in_client.post(
        reverse("interviews:note_edit", args=[note.pk]),
        {"kind": "skill", "contact": "", "text": "Debugging under pressure", "link": ""},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.kind, note.text, note.contact) == ("skill", "Debugging under pressure", None)


def test_a_bad_note_link_reshows_the_note(logged_in_client, owned):
    note = owned["note"]
    response = logged_in_client.post(
        reverse("interviews:note_edit", args=[note.pk]),
        {"kind": "topic", "text": "Changed text", "link": "http://"},
    )
    assert response.status_code == 200
    assert b"Changed text" in response.content
    assert b"Enter a valid URL" in response.content
    note.refresh_from_db()
    assert note.text != "Changed text"


def test_deleting_a_note(logged_in_client, owned):
    response = logged_in_client.post(reverse("interviews:note_delete", args=[owned["note"].pk]))
    assert response.status_code == 302
    assert Note.objects.count() == 0


# --- Contacts -------------------------------------------------------------------------------


def test_adding_a_contact_with_a_company_name(logged_in_client, user):
    response = logged_in_client.post(
        reverse("interviews:contact_create"),
        {"name": "Walter Skinner", "company_name": "FBI", "email": "ws@fbi.example"},
    )
    contact = Contact.objects.get(user=user)
    assert response.status_code == 302
    assert contact.company.name == "FBI"


def test_a_malformed_contact_email_is_a_form_error(logged_in_client):
    response = logged_in_client.post(
        reverse("interviews:contact_create"),
        {"name": "Walter Skinner", "email": "walter@", "profile_url": "ftp//nope"},
    )
    assert response.status_code == 200
    assert b"Enter a valid email address" in response.content
    assert b"Enter a valid URL" in response.content
    assert b'value="Walter Skinner"' in response.content
    assert Contact.objects.count() == 0


def test_the_contact_page_shows_their_interviews_and_notes(logged_in_client, owned):
    response = logged_in_client.get(owned["contact"].get_absolute_url())
    content = response.content.decode()
    assert owned["note"].text in content
    assert owned["interview"].get_absolute_url() in content


def test_editing_and_deleting_a_contact(logged_in_client, owned):
    contact = owned["contact"]
    logged_in_client.post(
        reverse("interviews:contact_edit", args=[contact.pk]), {"name": "Renamed Person"}
    )
    contact.refresh_from_db()
    assert contact.name == "Renamed Person"
    assert contact.company is None
    logged_in_client.post(reverse("interviews:contact_delete", args=[contact.pk]))
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Note.objects.get(pk=owned["note"].pk).contact is None


# --- Escaping -------------------------------------------------------------------------------


def test_html_typed_by_the_user_is_escaped_on_every_page(logged_in_client, user):
    company = CompanyFactory(user=user, name=XSS)
    application = ApplicationFactory(user=user, company=company, role=XSS)
    contact = ContactFactory(
        user=user, company=company, name=XSS, job_title=XSS, interests=XSS, notes=XSS
    )
    interview = InterviewFactory(application=application, location=XSS)
    interview.interviewers.add(contact)
    note = NoteFactory(interview=interview, contact=contact, text=XSS)
    pages = [
        reverse("dashboard"),
        reverse("interviews:application_list"),
        application.get_absolute_url(),
        reverse("interviews:application_edit", args=[application.pk]),
        reverse("interviews:application_delete", args=[application.pk]),
        reverse("interviews:application_close", args=[application.pk]),
        reverse("interviews:interview_log", args=[application.pk]),
        interview.get_absolute_url(),
        reverse("interviews:interview_edit", args=[interview.pk]),
        reverse("interviews:interview_delete", args=[interview.pk]),
        reverse("interviews:note_edit", args=[note.pk]),
        reverse("interviews:note_delete", args=[note.pk]),
        reverse("interviews:contact_list"),
        contact.get_absolute_url(),
        reverse("interviews:contact_edit", args=[contact.pk]),
        reverse("interviews:contact_delete", args=[contact.pk]),
    ]
    for url in pages:
        content = logged_in_client.get(url).content.decode()
        assert XSS not in content, url
        assert XSS_ESCAPED in content or "&lt;script&gt;" in content, url


def test_html_in_a_rejected_form_is_escaped_when_shown_again(logged_in_client):
    response = logged_in_client.post(
        reverse("interviews:application_create"),
        {"company_name": XSS, "role": "", "stage": "applied"},
    )
    assert response.status_code == 200
    assert XSS not in response.content.decode()


def test_csrf_is_enforced_on_logging_an_interview(owned, user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]), interview_post()
    )
    assert response.status_code == 403
    assert Interview.objects.count() == 1


def test_users_only_see_their_own_contacts_to_pick(logged_in_client, owned):
    stranger = ContactFactory(user=UserFactory(), company=None, name="Stranger Danger")
    response = logged_in_client.get(
        reverse("interviews:interview_log", args=[owned["application"].pk])
    )
    assert stranger.name not in response.content.decode()
    assert owned["contact"].name in response.content.decode()


# --- How to greet someone -------------------------------------------------------------------


def test_a_contact_added_with_a_title_is_greeted_by_first_name(logged_in_client, user):
    response = logged_in_client.post(
        reverse("interviews:contact_create"),
        {"name": "Dr. Anja Becker", "salutation_style": "first_name"},
    )
    contact = Contact.objects.get(user=user)
    assert response.status_code == 302
    assert (contact.honorific, contact.given_name, contact.family_name) == ("Dr.", "Anja", "Becker")
    page = logged_in_client.get(contact.get_absolute_url()).content.decode()
    assert "“Hi Anja,”" in page


def test_the_contact_edit_page_shows_the_parts_of_their_name(logged_in_client, owned):
    contact = owned["contact"]
    contact.name = "Prof. Dr. Hans-Peter Müller"
    contact.save()
    page = logged_in_client.get(reverse("interviews:contact_edit", args=[contact.pk]))
    content = page.content.decode()
    assert 'name="honorific" value="Prof. Dr."' in content
    assert 'name="given_name" value="Hans-Peter"' in content
    assert 'name="family_name" value="Müller"' in content
    assert "Formally: “Dear Prof. Dr. Müller,”" in content


def test_choosing_a_formal_greeting_on_the_contact_page(logged_in_client, owned):
    contact = owned["contact"]
    form = logged_in_client.get(reverse("interviews:contact_edit", args=[contact.pk])).context[
        "form"
    ]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(name="Dr. Anja Becker", salutation_style="formal")
    response = logged_in_client.post(reverse("interviews:contact_edit", args=[contact.pk]), data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.salutation == "Dear Dr. Becker"


def test_a_greeting_name_with_hi_in_it_reshows_the_contact_form(logged_in_client):
    response = logged_in_client.post(
        reverse("interviews:contact_create"), {"name": "Sam", "greeting_name": "Hi Sam,"}
    )
    assert response.status_code == 200
    assert "Type only the name" in response.content.decode()
    assert Contact.objects.count() == 0


def test_logging_a_new_interviewer_with_the_greeting_left_folded_away(logged_in_client, owned):
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]),
        interview_post(**{"interviewers-0-name": "Dr. Dana Scully"}),
    )
    assert response.status_code == 302
    dana = Contact.objects.get(name="Dr. Dana Scully")
    assert (dana.first_name, dana.last_name, dana.salutation) == ("Dana", "Scully", "Hi Dana")


def test_the_greeting_section_opens_when_it_has_an_error(logged_in_client, owned):
    page = logged_in_client.get(
        reverse("interviews:interview_log", args=[owned["application"].pk])
    ).content.decode()
    assert '<details class="mb-3"><summary>How to greet them</summary>' in page
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[owned["application"].pk]),
        interview_post(**{"interviewers-0-greeting_name": "Dear Dana"}),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert '<details class="mb-3" open><summary>How to greet them</summary>' in content
    assert "Type only the name" in content


def test_editing_an_interview_corrects_a_known_interviewers_greeting(logged_in_client, owned):
    interview, contact = owned["interview"], owned["contact"]
    contact.name = "Li Wei"
    contact.save()
    page = logged_in_client.get(reverse("interviews:interview_edit", args=[interview.pk]))
    assert "How to greet them: “Hi Li,”" in page.content.decode()
    data = interview_post(
        **{
            "interviewers-INITIAL_FORMS": "1",
            "interviewers-0-contact": str(contact.pk),
            "interviewers-0-greeting_for": str(contact.pk),
            "interviewers-0-name": "",
            "interviewers-0-job_title": "",
            "interviewers-0-email": "",
            "interviewers-0-given_name": "Wei",
            "interviewers-0-family_name": "Li",
            "interviewers-0-greeting_name": "Li",
            "interviewers-0-salutation_style": "first_name",
        }
    )
    response = logged_in_client.post(
        reverse("interviews:interview_edit", args=[interview.pk]), data
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.given_name, contact.family_name, contact.salutation) == ("Wei", "Li", "Hi Wei")


# --- Answers to fix -------------------------------------------------------------------------


def test_logging_an_answer_to_fix_with_its_question_and_better_answer(logged_in_client, user):
    application = ApplicationFactory(user=user)
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[application.pk]),
        interview_post(
            **{
                "interviewers-0-answers_to_fix": "I rambled and never gave an example",
                "interviewers-0-fix_question": "How would you shard the orders table?",
                "interviewers-0-fix_better_answer": "By customer ID, with reports on a replica.",
            }
        ),
    )
    assert response.status_code == 302
    note = Note.objects.get(kind=Note.Kind.ANSWER_TO_FIX)
    assert (note.text, note.question, note.better_answer) == (
        "I rambled and never gave an example",
        "How would you shard the orders table?",
        "By customer ID, with reports on a replica.",
    )


def test_a_question_without_what_went_wrong_reshows_the_card_open(logged_in_client, user):
    application = ApplicationFactory(user=user)
    response = logged_in_client.post(
        reverse("interviews:interview_log", args=[application.pk]),
        interview_post(**{"interviewers-0-fix_question": "What is the CAP theorem?"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say in a few words what went wrong" in page
    assert "What is the CAP theorem?" in page
    assert not Interview.objects.exists()


def test_editing_an_answer_to_fix_saves_its_question_and_better_answer(logged_in_client, owned):
    note = owned["note"]
    response = logged_in_client.post(
        reverse("interviews:note_edit", args=[note.pk]),
        {
            "kind": "answer_to_fix",
            "contact": owned["contact"].pk,
            "text": "I blanked",
            "link": "",
            "question": "What is the CAP theorem?",
            "better_answer": "Under a partition, a system gives up consistency or availability.",
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.question, note.better_answer) == (
        "What is the CAP theorem?",
        "Under a partition, a system gives up consistency or availability.",
    )


def test_the_interview_page_shows_an_answers_parts_and_asks_for_missing_ones(
    logged_in_client, owned
):
    interview, contact = owned["interview"], owned["contact"]
    NoteFactory(
        interview=interview,
        contact=contact,
        kind=Note.Kind.ANSWER_TO_FIX,
        text="I blanked",
        question="What is the CAP theorem?",
        better_answer=XSS,
    )
    bare = NoteFactory(
        interview=interview, contact=contact, kind=Note.Kind.ANSWER_TO_FIX, text="Rambled"
    )
    page = logged_in_client.get(interview.get_absolute_url()).content.decode()
    assert "Their question:</span> What is the CAP theorem?" in page
    assert 'What you would say now:</span> <span class="text-pre">' + XSS_ESCAPED in page
    edit = reverse("interviews:note_edit", args=[bare.pk])
    assert f'<a href="{edit}">Add their question and what you would say now</a>' in page
