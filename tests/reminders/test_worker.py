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

import os
import re
import signal
import subprocess
import sys
import time as wall
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import Exchange, Queue

from accounts.services import user_update_settings
from followup_site.celery import app
from followup_site.mailbox import captured_messages
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from tests.conftest import require_service
from tests.factories import ReminderFactory
from tests.reminders.support import BERLIN, interview_logged, open_of, user_in

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DEADLINE_SECONDS = 150
# A worker starts in a few seconds and re-plans one application in well under one.
READY_DEADLINE_SECONDS = 60
REPLAN_DEADLINE_SECONDS = 60


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _worker_env(var_dir: Path, *, broker_url: str | None = None) -> dict[str, str]:
    """The worker's environment: ``var_dir`` for its files (the filesystem broker's folders
    among them), and the broker from REDIS_URL unless ``broker_url`` names one."""
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL",)}
    env.update(
        DEBUG="true",
        FOLLOWUP_VAR_DIR=str(var_dir),
        DATABASE_URL=_database_url(),
        EMAIL_BACKEND="followup_site.mailbox.CapturedMailBackend",
    )
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except redis.exceptions.ConnectionError:
            require_service(f"Redis at {redis_url} is not reachable")
    return env


@contextmanager
def _worker(log: Path, env: dict[str, str], *options: str) -> Iterator[subprocess.Popen]:
    """A ``celery worker`` subprocess writing to ``log``; stopped (warm, else killed) on exit."""
    with log.open("w") as out:
        worker = subprocess.Popen(  # noqa: S603 - the options are this module's literals
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "followup_site",
                "worker",
                *options,
                "--loglevel=INFO",
                "--pool=solo",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield worker
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def _wait_for(worker: subprocess.Popen, done: Callable[[], bool], *, deadline: float) -> bool:
    """Poll ``done`` until it holds, the worker exits, or ``deadline`` seconds have passed."""
    started = wall.monotonic()
    while worker.poll() is None and wall.monotonic() - started < deadline:
        if done():
            return True
        wall.sleep(0.5)
    return done()


@contextmanager
def _routed_to_own_queue(task_name: str) -> Iterator[Queue]:
    """Route ``task_name``, as this process publishes it, to a new queue; then delete that queue.

    The broker this process publishes to may be shared: the Redis database with other runs
    of the suite, the folders under ``settings.VAR_DIR`` with the other test processes of
    this tree. A queue of its own keeps the task from their workers, and their tasks from
    the worker that consumes it.
    """
    name = f"followup-test-{uuid.uuid4().hex[:12]}"
    queue = Queue(name, Exchange(name), routing_key=name)
    previous = app.conf.task_routes
    app.conf.update(task_routes={task_name: {"queue": queue}})  # update() re-reads the routes
    try:
        yield queue
    finally:
        app.conf.update(task_routes=previous)
        with app.connection_for_write() as conn:
            bound = queue(conn.default_channel)
            bound.declare()  # the channel removes only the bindings it knows of
            bound.delete()
        control = app.conf.broker_transport_options.get("control_folder")
        if control:  # the filesystem transport leaves the exchange's (now empty) table behind
            (Path(control) / f"{name}.exchange").unlink(missing_ok=True)


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
