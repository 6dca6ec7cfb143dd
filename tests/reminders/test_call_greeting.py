"""The call page suggests an opening line that greets the contact as the user chose."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews import services
from reminders.models import Reminder
from tests.factories import ApplicationFactory, InterviewFactory, ReminderFactory

pytestmark = pytest.mark.django_db


def call_page(client, user, *, salutation_style: str) -> str:
    application = ApplicationFactory(user=user)
    contact = services.contact_create(
        user=user, name="Dr. Anja Becker", salutation_style=salutation_style
    )
    call = ReminderFactory(
        user=user, application=application, contact=contact, kind=Reminder.Kind.PHONE_CALL
    )
    return client.get(reverse("reminders:call_for_reminder", args=[call.pk])).content.decode()


def test_the_call_opens_with_the_first_name_not_the_title(logged_in_client, user):
    page = call_page(logged_in_client, user, salutation_style="first_name")
    assert "“Hi Anja, this is" in page
    assert "Hi Dr.," not in page


def test_a_formal_contact_is_greeted_by_title_and_last_name_on_the_phone(logged_in_client, user):
    page = call_page(logged_in_client, user, salutation_style="formal")
    assert "“Hello Dr. Becker, this is" in page


def test_a_call_about_no_one_in_particular_says_hi_there(logged_in_client, user):
    call = ReminderFactory(user=user, kind=Reminder.Kind.PHONE_CALL)
    page = logged_in_client.get(reverse("reminders:call_for_reminder", args=[call.pk]))
    assert "“Hi there, this is" in page.content.decode()


def test_the_opening_line_says_interviewed_only_once_an_interview_has_begun(logged_in_client, user):
    application = ApplicationFactory(user=user, role="Site reliability engineer")
    call = ReminderFactory(user=user, application=application, kind=Reminder.Kind.PHONE_CALL)
    url = reverse("reminders:call_for_reminder", args=[call.pk])
    ahead = timezone.now() + timedelta(days=2)
    InterviewFactory(application=application, starts_at=ahead, ends_at=ahead + timedelta(hours=1))

    page = logged_in_client.get(url).content.decode()
    assert "I applied for the Site reliability engineer role" in page
    assert "This is a short, friendly follow-up on your application." in page
    assert "interviewed" not in page and "agreed to talk to you once already" not in page

    began = timezone.now() - timedelta(minutes=5)
    InterviewFactory(application=application, starts_at=began, ends_at=began + timedelta(hours=1))
    page = logged_in_client.get(url).content.decode()
    assert "I interviewed for the Site reliability engineer role" in page
    assert "They agreed to talk to you once already" in page
