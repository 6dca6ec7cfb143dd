"""The admin lists calendar invitations with their state filter and search."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from interviews.models import Invitation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_invitation_list_filters_by_state_and_searches_owner_and_summary(client_for):
    admin_client = client_for(UserFactory(is_staff=True, is_superuser=True))
    seeker = UserFactory(email="ana@example.com")
    starts = datetime(2026, 12, 1, 9, tzinfo=UTC)
    Invitation.objects.create(user=seeker, uid="a@cal", summary="Panel at Acme", starts_at=starts)
    Invitation.objects.create(
        user=seeker,
        uid="b@cal",
        summary="Screen at Initech",
        starts_at=starts,
        state=Invitation.State.CANCELLED,
    )

    response = admin_client.get(
        reverse("admin:interviews_invitation_changelist"),
        {"state__exact": "pending", "q": "ana@example"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Panel at Acme" in page
    assert "Screen at Initech" not in page
