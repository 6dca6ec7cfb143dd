from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from reminders.models import Heartbeat
from reminders.services.mail_pause import mail_pause, mail_resume
from reminders.tasks import beat_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_503_before_beat_has_ticked(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["beat"] == {"ok": False, "error": "beat has not ticked yet", "last_tick": None}


def test_healthz_is_200_after_a_beat_tick(client):
    beat_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["ok"] is True


def test_healthz_is_503_when_the_last_tick_is_stale(client, settings):
    Heartbeat.objects.create(
        name="beat",
        at=timezone.now() - timedelta(seconds=settings.BEAT_STALE_AFTER_SECONDS + 5),
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "s ago" in response.json()["beat"]["error"]


def test_healthz_is_503_when_the_broker_is_unreachable(client, settings):
    from followup_site.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        beat_heartbeat()
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_healthz_is_503_with_a_clear_error_while_sending_is_paused(client):
    beat_heartbeat()
    mail_pause(
        reason="SMTPAuthenticationError: (535, b'Authentication failed')", now=timezone.now()
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    mail = response.json()["mail"]
    assert mail["ok"] is False
    assert "Sending email is paused" in mail["error"]
    assert "535" in mail["error"]
    assert "Fix the EMAIL_* or ANYMAIL_* settings" in mail["error"]

    mail_resume()
    assert client.get("/healthz").status_code == 200
