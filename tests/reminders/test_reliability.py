"""The sweep under concurrency, crashes, a flushed broker and a failing ESP.

These run on whatever database the suite runs on: PostgreSQL when DATABASE_URL points at it
(then the concurrent sweeps exercise SKIP LOCKED), the embedded SQLite file otherwise. The
ESP is a real HTTP server on 127.0.0.1 speaking Postmark's API to anymail's real backend.
Timezone: Europe/Berlin.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from followup_site.mailbox import captured_messages
from reminders.models import Reminder
from reminders.services.sweep import lease_length, reminders_claim, sweep_run
from tests.conftest import require_service
from tests.factories import ReminderFactory
from tests.mail_servers import PostmarkStandIn, accepted
from tests.reminders.support import BERLIN, local, user_in

pytestmark = pytest.mark.django_db(transaction=True)

NOON = local(BERLIN, 2026, 3, 10, 12, 0)


@pytest.fixture
def captured(settings):
    # The embedded mode's real backend: one .eml file per message, readable afterwards.
    settings.EMAIL_BACKEND = "followup_site.mailbox.CapturedMailBackend"


def _due_reminders(count: int, **preferences) -> list[Reminder]:
    users = [user_in(BERLIN, **preferences) for _ in range(3)]
    return [
        ReminderFactory(
            user=users[i % 3], title=f"Task {i} {uuid.uuid4().hex[:6]}", due_at=NOON, notify_at=NOON
        )
        for i in range(count)
    ]


def _subject(reminder: Reminder) -> str:
    """The reminder email's subject: the title and, for context, its application."""
    application = reminder.application
    return f"{reminder.title} ({application.role} at {application.company.name})"


def _sent_subjects() -> Counter:
    return Counter(m.subject for m in captured_messages())


def test_two_overlapping_sweeps_notify_each_reminder_exactly_once(captured):
    reminders = _due_reminders(30)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            # Small batches, so that the two sweeps claim many times and really interleave.
            results.append(sweep_run(batch_size=3))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(NOON, tick=False):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert errors == []
    assert sum(r.claimed for r in results) == 30
    assert sum(r.sent for r in results) == 30
    sent = _sent_subjects()
    assert sent == Counter({_subject(r): 1 for r in reminders})
    assert set(Reminder.objects.values_list("state", flat=True)) == {Reminder.State.NOTIFIED}


def test_running_the_same_tick_twice_sends_nothing_new(captured):
    _due_reminders(5)
    with time_machine.travel(NOON, tick=False):
        first = sweep_run()
        second = sweep_run()
    assert (first.sent, second.claimed, second.sent) == (5, 0, 0)
    assert sum(_sent_subjects().values()) == 5


def test_a_crash_between_claim_and_send_is_sent_once_after_the_lease_runs_out(captured):
    (reminder,) = _due_reminders(1)
    with time_machine.travel(NOON, tick=False):
        claimed, _lease = reminders_claim(now=NOON)  # ...and the process dies here.
        assert claimed == [reminder.pk]
        assert sweep_run().claimed == 0
    with time_machine.travel(NOON + lease_length() - timedelta(seconds=1), tick=False):
        assert sweep_run().claimed == 0
    assert _sent_subjects() == Counter()

    with time_machine.travel(NOON + lease_length() + timedelta(seconds=1), tick=False):
        result = sweep_run()
        again = sweep_run()
    assert (result.sent, again.claimed) == (1, 0)
    assert _sent_subjects() == Counter({_subject(reminder): 1})


def _broker_flush() -> None:
    """Lose every queued message, as a restarted or flushed broker would."""
    from followup_site.celery import app

    url = app.conf.broker_url
    if url.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        try:
            client.ping()
        except redis.exceptions.ConnectionError:
            require_service(f"Redis at {url} is not reachable")
        client.flushdb()
    else:
        queue = Path(app.conf.broker_transport_options["data_folder_in"])
        for message in queue.glob("*"):
            message.unlink(missing_ok=True)


