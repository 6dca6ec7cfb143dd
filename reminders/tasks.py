"""Celery entry points: thin, no arguments worth losing; the database says what is due."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from interviews.models import Application
from reminders.email_actions import used_links_forget
from reminders.models import Heartbeat
from reminders.services.digest import digest_run
from reminders.services.plan_apply import interviews_ended_replan, plan_apply
from reminders.services.sweep import backlog_beyond, sweep_run

# Like beat's own ticks: a sweep nobody ran within a minute is replaced by the next one.
SWEEP_EXPIRES_SECONDS = 55


@shared_task(ignore_result=True)
def beat_heartbeat() -> None:
    """Record that beat scheduled, and a worker ran, a tick; /healthz reads it."""
    Heartbeat.objects.update_or_create(name="beat", defaults={"at": timezone.now()})


@shared_task(bind=True, ignore_result=True)
def sweep(self) -> dict[str, int]:
    """Email every reminder that is due now (beat, every minute).

    With more than one batch due, it first asks for one more sweep on its own queue: an idle
    worker (on this host or another) takes it and claims other rows (SKIP LOCKED), and asks
    for the next in turn, so a backlog spreads over every worker. Each sweep asks at most
    once, so at most one such request waits in the queue.
    """
    if backlog_beyond(batches=1):
        queue = (self.request.delivery_info or {}).get("routing_key")
        sweep.apply_async(queue=queue, expires=SWEEP_EXPIRES_SECONDS)
    return vars(sweep_run())


@shared_task(ignore_result=True)
def digest_sweep() -> dict[str, int]:
    """Send the daily digest to users whose digest hour it is (beat, every minute)."""
    return vars(digest_run())


@shared_task(ignore_result=True)
def interviews_ended() -> int:
    """Plan the tasks of interviews that have just ended (beat, every minute)."""
    return interviews_ended_replan()


@shared_task(ignore_result=True)
def replan_user(user_id: int) -> int:
    """Re-plan every open application of one user after a settings change; returns how many.

    Each application is its own transaction (``plan_apply`` is atomic), so one slow or
    failing application does not hold the locks of the others.
    """
    ids = list(
        Application.objects.filter(user_id=user_id)
        .exclude(stage=Application.Stage.CLOSED)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        plan_apply(application=Application(pk=pk))
    return len(ids)


@shared_task(ignore_result=True)
def used_links_expire() -> int:
    """Forget the used reminder-email links whose signature has expired (beat, hourly)."""
    return used_links_forget()
