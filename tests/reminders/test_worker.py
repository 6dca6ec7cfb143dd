"""Real Celery workers, as subprocesses, against the suite's own database.

Each worker runs with the same settings the app uses in production, pointed at the test
database (PostgreSQL's ``test_<name>``, or the SQLite test file) and at a broker: Redis when
REDIS_URL is set, else the filesystem broker. Timezone: Europe/Berlin; the clock is real.

1. A worker with beat delivers a due reminder. It has a broker of its own (the filesystem
   broker under this test's tmp dir, or Redis); beat sends its first sweep one interval (60 s)
   after it starts, so the test polls with a generous deadline. Quiet hours are off.
2. A worker re-plans the reminders after a settings change made in this process. This process
   publishes the task, on commit, to its own broker (``settings.CELERY_BROKER_URL``: Redis,
   or the folders under ``settings.VAR_DIR``), so the worker is started on that same broker;
   since other runs may share it, the task is routed to a queue of this test's own, which is
   the only queue the worker consumes.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.services import user_update_settings
from followup_site.celery import app
from followup_site.mailbox import captured_messages
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from tests.factories import ReminderFactory
from tests.reminders.support import BERLIN, interview_logged, open_of, user_in
from tests.reminders.workers import routed_to_own_queue as _routed_to_own_queue
from tests.reminders.workers import wait_for as _wait_for
from tests.reminders.workers import worker as _worker
from tests.reminders.workers import worker_env as _worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DEADLINE_SECONDS = 150
# A worker starts in a few seconds and re-plans one application in well under one.
READY_DEADLINE_SECONDS = 60
REPLAN_DEADLINE_SECONDS = 60


def test_a_worker_with_beat_delivers_a_due_reminder(tmp_path):
    seeker = user_in(BERLIN, quiet_hours_start=time(0), quiet_hours_end=time(0))
    now = timezone.now()
    reminder = ReminderFactory(
        user=seeker, title="Call Anna back", due_at=now, notify_at=now - timedelta(minutes=1)
    )

    def notified() -> bool:
        reminder.refresh_from_db()
        return reminder.state == Reminder.State.NOTIFIED

    log = tmp_path / "worker.log"
    with _worker(log, _worker_env(tmp_path), "-B") as worker:
        _wait_for(worker, notified, deadline=DEADLINE_SECONDS)

    output = log.read_text()
    assert reminder.state == Reminder.State.NOTIFIED, output[-4000:]
    assert "reminders.tasks.sweep" in output
    (message,) = captured_messages(recipient=seeker.email)
    application = reminder.application
    assert message.subject == f"Call Anna back ({application.role} at {application.company.name})"


def test_a_worker_replans_the_reminders_after_quiet_hours_change(tmp_path):
    """Europe/Berlin: the interview ended 10 minutes ago, so the thank-you is wanted in 50.

    Quiet hours from 30 minutes before that moment to 2 h after it hold the thank-you back
    to their end. Starting them 30 minutes after it instead frees the wanted moment, and the
    worker moves the thank-you there.
    """
    ends = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=10)
    wanted = (ends + timedelta(hours=1)).astimezone(BERLIN)
    seeker = user_in(
        BERLIN,
        thank_you_notify_delay_minutes=60,
        quiet_hours_start=(wanted - timedelta(minutes=30)).time(),
        quiet_hours_end=(wanted + timedelta(hours=2)).time(),
    )
    interview, _ = interview_logged(user=seeker, ends_at=ends)
    plan_apply(application=interview.application)
    [thank_you] = open_of(interview.application, Reminder.Kind.THANK_YOU)
    held = wanted + timedelta(hours=2)  # the end of quiet hours, on Berlin's wall clock
    assert thank_you.notify_at == held

    def notify_at():
        return Reminder.objects.get(pk=thank_you.pk).notify_at

    log = tmp_path / "worker.log"
    env = _worker_env(settings.VAR_DIR, broker_url=app.conf.broker_url)
    with (
        _routed_to_own_queue("reminders.tasks.replan_user") as queue,
        _worker(log, env, "--queues", queue.name) as worker,
    ):
        ready = _wait_for(
            worker, lambda: " ready." in log.read_text(), deadline=READY_DEADLINE_SECONDS
        )
        assert ready, log.read_text()[-4000:]
        user_update_settings(user=seeker, quiet_hours_start=(wanted + timedelta(minutes=30)).time())
        _wait_for(worker, lambda: notify_at() != held, deadline=REPLAN_DEADLINE_SECONDS)

    output = log.read_text()
    moved = Reminder.objects.get(pk=thank_you.pk)
    assert moved.notify_at == wanted, output[-4000:]
    assert (moved.state, moved.due_at) == (Reminder.State.PENDING, thank_you.due_at)
    assert re.search(r"Task reminders\.tasks\.replan_user\[[^]]+\] succeeded", output)
