"""The sweep against mail services that fail the way real ones do.

A scripted SMTP server (aiosmtpd, tests/mail_servers.py) answers 451, 550 or 535 where the
script says; an HTTP stand-in speaking Postmark's API to anymail's real backend answers 500,
429 or 401. Time travels with time-machine (which the servers' threads see too), except in
the lease-pressure test, which needs real seconds to pass. Timezone: Europe/Berlin, users
without quiet hours so that every retry is an attempt.

Each test counts what the server accepted: every message exactly once.
"""

from __future__ import annotations

import logging
import re
import threading
import time as wall
from datetime import time, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from accounts.models import User
from interviews.services import application_close
from reminders.models import Reminder
from reminders.services.digest import digest_run
from reminders.services.mail_pause import mail_paused
from reminders.services.sweep import RECHECK_WITHIN, sweep_run
from reminders.services.sweep_batch import lease_update, outcomes_update
from reminders.services.task_actions import reminder_complete
from tests.factories import ReminderFactory
from tests.mail_servers import PostmarkStandIn, ScriptedSMTP, accepted
from tests.reminders.support import BERLIN, local, user_in

pytestmark = pytest.mark.django_db(transaction=True)

NOON = local(BERLIN, 2026, 3, 10, 12, 0)
NO_QUIET = {"quiet_hours_start": time(0), "quiet_hours_end": time(0)}


def _due(title: str, *, at=NOON, user=None, **extra) -> Reminder:
    user = user or user_in(BERLIN, **NO_QUIET)
    return ReminderFactory(user=user, title=title, due_at=at, notify_at=at, **extra)


def _subject(reminder: Reminder) -> str:
    application = reminder.application
    return f"{reminder.title} ({application.role} at {application.company.name})"


def _sweep_until_settled(reminder: Reminder, *, until: timedelta) -> list:
    """Run the sweep at each moment the reminder asks for, up to ``until`` after noon."""
    at, moments = NOON, []
    while at <= NOON + until:
        with time_machine.travel(at, tick=False):
            sweep_run()
        moments.append(at)
        reminder.refresh_from_db()
        if reminder.state != Reminder.State.PENDING or reminder.notify_at is None:
            break
        at = max(reminder.notify_at, at + timedelta(seconds=1))
    return moments


@pytest.fixture
def smtp(settings):
    with ScriptedSMTP() as server:
        yield server.use(settings)


@pytest.fixture
def postmark(settings):
    with PostmarkStandIn() as stand_in:
        settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
        settings.ANYMAIL = {
            "POSTMARK_SERVER_TOKEN": "good-token",
            "POSTMARK_API_URL": f"http://127.0.0.1:{stand_in.port}/",
        }
        yield stand_in


# --- Temporary errors: retried, delivered once ----------------------------------------------


@pytest.mark.parametrize(
    "stage, reply",
    [
        ("rcpt_replies", "451 4.7.1 Greylisted, please try again later"),
        ("mail_replies", "451 4.3.0 Relay busy, try again later"),
    ],
    ids=["greylisting-at-rcpt", "relay-451-at-mail-from"],
)
def test_a_451_is_retried_a_minute_later_and_delivered_once(smtp, stage, reply):
    reminder = _due("Follow up with Anna")
    getattr(smtp, stage).append(reply)

    with time_machine.travel(NOON, tick=False):
        first = sweep_run()
    reminder.refresh_from_db()
    assert (first.sent, first.retried, first.failed) == (0, 1, 0)
    assert (reminder.state, reminder.attempts) == (Reminder.State.PENDING, 1)
    assert reminder.notify_at == NOON + timedelta(minutes=1)
    assert "451" in reminder.last_error

    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        assert sweep_run().sent == 1
    reminder.refresh_from_db()
    assert (reminder.state, reminder.last_error) == (Reminder.State.NOTIFIED, "")
    assert smtp.subjects() == [_subject(reminder)]