def test_a_flushed_broker_loses_nothing_because_the_database_is_the_record(captured):
    from celery.contrib.testing.worker import start_worker

    from followup_site.celery import app
    from reminders.tasks import sweep

    # Real time here (a real worker): no quiet hours, so the hour of the run does not matter.
    reminders = _due_reminders(3, quiet_hours_start=time(0), quiet_hours_end=time(0))
    _broker_flush()
    sweep.delay()  # the tick beat sent...
    _broker_flush()  # ...is lost with the broker.

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        sweep.delay()  # the next tick, through the real broker and a real worker
        deadline = 60.0
        step = 0.25
        waited = 0.0
        while waited < deadline:
            if not Reminder.objects.exclude(state=Reminder.State.NOTIFIED).exists():
                break
            threading.Event().wait(step)
            waited += step

    assert _sent_subjects() == Counter({_subject(r): 1 for r in reminders})


# --- A real HTTP server speaking Postmark's API (tests/mail_servers.py) ---------------------


def _accepted(to: str) -> tuple[int, dict]:
    return accepted(to)


@pytest.fixture
def postmark(settings) -> Iterator:
    def start(replies: list[tuple[int, dict]]) -> PostmarkStandIn:
        stand_in = PostmarkStandIn(replies)
        settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
        settings.ANYMAIL = {
            "POSTMARK_SERVER_TOKEN": "test",
            "POSTMARK_API_URL": f"http://127.0.0.1:{stand_in.port}/",
        }
        return stand_in.__enter__()

    started: list[PostmarkStandIn] = []

    def wrapped(replies):
        stand_in = start(replies)
        started.append(stand_in)
        return stand_in

    yield wrapped
    for stand_in in started:
        stand_in.__exit__()


def test_an_esp_server_error_is_retried_with_backoff_and_then_sent(postmark):
    (reminder,) = _due_reminders(1)
    email = reminder.user.email
    esp = postmark([(500, {"ErrorCode": 500, "Message": "Internal error"}), _accepted(email)])

    with time_machine.travel(NOON, tick=False):
        first = sweep_run()
    reminder.refresh_from_db()
    assert (first.sent, first.retried) == (0, 1)
    assert reminder.state == Reminder.State.PENDING
    assert reminder.attempts == 1
    assert reminder.notify_at == NOON + timedelta(minutes=1)
    assert "500" in reminder.last_error

    with time_machine.travel(NOON + timedelta(seconds=30), tick=False):
        assert sweep_run().claimed == 0  # backing off
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        second = sweep_run()
    reminder.refresh_from_db()
    assert second.sent == 1
    assert reminder.state == Reminder.State.NOTIFIED
    assert reminder.last_error == ""
    assert len(esp.requests) == 2
    assert esp.requests[1]["path"] == "/email"
    assert esp.requests[1]["token"] == "test"
    assert esp.requests[1]["body"]["To"] == email
    assert esp.requests[1]["body"]["Subject"] == _subject(reminder)


def test_refused_recipients_fail_at_once_without_a_retry(postmark):
    bounced, fine = _due_reminders(2)
    inactive = (
        422,
        {
            "ErrorCode": 406,
            "Message": (
                "You tried to send to a recipient that has been marked as inactive.\n"
                f"Found inactive addresses: {bounced.user.email}.\n"
                "Inactive recipients are ones that have generated a hard bounce or a spam "
                "complaint."
            ),
        },
    )
    # The sweep sends in notify_at, pk order: the bounced row first.
    esp = postmark([inactive, _accepted(fine.user.email)])

    with time_machine.travel(NOON, tick=False):
        result = sweep_run()
    with time_machine.travel(NOON + timedelta(hours=3), tick=False):
        later = sweep_run()

    assert (result.sent, result.failed, result.retried, later.claimed) == (1, 1, 0, 0)
    bounced.refresh_from_db()
    fine.refresh_from_db()
    assert bounced.state == Reminder.State.FAILED
    assert bounced.notify_at is None
    assert "AnymailRecipientsRefused" in bounced.last_error
    assert fine.state == Reminder.State.NOTIFIED
    assert len(esp.requests) == 2
