"""Real Celery workers sending reminders to a real SMTP server, killed and doubled.

Workers are subprocesses (tests/reminders/workers.py) on the suite's database and a queue of
this test's own; they send over SMTP to an aiosmtpd server in this process, which counts
every message. Their clock is real, so these tests use real time; the takeover after a
crash travels (time-machine) to the moment the crashed worker's lease has run out, as the
next beat sweep would find it. Timezone: Europe/Berlin, no quiet hours.

1. A worker killed (SIGKILL) in the middle of a batch: its rows are taken over once the
   lease runs out (within two minutes of the crash), and at most CHECKPOINT_SENDS emails
   (those sent since its last checkpoint) go out twice.
2. Two workers on one database share a backlog: one sweep task fans out to the second
   worker, and every message arrives exactly once.
"""

from __future__ import annotations

import re
import signal
import time as wall
from collections import Counter
from datetime import time, timedelta

import pytest
import time_machine
from django.utils import timezone

from followup_site.celery import app
from reminders.models import Reminder
from reminders.services.sweep import BATCH_SIZE, CHECKPOINT_SENDS, lease_length, sweep_run
from reminders.tasks import sweep
from tests.factories import ApplicationFactory, ReminderFactory
from tests.mail_servers import ScriptedSMTP
from tests.reminders.support import BERLIN, user_in
from tests.reminders.workers import routed_to_own_queue, wait_for, worker, worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

READY_DEADLINE_SECONDS = 60
SEND_DEADLINE_SECONDS = 120


def _backlog(count: int) -> list[Reminder]:
    """``count`` reminders due a minute ago, over five users, one email each."""
    users = [user_in(BERLIN, quiet_hours_start=time(0), quiet_hours_end=time(0)) for _ in range(5)]
    applications = [ApplicationFactory(user=u) for u in users]
    now = timezone.now()
    return [
        ReminderFactory(
            user=users[i % 5],
            application=applications[i % 5],
            title=f"Backlog task {i}",
            due_at=now,
            notify_at=now - timedelta(minutes=1, microseconds=-i),
        )
        for i in range(count)
    ]


def _subject(reminder: Reminder) -> str:
    application = reminder.application
    return f"{reminder.title} ({application.role} at {application.company.name})"


def _smtp_env(settings, server: ScriptedSMTP) -> dict[str, str]:
    """The worker publishes and consumes on this process's broker (its queue is this test's
    own), and mails the scripted server."""
    env = worker_env(settings.VAR_DIR, broker_url=app.conf.broker_url)
    env.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(server.port),
        EMAIL_TIMEOUT="10",
    )
    return env


def _ready(log) -> bool:
    return " ready." in log.read_text()


def test_a_worker_killed_mid_batch_is_taken_over_within_two_minutes_with_few_repeats(
    tmp_path, settings
):
    reminders = _backlog(60)
    expected = Counter(_subject(r) for r in reminders)
    log = tmp_path / "worker.log"
    with ScriptedSMTP(delay=0.1) as server:
        server.use(settings)
        env = _smtp_env(settings, server)
        with (
            routed_to_own_queue("reminders.tasks.sweep") as queue,
            worker(log, env, "--queues", queue.name) as process,
        ):
            assert wait_for(process, lambda: _ready(log), deadline=READY_DEADLINE_SECONDS), (
                log.read_text()[-4000:]
            )
            sweep.delay()
            # Kill it between two checkpoints: a few emails past the first one.
            in_flight = CHECKPOINT_SENDS + 3
            assert wait_for(
                process, lambda: len(server.messages) >= in_flight, deadline=SEND_DEADLINE_SECONDS
            ), log.read_text()[-4000:]
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            crashed_at = timezone.now()
            wall.sleep(1)  # a message whose DATA was in flight still lands at the server
        sent_before = len(server.messages)
        recorded = Reminder.objects.filter(state=Reminder.State.NOTIFIED).count()
        assert 0 < sent_before < 60
        assert sent_before - recorded <= CHECKPOINT_SENDS

        # While the dead worker's lease runs, nobody may take its rows.
        assert sweep_run().claimed == 0
        # The next beat sweep after the lease ran out takes over: within two minutes.
        # (The lease, then at most one beat interval until the next sweep.)
        assert lease_length() + timedelta(minutes=1) <= timedelta(minutes=2)
        takeover = crashed_at + lease_length() + timedelta(seconds=1)
        with time_machine.travel(takeover, tick=False):
            result = sweep_run()
        assert result.claimed == 60 - recorded

    received = Counter(server.subjects())
    assert set(received) == set(expected)  # everything arrived
    repeats = sum(received.values()) - len(expected)
    assert repeats == sent_before - recorded <= CHECKPOINT_SENDS
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.NOTIFIED}


def test_two_workers_share_a_backlog_and_every_message_arrives_once(tmp_path, settings):
    reminders = _backlog(2 * BATCH_SIZE + 50)
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    with ScriptedSMTP(delay=0.01) as server:
        server.use(settings)
        env = _smtp_env(settings, server)
        with (
            routed_to_own_queue("reminders.tasks.sweep") as queue,
            worker(logs[0], env, "--queues", queue.name, "-n", "one@%h") as first,
            worker(logs[1], env, "--queues", queue.name, "-n", "two@%h") as second,
        ):
            for process, log in ((first, logs[0]), (second, logs[1])):
                assert wait_for(process, lambda log=log: _ready(log), deadline=60), log.read_text()[
                    -4000:
                ]
            sweep.delay()  # one tick; it asks for a second sweep, which the other worker runs
            done = wait_for(
                first,
                lambda: not Reminder.objects.exclude(state=Reminder.State.NOTIFIED).exists(),
                deadline=SEND_DEADLINE_SECONDS,
            )
            assert done, logs[0].read_text()[-3000:] + logs[1].read_text()[-3000:]

    assert Counter(server.subjects()) == Counter(_subject(r) for r in reminders)
    sent_by = []
    for log in logs:
        pattern = r"reminders\.tasks\.sweep\[[^]]+\] succeeded in [^:]+: (\{.*\})"
        found = re.findall(pattern, log.read_text())
        sent_by.append(sum(int(re.search(r"'sent': (\d+)", f).group(1)) for f in found))
    assert all(sent > 0 for sent in sent_by), sent_by  # both workers really sent
    assert sum(sent_by) == len(reminders)
