"""Interview dates outside 2000 to 2100 are typos; they are refused before anything is saved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from interviews import services
from interviews.interview_forms import InterviewForm
from interviews.models import Interview
from tests.factories import ApplicationFactory
from tests.interviews.test_forms import interview_data
from tests.interviews.test_views import interview_post


@pytest.mark.parametrize("day", ["1900-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_the_form_refuses_a_date_outside_the_sane_years_with_a_clear_error(day):
    form = InterviewForm(interview_data(date=day))
    assert not form.is_valid()
    assert form.errors["date"] == ["Enter a date between 2000 and 2100; check the year."]


@pytest.mark.parametrize("day", ["2000-01-01", "2100-12-30"])
def test_the_form_takes_the_first_and_last_sane_years(day):
    assert InterviewForm(interview_data(date=day)).is_valid()


@pytest.mark.django_db
def test_the_service_refuses_them_too_and_saves_nothing():
    application = ApplicationFactory()
    starts = datetime(9999, 12, 30, 9, 0, tzinfo=UTC)
    with pytest.raises(ValidationError, match="between 2000 and 2100"):
        services.interview_log(
            user=application.user,
            application=application,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            timezone_name="UTC",
        )
    assert not Interview.objects.exists()


@pytest.mark.django_db
def test_the_log_page_shows_the_error_and_keeps_what_was_typed(client_for, user):
    application = ApplicationFactory(user=user)
    client = client_for(user)
    data = interview_post(date="9999-12-31")
    response = client.post(f"/applications/{application.pk}/interviews/new/", data)
    # The page comes back, as for every form error on it, with the date and the message.
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2100" in response.content.decode()
    assert 'value="9999-12-31"' in response.content.decode()
    assert not Interview.objects.exists()
