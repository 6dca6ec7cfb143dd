"""The composer's reads by hand-written SQL (outreach.composer_query): the same rows, relations
and field values as the ORM reads they replace, and only the user's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse

from interviews.models import Contact, Interview
from outreach import selectors
from outreach.composer_query import draft_open_key, interview_target_get
from outreach.models import Draft, MessageTemplate
from tests.factories import (
    ContactFactory,
    InterviewFactory,
    ReminderFactory,
    UserFactory,
)
from tests.outreach.support import draft_of

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def _same(read, expected) -> None:
    assert type(read) is type(expected)
    if expected is None:
        return
    fields = [field.attname for field in type(expected)._meta.concrete_fields]
    assert {name: getattr(read, name) for name in fields} == {
        name: getattr(expected, name) for name in fields
    }


@pytest.mark.parametrize("with_company", [True, False])
def test_the_interview_and_contact_are_those_the_orm_reads(user, with_company):
    interview = InterviewFactory(application__user=user, application__role=HOSTILE)
    contact = ContactFactory(
        user=user, name=HOSTILE, company=interview.application.company if with_company else None
    )

    read_interview, read_contact, open_key = interview_target_get(
        user_id=user.pk, interview_pk=interview.pk, contact_pk=contact.pk
    )

    expected = Interview.objects.select_related("application__company").get(pk=interview.pk)
    _same(read_interview, expected)
    _same(read_interview.application, expected.application)
    _same(read_interview.application.company, expected.application.company)
    expected_contact = Contact.objects.select_related("company").get(pk=contact.pk)
    _same(read_contact, expected_contact)
    _same(read_contact.company, expected_contact.company)
    assert open_key is None


def test_another_users_interview_or_contact_is_not_found(user):
    interview = InterviewFactory(application__user=user)
    contact = ContactFactory(user=user)
    stranger = UserFactory()
    strangers_contact = ContactFactory(user=stranger)
    with pytest.raises(Http404):
        interview_target_get(user_id=stranger.pk, interview_pk=interview.pk, contact_pk=contact.pk)
    with pytest.raises(Http404):
        interview_target_get(
            user_id=user.pk, interview_pk=interview.pk, contact_pk=strangers_contact.pk
        )
    with pytest.raises(Http404):
        interview_target_get(user_id=user.pk, interview_pk=10**30, contact_pk=contact.pk)


def test_an_interview_id_too_large_answers_404(user, logged_in_client):
    contact = ContactFactory(user=user)
    url = reverse("outreach:compose_for_interview", args=[10**25])

    assert logged_in_client.get(f"{url}?contact={contact.pk}").status_code == 404


def _orm_open_key(**whom):
    """What ``draft_open_key_for`` answered when the ORM read it."""
    return selectors._open_for(**whom).values_list("pk", "template_key").first()


def test_the_open_draft_key_is_the_one_the_orm_picks(user):
    interview = InterviewFactory(application__user=user)
    application = interview.application
    contact = ContactFactory(user=user, company=application.company)
    task = ReminderFactory(user=user, application=application)
    base = {"user": user, "application": application, "contact": contact}
    old = interview.starts_at - timedelta(days=3)
    # Several open drafts for each rule, saved at the same moment (the pk then decides), a
    # sent one, and ones to another person.
    for extra in ({}, {"interview": interview}, {"reminder": task}):
        for _ in range(2):
            draft_of(**base, saved_at=old, template_key="builtin:thank_you", **extra)
        draft_of(**base, send_state=Draft.SendState.SENT, **extra)
        draft_of(user, application=application, **extra)
    draft_of(**base, send_state=Draft.SendState.FAILED, template_key=HOSTILE)

    assert interview_target_get(user_id=user.pk, interview_pk=interview.pk, contact_pk=contact.pk)[
        2
    ] == _orm_open_key(**base, reminder=None, interview=interview)
    for whom in (
        {"reminder": task, "interview": interview},
        {"reminder": None, "interview": interview},
        {"reminder": None, "interview": None},
        {"reminder": None, "interview": None, "application": None},
    ):
        whom = {**base, **whom}
        expected = _orm_open_key(**whom)
        assert expected is not None
        assert selectors.draft_open_key_for(**whom) == expected
    assert (
        draft_open_key(
            user_id=UserFactory().pk,
            contact_id=contact.pk,
            application_id=application.pk,
            reminder_id=None,
            interview_id=None,
        )
        is None
    )


def test_the_template_choices_are_those_the_orm_reads(user):
    MessageTemplate.objects.create(user=user, name=HOSTILE, occasion="thank_you", body="b")
    MessageTemplate.objects.create(user=user, name="A check-in", occasion="check_in", body="c")
    MessageTemplate.objects.create(user=user, name="Another", occasion="thank_you", subject="s")
    MessageTemplate.objects.create(user=UserFactory(), name="Not mine", occasion="thank_you")

    own = MessageTemplate.objects.filter(user=user)
    expected = selectors.builtin_template_choices() + [
        selectors._choice(template, is_builtin=False) for template in own
    ]
    assert selectors.template_choices(user=user) == expected
