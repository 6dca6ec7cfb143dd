"""A real Celery worker with beat delivers a due reminder, against the suite's own database.

The worker runs as a subprocess with the same settings the app uses in production, pointed at
the test database (PostgreSQL's ``test_<name>``, or the SQLite test file) and at the broker:
Redis when REDIS_URL is set, else the filesystem broker under this test's tmp dir. Beat sends
its first sweep one interval (60 s) after it starts; the test polls with a generous deadline.
Timezone: Europe/Berlin, with quiet hours switched off because the clock here is real.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time as wall
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from followup_site.mailbox import captured_messages
from reminders.models import Reminder
from tests.conftest import require_service
from tests.factories import ReminderFactory
from tests.reminders.support import BERLIN, user_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DEADLINE_SECONDS = 150


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _worker_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL",)}
    env.update(
        DEBUG="true",
        FOLLOWUP_VAR_DIR=str(var_dir),
        DATABASE_URL=_database_url(),
        EMAIL_BACKEND="followup_site.mailbox.CapturedMailBackend",
    )
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except redis.exceptions.ConnectionError:
            require_service(f"Redis at {redis_url} is not reachable")
    return env


def test_a_worker_with_beat_delivers_a_due_reminder(tmp_path):
    seeker = user_in(BERLIN, quiet_hours_start=time(0), quiet_hours_end=time(0))
    now = timezone.now()
    reminder = ReminderFactory(
        user=seeker, title="Call Anna back", due_at=now, notify_at=now - timedelta(minutes=1)
    )
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "followup_site",
            "worker",
            "-B",
            "--loglevel=INFO",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=settings.BASE_DIR,
        env=_worker_env(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        started = wall.monotonic()
        while wall.monotonic() - started < DEADLINE_SECONDS and worker.poll() is None:
            reminder.refresh_from_db()
            if reminder.state == Reminder.State.NOTIFIED:
                break
            wall.sleep(1)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()

    output = (tmp_path / "worker.log").read_text()
    assert reminder.state == Reminder.State.NOTIFIED, output[-4000:]
    assert "reminders.tasks.sweep" in output
    (message,) = captured_messages(recipient=seeker.email)
    application = reminder.application
    assert message.subject == f"Call Anna back ({application.role} at {application.company.name})"
