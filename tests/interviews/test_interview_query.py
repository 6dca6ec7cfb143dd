"""The interview page's read by hand-written SQL (interviews.interview_query): the same
interview, relations, interviewers and notes as the ORM read it replaces, and only the
user's own."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.urls import reverse

from interviews import selectors
from interviews.interview_query import edit_form_read, interview_page_read, log_form_read
from interviews.models import Interview, Note
from tests.factories import ContactFactory, InterviewFactory, NoteFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def _values(instance) -> dict[str, object]:
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def _shape(summary) -> dict[str, object]:
    """Everything of a summary the page shows, as plain values."""
    return {
        "interview": _values(summary.interview),
        "application": _values(summary.interview.application),
        "company": _values(summary.interview.application.company),
        "interviewers": [
            (
                _values(person.contact),
                [(g.kind, [_values(n) for n in g.notes]) for g in person.groups],
            )
            for person in summary.interviewers
        ],
        "others": [(g.kind, [_values(n) for n in g.notes]) for g in summary.other_groups],
    }


def _busy_interview(user):
    interview = InterviewFactory(application__user=user, location=HOSTILE)
    company = interview.application.company
    # Named so that their order by name differs from their order by id.
    zoe = ContactFactory(user=user, company=company, name=f"Zoe {HOSTILE}")
    ana = ContactFactory(user=user, company=None, name="Ana")
    twin = ContactFactory(user=user, company=company, name="Ana")
    ContactFactory(user=user, company=company, name="Not there")
    interview.interviewers.set([zoe, ana, twin])
    for contact, kind in [
        (zoe, Note.Kind.SKILL),
        (ana, Note.Kind.TOPIC),
        (zoe, Note.Kind.TOPIC),
        (None, Note.Kind.OTHER),
        (twin, Note.Kind.ANSWER_TO_FIX),
    ]:
        NoteFactory(interview=interview, contact=contact, kind=kind, text=HOSTILE)
    # Someone no longer on the interview: their note goes with the interview's own.
    NoteFactory(interview=interview, contact=ContactFactory(user=user), text="gone")
    NoteFactory(interview=InterviewFactory(application=interview.application), text="elsewhere")
    return interview


@pytest.mark.parametrize("busy", [True, False])
def test_the_interview_and_its_people_and_notes_are_those_the_orm_reads(user, busy):
    interview = _busy_interview(user) if busy else InterviewFactory(application__user=user)

    read = interview_page_read(user_id=user.pk, pk=interview.pk)

    expected = selectors.interview_summarize(
        interview=selectors.interview_get(user=user, pk=interview.pk)
    )
    assert _shape(read) == _shape(expected)
    assert len(read.interviewers) == (3 if busy else 0)


@pytest.mark.parametrize("pk", ["another user's", "99999999999999999999"])
def test_another_users_interview_or_no_such_id_is_not_found(user, pk):
    interview = InterviewFactory(application__user=user)
    with pytest.raises(Http404):
        interview_page_read(
            user_id=UserFactory().pk, pk=interview.pk if pk == "another user's" else pk
        )


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_interview_page_is_the_one_the_orm_read_drew(user, logged_in_client):
    interview = _busy_interview(user)
    page = logged_in_client.get(reverse("interviews:interview_detail", args=[interview.pk]))

    orm = selectors.interview_get(user=user, pk=interview.pk)
    expected = render_to_string(
        "interviews/interview_detail.html",
        {
            "interview": orm,
            "application": orm.application,
            "summary": selectors.interview_summarize(interview=orm),
        },
        request=page.wsgi_request,
    )
    content = page.content.decode()
    assert parse_html(_without_csrf(content)) == parse_html(_without_csrf(expected))
    assert HOSTILE not in content
    assert "&lt;script&gt;" in content


def _people(user, interview):
    """The company's people, one of them on the interview, someone from elsewhere who sat in,
    and people the form must not offer."""
    company = interview.application.company
    on_it = ContactFactory(user=user, company=company, name="Bo")
    ContactFactory(user=user, company=company, name=f"Ana {HOSTILE}")
    ContactFactory(user=user, company=company, name="Bo")  # a namesake: ordered by id
    visitor = ContactFactory(user=user, name="Cy")
    ContactFactory(user=user, name="Elsewhere")
    ContactFactory(name="Someone else's", company=None)
    interview.interviewers.set([on_it, visitor])
    other = InterviewFactory(application=interview.application)
    other.interviewers.add(ContactFactory(user=user, name="At another interview"))


@pytest.mark.parametrize("with_people", [True, False])
def test_the_log_forms_read_is_the_orms(user, with_people):
    interview = InterviewFactory(application__user=user)
    if with_people:
        _people(user, interview)
    application = interview.application

    read = log_form_read(user_id=user.pk, application_id=application.pk)

    expected = selectors.application_get(user=user, pk=application.pk)
    assert read.interview is None
    assert _values(read.application) == _values(expected)
    assert _values(read.application.company) == _values(expected.company)
    choices = selectors.contact_choices(user=user, company=expected.company)
    assert [_values(c) for c in read.contacts] == [_values(c) for c in choices]
    assert len(read.contacts) == (3 if with_people else 0)


@pytest.mark.parametrize("with_people", [True, False])
def test_the_edit_forms_read_is_the_orms(user, with_people):
    interview = InterviewFactory(application__user=user)
    if with_people:
        _people(user, interview)

    read = edit_form_read(user_id=user.pk, interview_id=interview.pk)

    expected = Interview.objects.select_related("application__company").get(pk=interview.pk)
    assert _values(read.interview) == _values(expected)
    assert _values(read.application) == _values(expected.application)
    assert _values(read.application.company) == _values(expected.application.company)
    choices = selectors.contact_choices(
        user=user, company=expected.application.company, interview=expected
    )
    assert [(_values(c), c.is_interviewer) for c in read.contacts] == [
        (_values(c), c.is_interviewer) for c in choices
    ]
    assert [c.is_interviewer for c in read.contacts].count(True) == (2 if with_people else 0)


@pytest.mark.parametrize("page", ["log", "edit"])
def test_the_forms_reads_find_no_one_elses_row_and_no_id_too_large(user, page):
    interview = InterviewFactory(application__user=user)
    if page == "log":
        read, own = (
            (lambda **ids: log_form_read(user_id=ids["user"], application_id=ids["pk"])),
            interview.application.pk,
        )
    else:
        read, own = (
            (lambda **ids: edit_form_read(user_id=ids["user"], interview_id=ids["pk"])),
            interview.pk,
        )
    with pytest.raises(Http404):
        read(user=UserFactory().pk, pk=own)
    with pytest.raises(Http404):
        read(user=user.pk, pk="99999999999999999999")
