"""The application page's application and open drafts read by hand-written SQL
(reminders.application_page_query): the same instances as the ORM's ``application_get`` and
``open_drafts_of``, the same drafts' rows, and another user's id not found."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from interviews.selectors import application_get
from outreach.models import Draft
from outreach.selectors import open_drafts_of
from reminders.application_page_query import application_with_open_drafts
from tests.factories import ApplicationFactory, CompanyFactory, ContactFactory, UserFactory
from tests.outreach.support import draft_of
from tests.reminders.test_task_query import HOSTILE, HOSTILE_ESCAPED, _same

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(user):
    company = CompanyFactory(user=user, name=HOSTILE)
    return ApplicationFactory(user=user, company=company, role=HOSTILE, notes=HOSTILE)


@pytest.fixture
def drafts(user, application):
    """Three open drafts in every state a row shows, one sent, and others' drafts."""
    now = timezone.now()
    hostile = ContactFactory(user=user, company=application.company, name=HOSTILE, email="")
    plain = ContactFactory(user=user, company=application.company, email="ana@example.com")
    written = [
        draft_of(
            user,
            application=application,
            contact=hostile,
            subject=HOSTILE,
            body=HOSTILE,
            saved_at=now - timedelta(hours=3),
        ),
        draft_of(
            user,
            application=application,
            contact=plain,
            subject="",
            body=HOSTILE * 9,
            send_state=Draft.SendState.FAILED,
            send_error=HOSTILE,
            saved_at=now - timedelta(hours=1),
        ),
        draft_of(
            user,
            application=application,
            contact=plain,
            send_state=Draft.SendState.SENDING,
            send_started_at=now - timedelta(hours=2),
            saved_at=now - timedelta(hours=2),
        ),
    ]
    draft_of(user, application=application, contact=plain, send_state=Draft.SendState.SENT)
    draft_of(user)  # another application's
    return written


def _draft_rows(drafts, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load draft_rows %}{% draft_rows drafts %}")
    return template.render(Context({"drafts": drafts, "request": request}))


def test_the_application_and_its_drafts_are_those_the_orm_reads(user, application, drafts):
    read, read_drafts = application_with_open_drafts(user_id=user.pk, pk=application.pk)

    expected = application_get(user=user, pk=application.pk)
    _same(read, expected)
    _same(read.company, expected.company)
    expected_drafts = list(open_drafts_of(user=user, application=application))
    assert [d.pk for d in read_drafts] == [d.pk for d in expected_drafts]
    assert [d.pk for d in read_drafts] == [drafts[1].pk, drafts[2].pk, drafts[0].pk]
    for draft, expected_draft in zip(read_drafts, expected_drafts, strict=True):
        _same(draft, expected_draft)
        _same(draft.contact, expected_draft.contact)
        assert draft.application is read
    rows = _draft_rows(read_drafts, user)
    assert rows == _draft_rows(expected_drafts, user)
    assert rows.count('<div class="list-group-item py-3" id="draft-') == 3
    assert HOSTILE_ESCAPED in rows


def test_an_application_without_drafts_has_none(user, application, django_assert_num_queries):
    with django_assert_num_queries(1):
        read, read_drafts = application_with_open_drafts(user_id=user.pk, pk=application.pk)
    assert (read.pk, read_drafts) == (application.pk, [])


@pytest.mark.parametrize("pk", ["other", 10**18, "9" * 19])
def test_another_users_or_no_application_is_not_found(application, pk):
    pk = application.pk if pk == "other" else pk
    with pytest.raises(Http404):
        application_with_open_drafts(user_id=UserFactory().pk, pk=pk)


def test_the_application_page_escapes_what_the_user_typed(application, drafts, logged_in_client):
    page = logged_in_client.get(reverse("application_detail", args=[application.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert HOSTILE not in text
    assert f'<h1 class="h3 mb-1">{HOSTILE_ESCAPED}</h1>' in text
    assert 'id="open-drafts"' in text
    assert text.count('<div class="list-group-item py-3" id="draft-') == 3
