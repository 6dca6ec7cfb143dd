"""Writes: what each service records, and that each asks for a re-plan in the same transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from interviews import services
from interviews.models import Application, Company, Contact, Interview, Note
from interviews.names import NameParts
from interviews.note_text import InterviewerDraft, NoteDraft
from interviews.replan import application_changed
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
)

pytestmark = pytest.mark.django_db

START = datetime(2025, 5, 6, 8, 0, tzinfo=UTC)
END = START + timedelta(hours=1)


@pytest.fixture
def rules_calls():
    """Each re-plan this app asked for (its public contract with the apps above it), and
    whether it was asked inside the change's transaction. The reminders app still re-plans
    too: its receiver stays connected."""
    calls: list[tuple[int, bool]] = []

    def record(sender, *, application_id, **kwargs):
        calls.append((application_id, connection.in_atomic_block))

    application_changed.connect(record, dispatch_uid="tests.rules_calls")
    yield calls
    application_changed.disconnect(dispatch_uid="tests.rules_calls")


def log(application, **kwargs):
    return services.interview_log(
        user=application.user,
        application=application,
        starts_at=kwargs.pop("starts_at", START),
        ends_at=kwargs.pop("ends_at", END),
        timezone_name="Europe/Berlin",
        **kwargs,
    )


# --- Companies and applications -------------------------------------------------------------


def test_a_company_is_found_again_whatever_the_case(user):
    company = CompanyFactory(user=user, name="Acme Robotics")
    assert services.company_get_or_create(user=user, name="  ACME   robotics ") == company
    assert Company.objects.count() == 1


def test_two_users_each_get_their_own_company_of_the_same_name(user, other_user):
    mine = services.company_get_or_create(user=user, name="Acme")
    theirs = services.company_get_or_create(user=other_user, name="Acme")
    assert mine != theirs


def test_creating_an_application_applies_the_rules(user, rules_calls):
    application = services.application_create(user=user, company_name="Globex", role="SRE")
    assert application.company.name == "Globex"
    assert application.stage == Application.Stage.APPLIED
    assert rules_calls == [(application.pk, True)]


def test_an_application_cannot_be_created_closed(user):
    with pytest.raises(ValidationError):
        services.application_create(user=user, company_name="X", role="Y", stage="closed")
    assert Application.objects.count() == 0


@time_machine.travel(datetime(2025, 6, 1, 12, 0, tzinfo=UTC), tick=False)
def test_closing_sets_the_stage_reason_and_time_and_applies_the_rules(rules_calls):
    application = ApplicationFactory()
    services.application_close(application=application, reason="rejected")
    application.refresh_from_db()
    assert application.stage == Application.Stage.CLOSED
    assert application.closed_reason == Application.ClosedReason.REJECTED
    assert application.closed_at == datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    assert rules_calls == [(application.pk, True)]


def test_closing_for_an_unknown_reason_is_refused():
    application = ApplicationFactory()
    with pytest.raises(ValidationError):
        services.application_close(application=application, reason="bored")
    application.refresh_from_db()
    assert application.is_open


def test_reopening_clears_the_closing_and_applies_the_rules(rules_calls):
    application = ApplicationFactory(stage="closed", closed_reason="no_response")
    services.application_reopen(application=application, stage="interviewing")
    application.refresh_from_db()
    assert (application.stage, application.closed_reason, application.closed_at) == (
        "interviewing",
        "",
        None,
    )
    assert rules_calls == [(application.pk, True)]


@pytest.mark.parametrize(
    "start, move, end",
    [
        (("applied", ""), ("offer", ""), ("offer", "")),
        (("screening", ""), ("closed", "rejected"), ("closed", "rejected")),
        (("closed", "withdrawn"), ("screening", ""), ("screening", "")),
    ],
    ids=["between-open-stages", "closing", "reopening"],
)
def test_a_board_move_changes_the_stage_by_the_rules_of_each_move(rules_calls, start, move, end):
    application = ApplicationFactory(stage=start[0], closed_reason=start[1])
    services.application_stage_set(application=application, stage=move[0], closed_reason=move[1])
    application.refresh_from_db()
    assert (application.stage, application.closed_reason) == end
    assert (application.closed_at is not None) == (end[0] == "closed")
    assert rules_calls == [(application.pk, True)]


def test_a_board_move_to_the_same_stage_changes_nothing(rules_calls):
    application = ApplicationFactory(stage="screening")
    before = application.updated_at
    services.application_stage_set(application=application, stage="screening")
    application.refresh_from_db()
    assert application.updated_at == before
    assert rules_calls == []


@pytest.mark.parametrize(
    "start, move",
    [
        (("applied", ""), ("archived", "")),
        (("applied", ""), ("closed", "")),
        (("closed", "rejected"), ("closed", "withdrawn")),
    ],
    ids=["unknown-stage", "closing-without-a-reason", "closing-twice"],
)
def test_a_board_move_that_breaks_a_rule_is_refused(rules_calls, start, move):
    application = ApplicationFactory(stage=start[0], closed_reason=start[1])
    with pytest.raises(ValidationError):
        services.application_stage_set(
            application=application, stage=move[0], closed_reason=move[1]
        )
    application.refresh_from_db()
    assert (application.stage, application.closed_reason) == start
    assert rules_calls == []


def test_updating_a_closed_application_keeps_it_closed():
    application = ApplicationFactory(stage="closed", closed_reason="withdrawn")
    services.application_update(
        application=application,
        company_name="Renamed Co",
        role="New role",
        posting_url="",
        applied_on=None,
        stage="offer",
    )
    application.refresh_from_db()
    assert (application.stage, application.role) == ("closed", "New role")


def test_updating_the_stage_applies_the_rules(rules_calls):
    application = ApplicationFactory(stage="applied")
    services.application_update(
        application=application,
        company_name=application.company.name,
        role=application.role,
        posting_url="",
        applied_on=date(2025, 4, 1),
        stage="screening",
    )
    application.refresh_from_db()
    assert application.stage == "screening"
    assert rules_calls == [(application.pk, True)]


# --- Interviews -----------------------------------------------------------------------------


def test_logging_creates_new_contacts_at_the_company_with_their_notes(rules_calls):
    application = ApplicationFactory(stage="applied")
    interview = log(
        application,
        format="phone",
        interviewers=[
            InterviewerDraft(
                name="Dana Scully",
                email="dana@acme.example",
                notes=[
                    NoteDraft(kind="skill", text="Incident reviews"),
                    NoteDraft(
                        kind="follow_up",
                        text="After the offsite",
                        follow_up_not_before=date(2025, 5, 20),
                    ),
                ],
            )
        ],
        notes=[NoteDraft(kind="other", text="Parking is hard")],
    )
    dana = Contact.objects.get(name="Dana Scully")
    assert (dana.user, dana.company, dana.email) == (
        application.user,
        application.company,
        "dana@acme.example",
    )
    assert list(interview.interviewers.all()) == [dana]
    assert dana.interview_notes.get(kind="follow_up").follow_up_not_before == date(2025, 5, 20)
    assert interview.notes.get(contact=None).text == "Parking is hard"
    assert (interview.format, interview.starts_at) == ("phone", START)
    application.refresh_from_db()
    assert application.stage == Application.Stage.INTERVIEWING
    assert rules_calls == [(application.pk, True)]


def test_logging_with_an_existing_contact_reuses_them():
    application = ApplicationFactory()
    known = ContactFactory(user=application.user, company=application.company)
    interview = log(
        application,
        interviewers=[
            InterviewerDraft(contact=known, notes=[NoteDraft(kind="topic", text="Kafka")]),
            InterviewerDraft(contact=known),
        ],
    )
    assert list(interview.interviewers.all()) == [known]
    assert Contact.objects.count() == 1


def test_logging_does_not_move_an_offer_back_to_interviewing():
    application = ApplicationFactory(stage="offer")
    log(application)
    application.refresh_from_db()
    assert application.stage == "offer"


def test_logging_refuses_another_users_contact(other_user):
    application = ApplicationFactory()
    stranger = ContactFactory(user=other_user)
    with pytest.raises(ValidationError):
        log(application, interviewers=[InterviewerDraft(contact=stranger)])
    assert Interview.objects.count() == 0


def test_logging_refuses_another_users_application(other_user):
    application = ApplicationFactory()
    with pytest.raises(ValidationError):
        services.interview_log(
            user=other_user,
            application=application,
            starts_at=START,
            ends_at=END,
            timezone_name="UTC",
        )
    assert Interview.objects.count() == 0


@pytest.mark.parametrize("ends_at", [START, START - timedelta(minutes=1)])
def test_logging_refuses_an_end_that_is_not_after_the_start(ends_at):
    with pytest.raises(ValidationError):
        log(ApplicationFactory(), ends_at=ends_at)
    assert Interview.objects.count() == 0


def test_a_failure_half_way_leaves_nothing_behind(other_user):
    application = ApplicationFactory()
    stranger = ContactFactory(user=other_user)
    with pytest.raises(ValidationError):
        log(
            application,
            interviewers=[
                InterviewerDraft(name="Saved first", notes=[NoteDraft(kind="topic", text="x")]),
                InterviewerDraft(contact=stranger),
            ],
        )
    assert not Contact.objects.filter(name="Saved first").exists()
    assert Note.objects.count() == 0


def test_updating_an_interview_sets_interviewers_and_adds_notes(rules_calls):
    interview = InterviewFactory()
    application = interview.application
    old = ContactFactory(user=application.user, company=application.company)
    interview.interviewers.add(old)
    kept = NoteFactory(interview=interview, contact=old, text="Old note")
    services.interview_update(
        interview=interview,
        starts_at=START,
        ends_at=END + timedelta(minutes=30),
        timezone_name="America/New_York",
        format="onsite",
        location="Room 4",
        interviewers=[
            InterviewerDraft(name="New Person", notes=[NoteDraft(kind="question", text="Why?")])
        ],
    )
    interview.refresh_from_db()
    assert list(interview.interviewers.values_list("name", flat=True)) == ["New Person"]
    assert (interview.timezone, interview.format, interview.location) == (
        "America/New_York",
        "onsite",
        "Room 4",
    )
    assert Note.objects.filter(pk=kept.pk, contact=old).exists()
    assert interview.notes.count() == 2
    assert rules_calls == [(application.pk, True)]


def test_deleting_an_interview_removes_its_notes_and_applies_the_rules(rules_calls):
    note = NoteFactory()
    application = note.interview.application
    services.interview_delete(interview=note.interview)
    assert Note.objects.count() == 0
    assert rules_calls == [(application.pk, True)]


# --- Notes and contacts ---------------------------------------------------------------------


def test_updating_and_deleting_a_note_apply_the_rules(rules_calls):
    note = NoteFactory()
    application = note.interview.application
    services.note_update(note=note, kind="answer_to_fix", text="The CAP answer", link="")
    note.refresh_from_db()
    assert (note.kind, note.text) == ("answer_to_fix", "The CAP answer")
    services.note_delete(note=note)
    assert Note.objects.count() == 0
    assert rules_calls == [(application.pk, True), (application.pk, True)]


def test_a_note_cannot_be_pointed_at_another_users_contact(other_user):
    note = NoteFactory()
    with pytest.raises(ValidationError):
        services.note_update(
            note=note, kind="topic", text="x", contact=ContactFactory(user=other_user)
        )


def test_creating_a_contact_without_a_company(user):
    contact = services.contact_create(user=user, name="Walter Skinner")
    assert contact.company is None


def test_deleting_a_contact_keeps_their_notes_and_reapplies_their_applications_rules(
    rules_calls,
):
    interview = InterviewFactory()
    contact = ContactFactory(user=interview.application.user, company=interview.application.company)
    interview.interviewers.add(contact)
    note = NoteFactory(interview=interview, contact=contact)
    services.contact_delete(contact=contact)
    note.refresh_from_db()
    assert note.contact is None
    assert rules_calls == [(interview.application.pk, True)]


# --- How to greet someone -------------------------------------------------------------------


def greeting_of(contact: Contact) -> tuple[str, str, str, str, str]:
    contact.refresh_from_db()
    return (
        contact.honorific,
        contact.given_name,
        contact.family_name,
        contact.greeting_name,
        contact.salutation_style,
    )


def test_a_new_contacts_name_parts_are_taken_from_the_name_box(user):
    contact = services.contact_create(user=user, name="Dr. Anja Becker")
    assert greeting_of(contact) == ("Dr.", "Anja", "Becker", "Anja", "first_name")
    assert contact.salutation == "Hi Anja"


def test_a_new_contacts_typed_parts_win_over_the_name_box(user):
    contact = services.contact_create(
        user=user, name="Li Wei", given_name="Wei", family_name="Li", salutation_style="formal"
    )
    assert greeting_of(contact) == ("", "Wei", "Li", "Wei", "formal")
    assert contact.salutation == "Dear Li Wei"


def test_a_contact_cannot_be_given_an_unknown_greeting_style(user):
    with pytest.raises(ValidationError):
        services.contact_create(user=user, name="Sam", salutation_style="shouting")
    assert Contact.objects.count() == 0


def test_retyping_a_contacts_name_updates_the_parts_that_followed_it(user):
    contact = services.contact_create(user=user, name="Anja Becker")
    services.contact_update(
        contact=contact,
        name="Dr. Anja Becker-Schmidt",
        honorific="",
        given_name="Anja",
        family_name="Becker",
        greeting_name="Anja",
    )
    assert greeting_of(contact) == ("Dr.", "Anja", "Becker-Schmidt", "Anja", "first_name")


def test_updating_a_contact_keeps_the_parts_the_user_corrected(user):
    contact = services.contact_create(user=user, name="Li Wei")
    services.contact_update(
        contact=contact,
        name="Li Wei",
        honorific="",
        given_name="Wei",
        family_name="Li",
        greeting_name="Li",
        salutation_style="formal",
    )
    assert greeting_of(contact) == ("", "Wei", "Li", "Wei", "formal")


def test_updating_a_contact_without_its_parts_leaves_them_following_the_name(user):
    contact = services.contact_create(
        user=user, name="Robert Smith", greeting_name="Bob", salutation_style="formal"
    )
    services.contact_update(contact=contact, name="Mr. Robert Smith", email="bob@corp.example")
    assert greeting_of(contact) == ("Mr.", "Robert", "Smith", "Bob", "formal")


def test_a_new_interviewer_gets_the_parts_of_the_name_typed_on_their_card():
    application = ApplicationFactory()
    interview = log(
        application,
        interviewers=[
            InterviewerDraft(name="  Prof. Dr.  Hans-Peter Müller "),
            InterviewerDraft(
                name="Dr. Andreas Becker",
                name_parts=NameParts(greeting_name="Andy"),
                salutation_style="formal",
            ),
        ],
    )
    andreas, hans = interview.interviewers.order_by("name")
    assert hans.name == "Prof. Dr. Hans-Peter Müller"
    assert greeting_of(hans) == ("Prof. Dr.", "Hans-Peter", "Müller", "Hans-Peter", "first_name")
    assert greeting_of(andreas) == ("Dr.", "Andreas", "Becker", "Andy", "formal")


def test_a_known_interviewers_greeting_corrected_on_their_card_is_saved_to_them():
    interview = InterviewFactory()
    application = interview.application
    known = services.contact_create(user=application.user, name="Li Wei")
    services.interview_update(
        interview=interview,
        starts_at=START,
        ends_at=END,
        timezone_name="Europe/Berlin",
        format=Interview.Format.VIDEO,
        location="",
        interviewers=[
            InterviewerDraft(
                contact=known,
                name_parts=NameParts(given_name="Wei", family_name="Li", greeting_name="Li"),
                salutation_style="formal",
            )
        ],
    )
    assert greeting_of(known) == ("", "Wei", "Li", "Wei", "formal")


def test_picking_a_known_interviewer_leaves_their_greeting_alone():
    application = ApplicationFactory()
    known = services.contact_create(
        user=application.user, name="Li Wei", given_name="Wei", family_name="Li"
    )
    log(application, interviewers=[InterviewerDraft(contact=known)])
    assert greeting_of(known) == ("", "Wei", "Li", "Wei", "first_name")


# --- Answers to fix -------------------------------------------------------------------------


def test_an_answer_to_fix_is_logged_with_its_question_and_what_you_would_say_now():
    application = ApplicationFactory()
    log(
        application,
        interviewers=[
            InterviewerDraft(
                name="Dana Scully",
                notes=[
                    NoteDraft(
                        kind="answer_to_fix",
                        text="I rambled",
                        question=" How would you   shard it? ",
                        better_answer=" By customer ID. \n",
                    )
                ],
            )
        ],
    )
    note = Note.objects.get()
    assert (note.text, note.question, note.better_answer) == (
        "I rambled",
        "How would you shard it?",
        "By customer ID.",
    )


def test_a_note_update_sets_the_question_and_what_you_would_say_now(rules_calls):
    note = NoteFactory(kind="answer_to_fix", text="I rambled")
    services.note_update(
        note=note,
        kind="answer_to_fix",
        text="I rambled",
        question="How would you shard it?",
        better_answer="By customer ID.",
    )
    note.refresh_from_db()
    assert (note.question, note.better_answer) == ("How would you shard it?", "By customer ID.")
    assert rules_calls == [(note.interview.application_id, True)]


@pytest.mark.parametrize("kind", ["topic", "skill", "question"])
def test_only_an_answer_to_fix_may_have_a_question_and_a_better_answer(kind):
    note = NoteFactory()
    with pytest.raises(ValidationError, match="Only an answer to fix"):
        services.note_update(note=note, kind=kind, text="x", question="Why?")
    with pytest.raises(ValidationError, match="Only an answer to fix"):
        log(
            note.interview.application,
            notes=[NoteDraft(kind=kind, text="x", better_answer="Because.")],
        )
