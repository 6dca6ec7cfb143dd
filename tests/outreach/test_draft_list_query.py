"""The drafts page's rows by hand-written SQL (outreach.draft_list_query): the drafts, order
and values the ORM's ``open_drafts_of`` reads, and only the user's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from outreach import selectors
from outreach.draft_list_query import open_draft_rows
from outreach.models import Draft
from tests.factories import ApplicationFactory, ContactFactory, UserFactory
from tests.outreach.support import draft_of

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


def _shown(draft) -> tuple:
    """What a row of ``{% draft_rows %}`` reads of a draft."""
    return (
        draft.pk,
        draft.occasion,
        draft.subject,
        draft.body,
        draft.send_state,
        draft.send_error,
        draft.send_started_at,
        draft.updated_at,
        draft.is_interrupted,
        draft.application.pk,
        draft.application.role,
        draft.application.company.name,
        draft.contact.name,
        draft.contact.email,
    )


def test_the_rows_are_the_drafts_the_orm_reads_in_its_order(user):
    now = timezone.now()
    application = ApplicationFactory(user=user, role=HOSTILE, company__name=HOSTILE)
    contact = ContactFactory(user=user, name=HOSTILE, email="")
    saved = now - timedelta(days=1)
    draft_of(user, application=application, contact=contact, subject=HOSTILE, saved_at=saved)
    draft_of(user, application=application, contact=contact, body=HOSTILE, saved_at=saved)
    draft_of(user, send_state=Draft.SendState.FAILED, send_error=HOSTILE)
    draft_of(user, send_state=Draft.SendState.UNCERTAIN)
    draft_of(user, send_state=Draft.SendState.SENDING, send_started_at=now)
    draft_of(user, send_state=Draft.SendState.SENDING, send_started_at=now - timedelta(hours=1))
    draft_of(user, send_state=Draft.SendState.SENDING)
    draft_of(user, send_state=Draft.SendState.SENT)
    draft_of(UserFactory())

    rows = open_draft_rows(user_id=user.pk)

    expected = selectors.open_drafts_of(user=user).only(*selectors.DRAFT_ROW_FIELDS)
    assert [_shown(row) for row in rows] == [_shown(draft) for draft in expected]
    assert len(rows) == 7
    assert sum(row.is_interrupted for row in rows) == 3
