"""One draft read by hand-written SQL (outreach.draft_query): the same draft, relations and
field values as the ORM reads, and only the user's own."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from outreach.draft_query import draft_get
from outreach.models import Draft
from tests.factories import InterviewFactory, ReminderFactory, UserFactory
from tests.outreach.support import draft_of

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


def _same(read, expected) -> None:
    assert type(read) is type(expected)
    if expected is None:
        return
    fields = [field.attname for field in type(expected)._meta.concrete_fields]
    assert {name: getattr(read, name) for name in fields} == {
        name: getattr(expected, name) for name in fields
    }


@pytest.mark.parametrize("for_task", [True, False])
def test_a_draft_and_its_relations_are_those_the_orm_reads(user, for_task):
    draft = draft_of(user, subject=HOSTILE)
    if for_task:
        draft.interview = InterviewFactory(application=draft.application)
        draft.reminder = ReminderFactory(user=user, application=draft.application)
        draft.save()

    read = draft_get(user_id=user.pk, pk=draft.pk)

    expected = Draft.objects.select_related(
        "application__company", "contact", "reminder", "interview"
    ).get(pk=draft.pk)
    for relation in ("application", "contact", "reminder", "interview"):
        _same(getattr(read, relation), getattr(expected, relation))
    _same(read, expected)
    _same(read.application.company, expected.application.company)


def test_another_users_draft_is_not_found(user):
    draft = draft_of(user)
    with pytest.raises(Http404):
        draft_get(user_id=UserFactory().pk, pk=draft.pk)


def test_the_draft_page_escapes_what_the_user_typed(user, logged_in_client):
    draft = draft_of(user, subject=HOSTILE, body=HOSTILE)

    page = logged_in_client.get(reverse("outreach:draft_edit", args=[draft.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert HOSTILE not in text
    assert f'value="{HOSTILE_ESCAPED}"' in text