def test_a_three_hour_esp_outage_is_delivered_once_after_recovery_saying_when_it_was_due(
    postmark,
):
    reminder = _due("Follow up with Anna")
    recovery = NOON + timedelta(hours=3)
    # Server errors and rate limits, in turn, until the outage ends.
    outage = [
        (500, {"ErrorCode": 500, "Message": "Internal server error"}),
        (429, {"ErrorCode": 429, "Message": "Rate limit exceeded"}),
    ]

    def answer(request: dict) -> tuple[int, dict]:
        if timezone.now() < recovery:
            return outage[len(postmark.requests) % 2]
        return accepted(request)

    postmark.answer = answer

    moments = _sweep_until_settled(reminder, until=timedelta(hours=30))

    assert reminder.state == Reminder.State.NOTIFIED
    assert moments[-1] >= recovery
    assert moments[-1] - recovery <= timedelta(hours=1)  # backoff is capped at one hour
    assert postmark.accepted_subjects() == [_subject(reminder)]
    assert len(postmark.requests) == len(moments)  # one request per attempt, nothing more
    assert {r["status"] for r in postmark.requests[:-1]} == {500, 429}
    text = postmark.requests[-1]["body"]["TextBody"]
    assert "This was due at Tuesday 10 March 2026, 12:00" in text


# --- Permanent errors: that one message fails and the user sees it ---------------------------


def test_a_550_for_one_recipient_fails_that_message_only_and_the_task_page_shows_it(
    smtp, client_for
):
    refused = _due("Follow up with Anna")
    fine = _due("Follow up with Ben", at=NOON + timedelta(seconds=1))
    smtp.rcpt_replies.append("550 5.1.1 No such mailbox here")

    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        result = sweep_run()
    with time_machine.travel(NOON + timedelta(hours=3), tick=False):
        later = sweep_run()

    assert (result.sent, result.failed, result.retried, later.claimed) == (1, 1, 0, 0)
    refused.refresh_from_db()
    assert refused.state == Reminder.State.FAILED
    assert "550" in refused.last_error
    assert smtp.subjects() == [_subject(fine)]
    page = client_for(refused.user).get("/tasks/").content.decode()
    assert "We could not email you about this task." in page
    assert "No such mailbox here" in page


# --- Configuration errors: pause for everyone, alert, resume by itself -----------------------


def test_a_bad_esp_token_pauses_sending_alerts_and_resumes_once_fixed(
    postmark, settings, client, caplog
):
    reminders = [_due(f"Task {i}", at=NOON + timedelta(seconds=i)) for i in range(3)]

    def answer(request: dict) -> tuple[int, dict]:
        if request["token"] != "good-token":
            return 401, {"ErrorCode": 10, "Message": "Bad or missing Server API token."}
        return accepted(request)

    postmark.answer = answer
    settings.ANYMAIL = {**settings.ANYMAIL, "POSTMARK_SERVER_TOKEN": "typo-token"}

    with caplog.at_level(logging.ERROR), time_machine.travel(NOON, tick=False):
        first = sweep_run()
    assert (first.sent, first.failed, first.retried) == (0, 0, 0)
    assert len(postmark.requests) == 1  # the batch stopped at the first refusal
    assert any("Sending email is paused" in r.getMessage() for r in caplog.records)
    assert mail_paused() is not None
    for reminder in reminders:
        reminder.refresh_from_db()
        assert (reminder.state, reminder.attempts, reminder.lease_until) == (
            Reminder.State.PENDING,
            0,
            None,
        )
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["mail"]["ok"] is False
    assert "Sending email is paused" in health.json()["mail"]["error"]

    # Still broken a minute later: one probe, nothing counted against the reminders.
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        assert sweep_run().sent == 0
    assert len(postmark.requests) == 2

    settings.ANYMAIL = {**settings.ANYMAIL, "POSTMARK_SERVER_TOKEN": "good-token"}
    with time_machine.travel(NOON + timedelta(minutes=2), tick=False):
        fixed = sweep_run()
    assert fixed.sent == 3
    assert mail_paused() is None
    assert client.get("/healthz").json()["mail"] == {"ok": True}
    assert sorted(postmark.accepted_subjects()) == sorted(_subject(r) for r in reminders)


