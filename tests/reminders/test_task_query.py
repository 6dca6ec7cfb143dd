"""One task read by hand-written SQL (reminders.task_query): the same task, relations and
field values as the ORM's ``reminders_of``, the open-drafts flag, and the page escaped."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.http import Http404
from django.urls import reverse

from outreach.models import Draft
from reminders.models import Reminder
from reminders.selectors import reminders_of
from reminders.task_query import task_get
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    InterviewFactory,
    ReminderFactory,
    UserFactory,
)
from tests.outreach.support import draft_of

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


def _same(read, expected) -> None:
    """Every field of the instance, and its class, as the ORM gives them."""
    assert type(read) is type(expected)
    if expected is None:
        return
    fields = [field.attname for field in type(expected)._meta.concrete_fields]
    assert {name: getattr(read, name) for name in fields} == {
        name: getattr(expected, name) for name in fields
    }


@pytest.fixture
def full_task(user):
    company = CompanyFactory(user=user, name=HOSTILE)
    application = ApplicationFactory(user=user, company=company, role=HOSTILE)
    contact = ContactFactory(user=user, company=company, name=HOSTILE, job_title=HOSTILE)
    interview = InterviewFactory(application=application)
    return ReminderFactory(
        user=user,
        application=application,
        contact=contact,
        interview=interview,
        kind=Reminder.Kind.THANK_YOU,
        note=HOSTILE,
    )


def test_a_task_and_its_relations_are_those_the_orm_reads(user, full_task):
    read = task_get(user_id=user.pk, pk=full_task.pk)
    expected = reminders_of(user=user).get(pk=full_task.pk)

    _same(read, expected)
    _same(read.application, expected.application)
    _same(read.application.company, expected.application.company)
    _same(read.contact, expected.contact)
    _same(read.interview, expected.interview)
    assert model_to_dict(read) == model_to_dict(expected)
    assert read.has_open_drafts is False


def test_a_task_about_no_application_or_person_has_none(user, django_assert_num_queries):
    reminder = ReminderFactory(user=user, application=None, kind=Reminder.Kind.CUSTOM)

    with django_assert_num_queries(1):
        read = task_get(user_id=user.pk, pk=reminder.pk)
        assert (read.application, read.contact, read.interview) == (None, None, None)
    _same(read, reminders_of(user=user).get(pk=reminder.pk))


def test_only_a_draft_not_sent_yet_counts_as_open(user, full_task):
    draft = draft_of(
        user,
        application=full_task.application,
        contact=full_task.contact,
        reminder=full_task,
        send_state=Draft.SendState.SENT,
    )
    assert task_get(user_id=user.pk, pk=full_task.pk).has_open_drafts is False
    Draft.objects.filter(pk=draft.pk).update(send_state=Draft.SendState.FAILED)
    assert task_get(user_id=user.pk, pk=full_task.pk).has_open_drafts is True


def test_another_users_task_is_not_found(full_task):
    with pytest.raises(Http404):
        task_get(user_id=UserFactory().pk, pk=full_task.pk)


def test_the_task_and_call_pages_escape_what_the_user_typed(full_task, logged_in_client):
    for name in ("reminders:task_detail", "reminders:call_for_reminder"):
        page = logged_in_client.get(reverse(name, args=[full_task.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        assert HOSTILE not in text
        assert f"{HOSTILE_ESCAPED} at {HOSTILE_ESCAPED}" in text  # role at company
        assert f"Call {HOSTILE_ESCAPED}" in text or f"with {HOSTILE_ESCAPED}" in text
