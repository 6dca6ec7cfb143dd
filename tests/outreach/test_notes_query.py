"""The notes the task pages and the composer show, read by hand-written SQL: the same notes
as the ORM's ``notes_about``, and every value escaped on the task page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from interviews.models import Note
from interviews.selectors import notes_about as orm_notes_about
from outreach.notes_query import notes_about
from outreach.selectors import call_talking_points
from reminders.models import Reminder
from reminders.selectors import call_notes
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


@pytest.fixture
def interview(user):
    application = ApplicationFactory(user=user)
    interview = InterviewFactory(application=application)
    ana = ContactFactory(user=user, name="Ana Lima", company=application.company)
    bo = ContactFactory(user=user, name=HOSTILE, company=application.company)
    for kind in (Note.Kind.TOPIC, Note.Kind.INTEREST, Note.Kind.FOLLOW_UP, Note.Kind.SKILL):
        for contact in (ana, bo, None):
            NoteFactory(
                interview=interview,
                contact=contact,
                kind=kind,
                text=f"{kind} {HOSTILE}",
                question=f"Asked about {kind}?",
                better_answer=f"Better on {kind}",
            )
    # Another application's and another user's notes stay out.
    NoteFactory(interview=InterviewFactory(application=ApplicationFactory(user=user)))
    NoteFactory(interview=InterviewFactory(application=ApplicationFactory(user=UserFactory())))
    return interview


def _fields(note) -> tuple:
    return (
        note.pk,
        note.kind,
        note.text,
        note.link,
        note.question,
        note.better_answer,
        note.follow_up_not_before,
        note.interview_id,
        note.contact_id,
    )


@pytest.mark.parametrize("about", ["Ana Lima", None])
def test_the_notes_are_those_the_orm_reads_in_the_same_order(user, interview, about):
    contact = interview.application.company.contacts.filter(name=about).first()
    contact_id = contact.pk if contact is not None else None

    rows = notes_about(
        user_id=user.pk, application_id=interview.application_id, contact_id=contact_id
    )

    expected = orm_notes_about(
        user_id=user.pk, application_id=interview.application_id, contact_id=contact_id
    ).select_related("contact")
    assert [_fields(n) for n in rows] == [_fields(n) for n in expected]
    assert [n.contact.name if n.contact else None for n in rows] == [
        n.contact.name if n.contact else None for n in expected
    ]
    assert [n.get_kind_display() for n in rows] == [n.get_kind_display() for n in expected]
    assert len(rows) == (8 if about else 12)


def test_a_task_about_no_one_shows_every_helpful_note_escaped_with_whom_it_is_about(
    user, interview, logged_in_client
):
    Note.objects.filter(kind=Note.Kind.FOLLOW_UP).update(
        link="https://example.com/?a=1&b=<2>", follow_up_not_before=date(2025, 4, 1)
    )
    reminder = ReminderFactory(
        user=user, application=interview.application, contact=None, kind=Reminder.Kind.CUSTOM
    )

    page = logged_in_client.get(reverse("reminders:task_detail", args=[reminder.pk]))

    text = page.content.decode()
    assert HOSTILE not in text
    assert f"({HOSTILE_ESCAPED})" in text  # whom the note is about
    assert f"topic {HOSTILE_ESCAPED}" in text
    assert "interest " not in text  # hobbies stay out
    assert 'href="https://example.com/?a=1&amp;b=&lt;2&gt;"' in text
    assert "(not before 1 Apr)" in text
    # Grouped by kind, oldest first within a kind.
    headings = ["Follow-up preference", "Skill they noticed", "Topic discussed"]
    assert sorted(headings, key=text.index) == headings


def test_a_calls_talking_points_are_those_the_orm_notes_give_and_are_escaped(
    user, interview, logged_in_client
):
    ana = interview.application.company.contacts.get(name="Ana Lima")
    earlier = InterviewFactory(application=interview.application)
    for contact in (None, ana):
        for kind in (Note.Kind.QUESTION, Note.Kind.TOPIC, Note.Kind.ANSWER_TO_FIX):
            NoteFactory(interview=earlier, contact=contact, kind=kind, text=f"Earlier {kind}")
    call = ReminderFactory(
        user=user,
        application=interview.application,
        contact=ana,
        interview=interview,
        kind=Reminder.Kind.PHONE_CALL,
    )
    about = {
        "user": user,
        "application": interview.application,
        "contact": ana,
        "interview": interview,
    }

    read_here = call_talking_points(**about, notes=call_notes(reminder=call))
    read_by_orm = call_talking_points(**about)

    for points in ("topics", "skills", "questions", "answers_to_fix"):
        assert [n.pk for n in getattr(read_here, points)] == [
            n.pk for n in getattr(read_by_orm, points)
        ]
    assert len(read_here.topics) == 4
    page = logged_in_client.get(reverse("reminders:call_for_reminder", args=[call.pk]))
    text = page.content.decode()
    assert HOSTILE not in text
    assert f"topic {HOSTILE_ESCAPED}" in text