def test_a_smtp_535_pauses_sending_until_the_password_is_fixed(settings):
    reminders = [_due(f"Task {i}", at=NOON + timedelta(seconds=i)) for i in range(2)]
    with ScriptedSMTP(password="right") as server:
        server.use(settings, user="followup", password="wrong")
        with time_machine.travel(NOON, tick=False):
            paused = sweep_run()
        pause = mail_paused()
        assert pause is not None and "535" in pause.detail
        assert paused.sent == 0

        settings.EMAIL_HOST_PASSWORD = "right"
        with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
            resumed = sweep_run()
    assert resumed.sent == 2
    assert mail_paused() is None
    assert sorted(server.subjects()) == sorted(_subject(r) for r in reminders)
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {0}


def test_no_digest_is_tried_while_sending_is_paused(postmark, settings):
    digest_user = user_in(
        BERLIN, notification_mode=User.NotificationMode.DIGEST, digest_hour=9, **NO_QUIET
    )
    _due("Check in with Ben", user=digest_user, kind=Reminder.Kind.CHECK_IN)
    postmark.answer = lambda request: (401, {"ErrorCode": 10, "Message": "Bad token"})
    _due("Follow up with Anna")
    with time_machine.travel(NOON, tick=False):
        sweep_run()  # pauses
    with time_machine.travel(local(BERLIN, 2026, 3, 11, 9, 0), tick=False):
        assert digest_run().claimed == 0
    assert len(postmark.requests) == 1


# --- State read again before each send -------------------------------------------------------


def test_rows_that_change_while_their_batch_is_sent_send_nothing(smtp):
    """One batch of five, each for its own user, sent in order. While the first email is at
    the server, the second task is done, the third's application closed, the fourth account
    deactivated and the fifth address unverified: only the first email goes out.

    The relay takes longer than RECHECK_WITHIN a message, so the changes are older than
    that when the next send comes, as any change a user makes by hand is."""
    first, done, closed, inactive, unverified = [
        _due(f"Task {i}", at=NOON + timedelta(seconds=i)) for i in range(5)
    ]

    def meanwhile(message) -> None:
        smtp.on_message = None
        reminder_complete(reminder=Reminder.objects.get(pk=done.pk))
        application_close(application=closed.application, reason="rejected")
        User.objects.filter(pk=inactive.user_id).update(is_active=False)
        User.objects.filter(pk=unverified.user_id).update(email_verified_at=None)
        connection.close()  # this ran in the server's thread

    smtp.on_message = meanwhile
    smtp.delay = RECHECK_WITHIN.total_seconds() + 0.05
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        result = sweep_run()

    assert (result.claimed, result.sent, result.emails) == (5, 1, 1)
    assert smtp.subjects() == [_subject(first)]
    states = {r.pk: (r.state, r.lease_until) for r in Reminder.objects.all()}
    assert states[done.pk] == (Reminder.State.DONE, None)
    assert states[closed.pk] == (Reminder.State.CANCELLED, None)
    # Left due, and free for the next sweep once the account can get mail again.
    assert states[inactive.pk] == (Reminder.State.PENDING, None)
    assert states[unverified.pk] == (Reminder.State.PENDING, None)


def test_unverified_addresses_get_nothing_until_verified_then_everything_once(smtp, settings):
    seeker = user_in(BERLIN, email_verified_at=None, **NO_QUIET)
    reminder = _due("Follow up with Anna", user=seeker)
    digest_user = user_in(
        BERLIN,
        email_verified_at=None,
        notification_mode=User.NotificationMode.DIGEST,
        digest_hour=9,
        **NO_QUIET,
    )
    _due("Check in with Ben", user=digest_user, kind=Reminder.Kind.CHECK_IN)

    morning = local(BERLIN, 2026, 3, 11, 9, 0)
    with time_machine.travel(morning, tick=False):
        assert (sweep_run().claimed, digest_run().claimed) == (0, 0)
    assert smtp.messages == []
    reminder.refresh_from_db()
    assert (reminder.state, reminder.lease_until) == (Reminder.State.PENDING, None)

    User.objects.filter(pk__in=[seeker.pk, digest_user.pk]).update(email_verified_at=morning)
    with time_machine.travel(morning + timedelta(minutes=1), tick=False):
        assert (sweep_run().sent, digest_run().sent) == (1, 1)
        assert (sweep_run().claimed, digest_run().claimed) == (0, 0)
    assert sorted(smtp.subjects()) == sorted(
        [_subject(reminder), "Your follow-ups for today: 1 task"]
    )


