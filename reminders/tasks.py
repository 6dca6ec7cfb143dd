from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from reminders.models import Heartbeat


@shared_task(ignore_result=True)
def beat_heartbeat() -> None:
    """Record that beat scheduled, and a worker ran, a tick; /healthz reads it."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"at": timezone.now()})
