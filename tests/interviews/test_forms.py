"""Forms: times in the interview's zone, interviewer cards, greetings, and errors on fields."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from interviews import services
from interviews.forms import GREETING_FIELDS, ApplicationForm, ContactForm, NoteForm
from interviews.interview_forms import InterviewerForm, InterviewForm
from interviews.models import Contact, Note
from interviews.names import NameParts
from interviews.note_text import NoteDraft
from tests.factories import ContactFactory, NoteFactory


def render_crispy(form) -> str:
    from crispy_forms.utils import render_crispy_form

    return render_crispy_form(form)


pytestmark = pytest.mark.django_db


def interview_data(**overrides: str) -> dict[str, str]:
    data = {
        "date": "2025-03-10",
        "start_time": "09:00",
        "end_time": "10:30",
        "timezone": "America/New_York",
        "format": "video",
    }
    data.update(overrides)
    return data


def test_times_are_read_in_the_interviews_own_zone():
    form = InterviewForm(interview_data())
    assert form.is_valid(), form.errors
    # New York is on daylight time (UTC-4) from 9 March 2025.
    assert form.cleaned_data["starts_at"] == datetime(2025, 3, 10, 13, 0, tzinfo=UTC)
    assert form.cleaned_data["ends_at"] == datetime(2025, 3, 10, 14, 30, tzinfo=UTC)


def test_times_on_the_day_clocks_change_are_read_correctly():
    form = InterviewForm(interview_data(date="2025-03-30", timezone="Europe/Berlin"))
    assert form.is_valid(), form.errors
    # Berlin moved to summer time (UTC+2) at 02:00 that morning.
    assert form.cleaned_data["starts_at"] == datetime(2025, 3, 30, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("end_time", ["08:59", "09:00"])
def test_an_end_that_is_not_after_the_start_is_an_error_on_the_end(end_time):
    form = InterviewForm(interview_data(end_time=end_time))
    assert not form.is_valid()
    assert form.errors["end_time"] == ["The end has to be after the start."]


def test_an_unknown_time_zone_is_an_error():
    form = InterviewForm(interview_data(timezone="Atlantis/Lost"))
    assert not form.is_valid()
    assert "timezone" in form.errors


def test_general_notes_become_notes_about_no_one():
    form = InterviewForm(interview_data(general_notes="Nice office\nFree lunch"))
    assert form.is_valid(), form.errors
    assert [(n.kind, n.text) for n in form.notes()] == [
        ("other", "Nice office"),
        ("other", "Free lunch"),
    ]


def test_the_edit_form_starts_from_the_interviews_local_times():
    from tests.factories import InterviewFactory

    interview = InterviewFactory(
        starts_at=datetime(2025, 1, 7, 14, 0, tzinfo=UTC),
        ends_at=datetime(2025, 1, 7, 15, 0, tzinfo=UTC),
        timezone="Asia/Tokyo",
    )
    initial = InterviewForm.initial_for(interview)
    assert (initial["date"], str(initial["start_time"]), str(initial["end_time"])) == (
        date(2025, 1, 7),
        "23:00:00",
        "00:00:00",
    )


# --- Interviewer cards ----------------------------------------------------------------------


def card(user, **data: str) -> InterviewerForm:
    return InterviewerForm(data, contact_queryset=Contact.objects.filter(user=user))


def test_an_empty_card_is_valid_and_ignored(user):
    form = card(user)
    assert form.is_valid(), form.errors
    assert form.to_draft() is None


def test_a_new_interviewers_notes_are_split_by_kind_and_line(user):
    form = card(
        user,
        name="Dana Scully",
        topics="Event sourcing\nhttps://research.example/es",
        answers_to_fix="CAP theorem",
        follow_up_not_before="2025-05-20",
    )
    assert form.is_valid(), form.errors
    draft = form.to_draft()
    assert draft.name == "Dana Scully"
    assert [(n.kind, n.text, n.link) for n in draft.notes] == [
        ("topic", "Event sourcing", ""),
        ("topic", "https://research.example/es", "https://research.example/es"),
        ("answer_to_fix", "CAP theorem", ""),
        ("follow_up", "Follow up not before 20 May 2025.", ""),
    ]
    assert draft.notes[-1].follow_up_not_before == date(2025, 5, 20)


def test_picking_a_known_contact_and_typing_a_new_name_is_an_error(user):
    known = ContactFactory(user=user)
    form = card(user, contact=str(known.pk), name="Someone else")
    assert not form.is_valid()
    assert "not both" in form.errors["contact"][0]


def test_notes_without_anyone_ask_who_it_was(user):
    form = card(user, skills="Great at SQL")
    assert not form.is_valid()
    assert form.errors["name"] == ["Who was this? Type their name or pick someone you know."]


def test_another_users_contact_is_not_a_valid_choice(user, other_user):
    form = card(user, contact=str(ContactFactory(user=other_user).pk))
    assert not form.is_valid()
    assert "contact" in form.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("name", "x" * 201),
        ("phone", "1" * 41),
        ("topics", "y" * 5001),
        ("follow_up_preference", "z" * 1001),
        ("follow_up_not_before", "2025-13-45"),
        ("skills", "https://" + "a" * 1000 + ".example"),
    ],
)
def test_bad_interviewer_input_is_a_field_error(user, field, value):
    form = card(user, **{"name": "Dana", field: value})
    assert not form.is_valid()
    assert field in form.errors


def test_no_interviewer_card_field_crashes_on_a_malformed_link_in_notes(user):
    form = card(user, name="Dana", topics="see http://exa mple.com and http://[::1")
    assert not form.is_valid()
    assert "does not look like a web address" in form.errors["topics"][0]


# --- Other forms ----------------------------------------------------------------------------


def test_an_application_needs_a_company_and_a_role_and_a_real_link():
    form = ApplicationForm({"company_name": "", "role": "", "posting_url": "nope"})
    assert not form.is_valid()
    assert set(form.errors) >= {"company_name", "role", "posting_url"}


def test_a_closed_application_is_edited_without_a_stage():
    form = ApplicationForm({"company_name": "A", "role": "B"}, with_stage=False)
    assert form.is_valid(), form.errors
    assert "stage" not in form.cleaned_data


def test_the_application_form_never_offers_closed_as_a_stage():
    assert "closed" not in dict(ApplicationForm().fields["stage"].choices)


def test_a_note_needs_text_and_a_real_link(user):
    form = NoteForm(
        {"kind": "topic", "text": "", "link": "javascript:alert(1)"},
        contact_queryset=Contact.objects.filter(user=user),
    )
    assert not form.is_valid()
    assert set(form.errors) == {"text", "link"}


def test_a_note_kind_must_be_one_we_know(user):
    form = NoteForm(
        {"kind": "gossip", "text": "x"}, contact_queryset=Contact.objects.filter(user=user)
    )
    assert not form.is_valid()
    assert "kind" in form.errors
    assert "gossip" not in Note.Kind.values


def test_a_contact_rejects_a_bad_email_and_an_over_long_note():
    form = ContactForm({"name": "W", "email": "w@", "notes": "n" * 5001})
    assert not form.is_valid()
    assert set(form.errors) == {"email", "notes"}


# --- How to greet someone -------------------------------------------------------------------


def contact_form_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Dr. Anja Becker",
        "honorific": "",
        "given_name": "",
        "family_name": "",
        "greeting_name": "",
        "salutation_style": "first_name",
    }
    data.update(overrides)
    return data


def test_editing_a_contact_starts_from_the_parts_of_their_name(user):
    contact = services.contact_create(user=user, name="Dr. Anja Becker")
    form = ContactForm(initial=ContactForm.initial_for(contact))
    assert {name: form[name].value() for name in GREETING_FIELDS} == {
        "honorific": "Dr.",
        "given_name": "Anja",
        "family_name": "Becker",
        "greeting_name": "Anja",
        "salutation_style": "first_name",
    }


def test_a_contact_saved_with_only_a_name_is_shown_with_parts_read_from_it(user):
    contact = ContactFactory(user=user, name="Prof. Dr. Hans-Peter Müller")
    initial = ContactForm.initial_for(contact)
    assert (initial["honorific"], initial["given_name"], initial["family_name"]) == (
        "Prof. Dr.",
        "Hans-Peter",
        "Müller",
    )


def test_the_greeting_choices_show_how_this_person_would_be_greeted(user):
    contact = services.contact_create(user=user, name="Dr. Anja Becker")
    form = ContactForm(initial=ContactForm.initial_for(contact))
    assert [label for _value, label in form.fields["salutation_style"].choices] == [
        "By first name: “Hi Anja,”",
        "Formally: “Dear Dr. Becker,”",
    ]


def test_a_new_contact_may_leave_every_part_blank():
    form = ContactForm(contact_form_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["given_name"] == ""


def test_a_new_contact_starts_with_the_first_name_greeting_chosen():
    assert ContactForm()["salutation_style"].value() == "first_name"


@pytest.mark.parametrize("typed", ["Hi Anja", "Anja,", "Dear Dr. Becker"])
def test_a_greeting_name_with_greeting_words_is_a_clear_error(typed):
    form = ContactForm(contact_form_data(greeting_name=typed))
    assert not form.is_valid()
    assert form.errors["greeting_name"] == [
        "Type only the name, e.g. “Anja”: the “Hi” or “Dear” and the comma are added for you."
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("salutation_style", "shouting"), ("honorific", "x" * 201), ("given_name", "y" * 201)],
)
def test_a_bad_greeting_detail_is_an_error_on_its_field(field, value):
    form = ContactForm(contact_form_data(**{field: value}))
    assert not form.is_valid()
    assert set(form.errors) == {field}


def test_a_new_interviewers_greeting_can_be_chosen_on_the_card(user):
    form = card(user, name="Dr. Andreas Becker", greeting_name="Andy", salutation_style="formal")
    assert form.is_valid(), form.errors
    draft = form.to_draft()
    assert draft.name_parts == NameParts(greeting_name="Andy")
    assert draft.salutation_style == "formal"


def test_a_card_with_only_greeting_details_asks_who_it_was(user):
    form = card(user, greeting_name="Andy")
    assert not form.is_valid()
    assert form.errors["name"] == ["Who was this? Type their name or pick someone you know."]


def test_editing_an_interview_shows_a_known_interviewers_greeting_on_their_card(user):
    known = services.contact_create(user=user, name="Dr. Anja Becker")
    form = InterviewerForm(
        initial={"contact": known.pk}, contact_queryset=Contact.objects.filter(user=user)
    )
    assert {name: form[name].value() for name in (*GREETING_FIELDS, "greeting_for")} == {
        "honorific": "Dr.",
        "given_name": "Anja",
        "family_name": "Becker",
        "greeting_name": "Anja",
        "salutation_style": "first_name",
        "greeting_for": known.pk,
    }


def test_a_known_interviewers_greeting_corrected_on_their_card_goes_into_the_draft(user):
    known = services.contact_create(user=user, name="Dr. Anja Becker")
    form = card(
        user,
        contact=str(known.pk),
        greeting_for=str(known.pk),
        honorific="Dr.",
        given_name="Anja",
        family_name="Becker",
        greeting_name="Anja",
        salutation_style="formal",
    )
    assert form.is_valid(), form.errors
    draft = form.to_draft()
    assert draft.contact == known and draft.salutation_style == "formal"
    assert draft.name_parts == NameParts("Dr.", "Anja", "Becker", "Anja")


def test_a_known_interviewer_picked_without_greeting_details_keeps_their_greeting(user):
    known = services.contact_create(user=user, name="Dr. Anja Becker")
    form = card(user, contact=str(known.pk), skills="SQL")
    assert form.is_valid(), form.errors
    draft = form.to_draft()
    assert (draft.name_parts, draft.salutation_style) == (None, "")


@pytest.mark.parametrize("shown_for", ["", "other"])
def test_greeting_details_not_shown_for_the_picked_person_are_an_error(user, shown_for):
    known = services.contact_create(user=user, name="Dr. Anja Becker")
    other = services.contact_create(user=user, name="Fox Mulder")
    form = card(
        user,
        contact=str(known.pk),
        greeting_for=str(other.pk) if shown_for else "",
        given_name="Fox",
        greeting_name="Fox",
    )
    assert not form.is_valid()
    assert "was not filled in for the person picked above" in form.non_field_errors()[0]


# --- An answer to fix: what went wrong, their question, what you would say now --------------


def test_an_answer_to_fix_on_a_card_records_the_question_and_what_you_would_say_now(user):
    form = card(
        user,
        name="Dana Scully",
        answers_to_fix="I rambled\nand never gave a concrete example",
        fix_question="  How would you shard   the orders table? ",
        fix_better_answer="By customer ID.\n\nReports go to a replica.",
    )
    assert form.is_valid(), form.errors
    [answer] = form.to_draft().notes
    assert answer == NoteDraft(
        kind="answer_to_fix",
        text="I rambled\nand never gave a concrete example",
        question="How would you shard the orders table?",
        better_answer="By customer ID.\n\nReports go to a replica.",
    )


def test_what_went_wrong_alone_is_still_an_answer_to_fix(user):
    form = card(user, name="Dana Scully", answers_to_fix="I blanked on the CAP theorem")
    assert form.is_valid(), form.errors
    assert [(n.kind, n.text, n.question) for n in form.to_draft().notes] == [
        ("answer_to_fix", "I blanked on the CAP theorem", "")
    ]


def test_a_question_without_what_went_wrong_asks_for_a_few_words(user):
    form = card(user, name="Dana Scully", fix_question="What is the CAP theorem?")
    assert not form.is_valid()
    assert form.errors["answers_to_fix"] == [
        "Say in a few words what went wrong, to remember which answer this is. It is just for you."
    ]


def test_the_card_folds_the_question_and_answer_away_and_opens_them_on_an_error(user):
    closed = InterviewerForm(contact_queryset=Contact.objects.filter(user=user))
    rendered = render_crispy(closed)
    assert "<summary>Their question and what you would say now</summary>" in rendered
    assert '<details class="mb-3"><summary>Their question' in rendered
    assert 'name="fix_question"' in rendered and 'name="fix_better_answer"' in rendered
    too_long = card(user, name="Dana", answers_to_fix="x", fix_question="q" * 501)
    assert not too_long.is_valid()
    assert '<details class="mb-3" open><summary>Their question' in render_crispy(too_long)


def test_the_note_form_edits_the_question_and_what_you_would_say_now(user):
    form = NoteForm(
        {
            "kind": "answer_to_fix",
            "text": "I rambled",
            "question": "How would you shard the orders table?",
            "better_answer": "By customer ID.",
        },
        contact_queryset=Contact.objects.filter(user=user),
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["question"], form.cleaned_data["better_answer"]) == (
        "How would you shard the orders table?",
        "By customer ID.",
    )


def test_the_note_form_starts_from_the_saved_question_and_answer():
    note = NoteFactory(kind="answer_to_fix", text="I rambled", question="Q?", better_answer="A.")
    initial = NoteForm.initial_for(note)
    assert (initial["text"], initial["question"], initial["better_answer"]) == (
        "I rambled",
        "Q?",
        "A.",
    )


@pytest.mark.parametrize("field", ["question", "better_answer"])
def test_only_an_answer_to_fix_has_a_question_and_a_better_answer(user, field):
    form = NoteForm(
        {"kind": "topic", "text": "Event sourcing", field: "Something"},
        contact_queryset=Contact.objects.filter(user=user),
    )
    assert not form.is_valid()
    assert "Only an answer to fix has this" in form.errors[field][0]