def test_every_update_of_the_sweep_goes_by_primary_key():
    """On fresh rows without planner statistics, an UPDATE that also filters on state and
    time by constants scans the due index instead of the primary key. The sweep's writes
    (outcomes, lease renewals and releases) find their rows by primary key alone: their
    plans, on 2,000 fresh due rows, name the primary key and no other index."""
    rows = [_due(f"Task {i}", at=NOON + timedelta(seconds=i)) for i in range(3)]
    Reminder.objects.bulk_create(
        Reminder(
            user=rows[0].user,
            kind=Reminder.Kind.CUSTOM,
            custom_title=f"Filler {i}",
            due_at=NOON,
            notify_at=NOON,
            occurrence=f"filler:{i}",
        )
        for i in range(2000)
    )
    lease = NOON + timedelta(minutes=2)
    for row in rows:
        row.state, row.lease_until = Reminder.State.NOTIFIED, None
    claimed_as = {row.pk: (Reminder.State.PENDING, row.notify_at) for row in rows}
    pks = [row.pk for row in rows]
    statements = [
        outcomes_update(rows, claimed_as=claimed_as, lease=lease),
        lease_update(pks, lease=lease, to=lease + timedelta(minutes=1)),
        lease_update(pks, lease=lease, to=None),
    ]
    for sql, params in statements:
        plan = _plan(sql, params)
        if connection.vendor == "postgresql":
            assert "reminders_reminder_pkey" in plan, plan
            assert "reminder_due" not in plan and "Seq Scan on reminders_reminder" not in plan
        else:
            assert re.search(r"SEARCH r(eminders_reminder)? USING INTEGER PRIMARY KEY", plan)
            assert "SCAN r" not in plan.replace("SCAN reminders_reminder", "SCAN r"), plan


def _plan(sql: str, params: list) -> str:
    explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        return "\n".join(" ".join(str(part) for part in line) for line in cursor.fetchall())


# --- A slow server: the lease must hold ------------------------------------------------------


def test_a_batch_slower_than_its_lease_is_never_sent_twice(settings):
    """Real time: a 4-second lease, a relay that takes 0.4 s a message, 14 messages in one
    batch (about 6 s). A second sweep tries to claim every 0.2 s all along; the first keeps
    renewing its lease, so every message goes out exactly once."""
    settings.SWEEP_LEASE_SECONDS = 4
    now = timezone.now()
    reminders = [
        _due(f"Slow task {i}", at=now - timedelta(minutes=1) + timedelta(microseconds=i))
        for i in range(14)
    ]
    finished = threading.Event()
    second: list = []
    errors: list = []

    def keep_sweeping() -> None:
        try:
            wall.sleep(0.1)  # let the first sweep claim the batch
            while not finished.is_set():
                second.append(sweep_run())
                wall.sleep(0.2)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    with ScriptedSMTP(delay=0.4) as server:
        server.use(settings)
        rival = threading.Thread(target=keep_sweeping)
        rival.start()
        started = wall.monotonic()
        first = sweep_run()
        finished.set()
        rival.join(timeout=60)
        elapsed = wall.monotonic() - started

    assert errors == []
    assert elapsed > settings.SWEEP_LEASE_SECONDS  # the batch really outlived its lease
    assert first.sent + sum(r.sent for r in second) == 14
    assert sorted(server.subjects()) == sorted(_subject(r) for r in reminders)
