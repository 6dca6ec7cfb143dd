"""Sessions: read from Redis when it is configured, and never only there."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_sessions_come_from_redis_when_it_is_configured():
    expected = "cached_db" if settings.REDIS_URL else "db"
    backend = settings.SESSION_ENGINE.removeprefix("django.contrib.sessions.backends.")
    assert backend == expected


def test_a_log_in_outlives_a_flushed_cache_and_a_log_out_ends_it(client, user):
    client.post(reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD})
    assert Session.objects.count() == 1  # written through to the database

    cache.clear()

    assert client.get(reverse("reminders:task_list")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert Session.objects.count() == 0
    assert client.get(reverse("reminders:task_list")).status_code == 302
