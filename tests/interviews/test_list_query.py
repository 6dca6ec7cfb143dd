"""The hand-written reads of the applications and contacts lists' rows, on either database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews import list_query
from interviews.models import Application
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory

pytestmark = pytest.mark.django_db


def _applications(user, **kwargs):
    arguments = {"stage": "", "offset": 0, "limit": 50, "now": timezone.now(), **kwargs}
    return list_query.application_list_rows(user_id=user.pk, **arguments).rows


def test_application_rows_come_open_first_then_most_recently_active(user, other_user):
    closed = ApplicationFactory(
        user=user,
        role="Closed",
        stage=Application.Stage.CLOSED,
        closed_reason=Application.ClosedReason.NO_RESPONSE,
    )
    older = ApplicationFactory(user=user, role="Older", stage=Application.Stage.APPLIED)
    newer = ApplicationFactory(user=user, role="Newer", stage=Application.Stage.OFFER)
    ApplicationFactory(user=other_user, role="Someone else's")
    now = timezone.now()
    Application.objects.filter(pk=older.pk).update(updated_at=now - timedelta(days=2))
    Application.objects.filter(pk=newer.pk).update(updated_at=now - timedelta(days=1))
    Application.objects.filter(pk=closed.pk).update(updated_at=now)

    rows = _applications(user)

    assert [row.pk for row in rows] == [newer.pk, older.pk, closed.pk]
    assert [row.pk for row in _applications(user, offset=1, limit=1)] == [older.pk]
    assert [row.pk for row in _applications(user, stage="applied")] == [older.pk]
    assert rows[0].company.name == newer.company.name
    assert rows[0].get_stage_display() == "Offer"
    assert (rows[2].get_stage_display(), rows[2].get_closed_reason_display()) == (
        "Closed",
        "No response",
    )


def test_the_application_rows_come_with_the_lists_total_for_the_pager(user, other_user):
    for _ in range(3):
        ApplicationFactory(user=user, stage=Application.Stage.APPLIED)
    ApplicationFactory(user=user, stage=Application.Stage.OFFER)
    ApplicationFactory(user=other_user, stage=Application.Stage.APPLIED)
    arguments = {"user_id": user.pk, "offset": 0, "limit": 2, "now": timezone.now()}

    every = list_query.application_list_rows(stage="", **arguments)
    applied = list_query.application_list_rows(stage="applied", **arguments)
    past_the_last = list_query.application_list_rows(stage="", **{**arguments, "offset": 4})

    assert (len(every.rows), every.count) == (2, 4)
    assert (len(applied.rows), applied.count) == (2, 3)
    assert past_the_last == ([], 0)


def test_an_application_row_counts_its_interviews_and_shows_the_next_one(user):
    application = ApplicationFactory(user=user)
    idle = ApplicationFactory(user=user)
    now = timezone.now().replace(microsecond=0)
    InterviewFactory(application=application, starts_at=now - timedelta(days=1))
    soon = InterviewFactory(application=application, starts_at=now + timedelta(days=1))
    InterviewFactory(application=application, starts_at=now + timedelta(days=9))

    rows = {row.pk: row for row in _applications(user, now=now)}

    assert rows[application.pk].interview_count == 3
    assert rows[application.pk].next_interview_at == soon.starts_at
    assert (rows[idle.pk].interview_count, rows[idle.pk].next_interview_at) == (0, None)


def test_contact_rows_come_by_name_with_their_company_and_interview_count(user, other_user):
    bo = ContactFactory(user=user, name="Bo", company=None)
    ana = ContactFactory(user=user, name="Ana")
    ContactFactory(user=other_user, name="Al")
    for _ in range(2):
        InterviewFactory(application=ApplicationFactory(user=user)).interviewers.add(ana)

    rows = list_query.contact_list_rows(user_id=user.pk, offset=0, limit=50)

    assert [(row.pk, row.interview_count) for row in rows] == [(ana.pk, 2), (bo.pk, 0)]
    assert rows[0].company.name == ana.company.name
    assert rows[1].company is None
    later = list_query.contact_list_rows(user_id=user.pk, offset=1, limit=1)
    assert [row.pk for row in later] == [bo.pk]
