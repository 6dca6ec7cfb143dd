"""Adding your own reminder, with the due time typed in your own zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from interviews.models import Application
from reminders.application_choices import open_application_choices
from reminders.models import Reminder
from reminders.selectors import open_applications
from tests.factories import ApplicationFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_yorker():
    return UserFactory(timezone="America/New_York")


def test_the_form_lists_only_the_users_open_applications(new_yorker, client_for):
    mine = ApplicationFactory(user=new_yorker, role="Data engineer")
    ApplicationFactory(
        user=new_yorker,
        role="Closed role",
        stage=Application.Stage.CLOSED,
        closed_reason=Application.ClosedReason.REJECTED,
    )
    ApplicationFactory(role="Someone else's role")

    page = client_for(new_yorker).get(reverse("reminders:task_create")).content.decode()

    assert "Data engineer" in page
    assert "Closed role" not in page
    assert "Someone else" not in page
    assert f'value="{mine.pk}"' in page


def test_a_reminder_is_due_at_the_time_typed_in_the_users_zone(new_yorker, client_for):
    application = ApplicationFactory(user=new_yorker)

    response = client_for(new_yorker).post(
        reverse("reminders:task_create"),
        {
            "title": "Send Ana the article",
            "due_at": "2030-07-01T09:00",
            "note": "The one on CRDTs",
            "application": application.pk,
        },
    )

    reminder = Reminder.objects.get(user=new_yorker)
    assert response.status_code == 302
    assert response.url == reverse("reminders:task_detail", args=[reminder.pk])
    assert reminder.kind == Reminder.Kind.CUSTOM
    # 09:00 EDT is 13:00 UTC.
    assert reminder.due_at == datetime(2030, 7, 1, 13, 0, tzinfo=UTC)
    assert reminder.notify_at == reminder.due_at
    assert reminder.application == application


def test_a_bad_date_shows_the_form_again_with_what_was_typed(new_yorker, client_for):
    response = client_for(new_yorker).post(
        reverse("reminders:task_create"),
        {"title": "Send <b>Ana</b> the article", "due_at": "2030-02-30T09:00", "note": ""},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a date and time" in page
    assert "Send &lt;b&gt;Ana&lt;/b&gt; the article" in page
    assert not Reminder.objects.exists()


def test_a_time_skipped_by_the_dst_change_is_a_form_error_not_a_crash(new_yorker, client_for):
    # 02:30 on 9 March 2025 does not exist in New York: clocks jump from 02:00 to 03:00.
    response = client_for(new_yorker).post(
        reverse("reminders:task_create"), {"title": "Odd hour", "due_at": "2025-03-09T02:30"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["due_at"]
    assert not Reminder.objects.exists()


def test_another_users_application_is_refused(new_yorker, client_for):
    theirs = ApplicationFactory()

    response = client_for(new_yorker).post(
        reverse("reminders:task_create"),
        {"title": "Sneaky", "due_at": "2030-07-01T09:00", "application": theirs.pk},
    )

    assert response.status_code == 200
    assert "application" in response.context["form"].errors
    assert not Reminder.objects.exists()


def test_the_selects_options_are_the_open_applications_as_the_orm_reads_them(
    new_yorker, other_user
):
    acme = CompanyFactory(user=new_yorker, name="Acme")
    ApplicationFactory(user=new_yorker, role="Analyst", company__name="Zeta")
    for role in ("Engineer", "<b>&'\""):
        ApplicationFactory(user=new_yorker, role=role, company=acme)
    ApplicationFactory(
        user=new_yorker,
        stage=Application.Stage.CLOSED,
        closed_reason=Application.ClosedReason.REJECTED,
    )
    ApplicationFactory(user=other_user)

    expected = [(a.pk, str(a)) for a in open_applications(user=new_yorker)]

    assert len(expected) == 3
    assert open_application_choices(user_id=new_yorker.pk) == expected


def test_the_select_escapes_an_applications_name(new_yorker, client_for):
    ApplicationFactory(user=new_yorker, role="<script>\"'&", company__name="<i>Co</i>")

    page = client_for(new_yorker).get(reverse("reminders:task_create")).content.decode()

    assert "&lt;script&gt;&quot;&#x27;&amp; at &lt;i&gt;Co&lt;/i&gt;</option>" in page
    assert "<script>\"'&" not in page
