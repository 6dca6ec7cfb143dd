"""The admin lists reminders and outreach with their filters and search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import OutreachFactory, ReminderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(is_staff=True, is_superuser=True))


def test_the_reminder_list_filters_by_state_and_searches_titles(admin_client):
    ReminderFactory(title="Thank Ana", state="failed")
    ReminderFactory(title="Call Bo")

    response = admin_client.get(
        reverse("admin:reminders_reminder_changelist"), {"state__exact": "failed", "q": "Ana"}
    )

    assert response.status_code == 200
    assert "Thank Ana" in response.content.decode()
    assert "Call Bo" not in response.content.decode()


def test_the_outreach_list_filters_by_direction(admin_client):
    OutreachFactory(subject="Checking in")

    response = admin_client.get(
        reverse("admin:outreach_outreach_changelist"), {"direction__exact": "out"}
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
