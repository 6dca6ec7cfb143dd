"""The sweep and the daily digest, with Django's in-memory outbox. Timezone: Europe/Berlin."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from reminders.models import Reminder
from reminders.services.digest import digest_run
from reminders.services.plan_apply import plan_apply
from reminders.services.sweep import (
    MAX_ATTEMPTS,
    reminders_claim,
    sweep_run,
)
from reminders.services.task_actions import reminder_complete
from reminders.tasks import digest_sweep, sweep
from tests.factories import ReminderFactory
from tests.reminders.support import BERLIN, interview_logged, local, open_of, user_in

pytestmark = pytest.mark.django_db

NOON = local(BERLIN, 2026, 3, 10, 12, 0)


@pytest.fixture
def seeker():
    return user_in(BERLIN)


def _due(user, at=NOON, **extra):
    return ReminderFactory(user=user, due_at=at, notify_at=at, **extra)


def test_a_due_reminder_is_emailed_once_and_recorded(seeker, mailoutbox):
    reminder = _due(seeker, title="Follow up with Anna")
    with time_machine.travel(NOON, tick=False):
        result = sweep_run()
        again = sweep_run()

    assert (result.claimed, result.sent, result.retried, result.failed) == (1, 1, 0, 0)
    assert again.claimed == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [seeker.email]
    application = reminder.application
    assert mailoutbox[0].subject == (
        f"Follow up with Anna ({application.role} at {application.company.name})"
    )
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.NOTIFIED
    assert reminder.notified_at == NOON
    assert reminder.notify_at is None
    assert reminder.lease_until is None


def test_nothing_is_sent_before_notify_at(seeker, mailoutbox):
    _due(seeker, at=NOON + timedelta(minutes=1))
    with time_machine.travel(NOON, tick=False):
        assert sweep_run().claimed == 0
    assert mailoutbox == []


def test_a_thank_you_is_sent_then_nudged_near_the_deadline_then_left_alone(seeker, mailoutbox):
    ends = local(BERLIN, 2026, 3, 10, 11, 0)
    with time_machine.travel(ends, tick=False):
        interview, _ = interview_logged(user=seeker, ends_at=ends)
        plan_apply(application=interview.application)
    (thanks,) = open_of(interview.application, Reminder.Kind.THANK_YOU)

    with time_machine.travel(thanks.notify_at, tick=False):
        assert sweep_run().sent == 1
    thanks.refresh_from_db()
    assert thanks.state == Reminder.State.NOTIFIED
    assert thanks.notify_at == thanks.nudge_at == local(BERLIN, 2026, 3, 11, 8, 0)

    with time_machine.travel(thanks.nudge_at, tick=False):
        assert sweep_run().sent == 1
    assert mailoutbox[1].subject.startswith("Still to do: ")
    thanks.refresh_from_db()
    assert thanks.notify_at is None

    with time_machine.travel(thanks.due_at + timedelta(hours=1), tick=False):
        assert sweep_run().claimed == 0
    assert len(mailoutbox) == 2


def test_a_task_done_before_its_nudge_gets_no_nudge(seeker, mailoutbox):
    ends = local(BERLIN, 2026, 3, 10, 11, 0)
    with time_machine.travel(ends, tick=False):
        interview, _ = interview_logged(user=seeker, ends_at=ends)
        plan_apply(application=interview.application)
    (thanks,) = open_of(interview.application, Reminder.Kind.THANK_YOU)
    with time_machine.travel(thanks.notify_at, tick=False):
        sweep_run()
        thanks.refresh_from_db()
        reminder_complete(reminder=thanks)
    with time_machine.travel(thanks.due_at, tick=False):
        assert sweep_run().claimed == 0
    assert len(mailoutbox) == 1


def test_quiet_hours_are_checked_again_when_sending(seeker, mailoutbox):
    # The user moved quiet hours after the reminder was scheduled for 22:00.
    late = local(BERLIN, 2026, 3, 10, 22, 0)
    reminder = _due(seeker, at=late)
    with time_machine.travel(late, tick=False):
        result = sweep_run()
    assert (result.sent, result.deferred) == (0, 1)
    reminder.refresh_from_db()
    assert reminder.notify_at == local(BERLIN, 2026, 3, 11, 8, 0)
    assert reminder.state == Reminder.State.PENDING
    assert mailoutbox == []


def test_an_email_held_past_the_tasks_moment_says_when_it_was_due(seeker, mailoutbox):
    """Europe/Berlin, quiet hours 21:00-08:00: a task due at 22:00 is emailed at 08:00 and
    says it was due at 22:00; one emailed on time does not."""
    on_time = _due(seeker, title="Call Anna back")
    late = _due(seeker, title="Write to Ben", at=local(BERLIN, 2026, 3, 10, 22, 0))
    with time_machine.travel(NOON, tick=False):
        sweep_run()
    with time_machine.travel(late.due_at, tick=False):
        assert sweep_run().deferred == 1
    with time_machine.travel(local(BERLIN, 2026, 3, 11, 8, 0), tick=False):
        assert sweep_run().sent == 1
    first, second = mailoutbox
    assert on_time.title in first.subject and "This was due at" not in first.body
    assert late.title in second.subject
    assert "This was due at Tuesday 10 March 2026, 22:00 CET" in second.body
    assert "This was due at" in second.alternatives[0].content


def test_a_snoozed_task_is_emailed_again_when_its_snooze_ends(seeker, mailoutbox):
    reminder = _due(seeker, state=Reminder.State.SNOOZED)
    with time_machine.travel(NOON, tick=False):
        assert sweep_run().sent == 1
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.NOTIFIED


def test_done_cancelled_and_failed_tasks_are_never_emailed(seeker, mailoutbox):
    for state in (Reminder.State.DONE, Reminder.State.CANCELLED, Reminder.State.FAILED):
        _due(seeker, state=state)
    with time_machine.travel(NOON, tick=False):
        assert sweep_run().claimed == 0
    assert mailoutbox == []


def test_one_bad_row_is_marked_failed_and_the_batch_goes_on(seeker, mailoutbox):
    broken_user = user_in(BERLIN)
    # A zone name that no longer exists: this row cannot be scheduled or rendered.
    User.objects.filter(pk=broken_user.pk).update(timezone="Mars/Olympus_Mons")
    bad = _due(broken_user, at=NOON - timedelta(minutes=5))
    good = [_due(seeker) for _ in range(3)]

    with time_machine.travel(NOON, tick=False):
        result = sweep_run(batch_size=2)

    assert (result.claimed, result.sent, result.failed) == (4, 3, 1)
    bad.refresh_from_db()
    assert bad.state == Reminder.State.FAILED
    assert "Mars/Olympus_Mons" in bad.last_error
    assert all(
        r.state == Reminder.State.NOTIFIED
        for r in Reminder.objects.filter(pk__in=[g.pk for g in good])
    )
    assert len(mailoutbox) == 3


def test_a_claimed_row_is_not_claimed_again_while_its_lease_runs(seeker):
    reminder = _due(seeker)
    with time_machine.travel(NOON, tick=False):
        first, lease = reminders_claim(now=NOON)
        second, _ = reminders_claim(now=NOON)
    assert first == [reminder.pk]
    assert second == []
    reminder.refresh_from_db()
    assert reminder.lease_until == lease


def test_an_unreachable_smtp_server_is_retried_with_backoff_for_a_day_then_given_up(
    settings, mailoutbox
):
    """Europe/Berlin user without quiet hours, so that every retry is an attempt."""
    # A real SMTP backend pointed at a closed local port: every attempt is refused.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    reminder = _due(user_in(BERLIN, quiet_hours_start=time(0), quiet_hours_end=time(0)))
    at = NOON
    waits = []
    for _ in range(MAX_ATTEMPTS):
        with time_machine.travel(at, tick=False):
            sweep_run()
        reminder.refresh_from_db()
        if reminder.state == Reminder.State.FAILED:
            break
        waits.append(reminder.notify_at - at)
        at = reminder.notify_at
    assert reminder.state == Reminder.State.FAILED
    assert reminder.attempts == MAX_ATTEMPTS
    assert "Gave up after" in reminder.last_error
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert max(waits) == timedelta(hours=1)
    # The last attempt came at least a day after the first.
    assert at - NOON >= timedelta(hours=24)


# --- Digest ---------------------------------------------------------------------------------


@pytest.fixture
def digest_user():
    return user_in(BERLIN, notification_mode=User.NotificationMode.DIGEST, digest_hour=9)


def test_digest_users_get_thank_yous_at_once_and_the_rest_in_the_digest(digest_user, mailoutbox):
    thanks = _due(digest_user, kind=Reminder.Kind.THANK_YOU, at=local(BERLIN, 2026, 3, 10, 7, 30))
    call = _due(digest_user, kind=Reminder.Kind.PHONE_CALL, title="Call Anna", at=NOON)
    check_in = _due(digest_user, kind=Reminder.Kind.CHECK_IN, title="Check in with Ben", at=NOON)

    with time_machine.travel(NOON, tick=False):
        result = sweep_run()
        digest = digest_run()  # noon is not the 09:00 digest hour
    assert (result.sent, digest.sent) == (1, 0)
    thanks.refresh_from_db()
    assert thanks.state == Reminder.State.NOTIFIED

    with time_machine.travel(local(BERLIN, 2026, 3, 11, 9, 0), tick=False):
        assert sweep_run().claimed == 0
        digest = digest_run()
        again = digest_run()
    assert (digest.sent, digest.emails, again.claimed) == (2, 1, 0)
    assert len(mailoutbox) == 2
    message = mailoutbox[1]
    assert message.subject == "Your follow-ups for today: 2 tasks"
    assert "Call Anna" in message.body and "Check in with Ben" in message.body
    assert "This was due at" not in message.body  # a digest is late by design
    html = message.alternatives[0].content
    assert html.count("Snooze a week") == 2
    for reminder in (call, check_in):
        reminder.refresh_from_db()
        assert reminder.state == Reminder.State.NOTIFIED


def test_a_task_snoozed_into_the_digest_window_waits_for_the_next_days_digest(
    digest_user, mailoutbox
):
    """Europe/Berlin, digest at 09:00: the morning's digest went out; a task snoozed to 09:20
    the same day does not make a second digest, and goes in the next morning's."""
    _due(digest_user, kind=Reminder.Kind.CHECK_IN, title="Check in with Ben", at=NOON)
    with time_machine.travel(local(BERLIN, 2026, 3, 11, 9, 0), tick=False):
        assert digest_run().emails == 1
    snoozed = _due(
        digest_user,
        kind=Reminder.Kind.FOLLOW_UP,
        title="Follow up with Anna",
        at=local(BERLIN, 2026, 3, 11, 9, 20),
    )
    with time_machine.travel(local(BERLIN, 2026, 3, 11, 9, 21), tick=False):
        assert digest_run().emails == 0
    with time_machine.travel(local(BERLIN, 2026, 3, 12, 9, 0), tick=False):
        tomorrow = digest_run()
    assert tomorrow.emails == 1
    assert [m.subject for m in mailoutbox] == ["Your follow-ups for today: 1 task"] * 2
    assert "Follow up with Anna" in mailoutbox[1].body
    snoozed.refresh_from_db()
    assert snoozed.state == Reminder.State.NOTIFIED


def test_celery_tasks_run_the_sweeps(seeker, digest_user, mailoutbox):
    _due(seeker)
    _due(digest_user, at=local(BERLIN, 2026, 3, 10, 8, 0))
    with time_machine.travel(local(BERLIN, 2026, 3, 10, 9, 5), tick=False):
        assert sweep.apply().get()["sent"] == 0  # the immediate one is due at noon
        assert digest_sweep.apply().get()["sent"] == 1
    with time_machine.travel(NOON, tick=False):
        assert sweep.apply().get()["sent"] == 1
    assert len(mail.outbox) == 2


# --- Deactivated accounts -------------------------------------------------------------------


def test_a_deactivated_user_is_not_emailed_and_their_rows_stay_pending(seeker, mailoutbox):
    """Europe/Berlin user, swept at noon local time."""
    active = _due(user_in(BERLIN), title="Follow up with Anna")
    _due(seeker, title="Follow up with Ben")
    _due(seeker, kind=Reminder.Kind.THANK_YOU, title="Thank Ben")
    seeker.is_active = False
    seeker.save(update_fields=["is_active"])

    with time_machine.travel(NOON, tick=False):
        result = sweep_run()

    assert (result.claimed, result.sent) == (1, 1)
    assert [m.to for m in mailoutbox] == [[active.user.email]]
    states = set(seeker.reminders.values_list("state", "lease_until", "notified_at"))
    assert states == {(Reminder.State.PENDING, None, None)}


def test_a_deactivated_digest_user_gets_no_digest(digest_user, mailoutbox):
    """Europe/Berlin digest user at their 09:00 digest hour."""
    _due(digest_user, kind=Reminder.Kind.CHECK_IN, title="Check in with Ben", at=NOON)
    digest_user.is_active = False
    digest_user.save(update_fields=["is_active"])

    with time_machine.travel(local(BERLIN, 2026, 3, 11, 9, 0), tick=False):
        digest = digest_run()
        claimed, _ = reminders_claim(now=NOON + timedelta(days=1), digest_user_id=digest_user.pk)

    assert (digest.claimed, digest.emails, claimed) == (0, 0, [])
    assert mailoutbox == []
    assert digest_user.reminders.get().state == Reminder.State.PENDING


def test_claimed_rows_are_read_by_key_and_checked_against_the_lease(seeker):
    """The batch read selects by primary key alone (a WHERE on state or lease made
    PostgreSQL scan the whole due index on fresh rows), yet still drops a row that is no
    longer under this lease or no longer due."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.services.sweep import claimed_rows

    kept, done, taken = (_due(seeker) for _ in range(3))
    with time_machine.travel(NOON, tick=False):
        pks, lease = reminders_claim(now=NOON)
    Reminder.objects.filter(pk=done.pk).update(state=Reminder.State.DONE)
    Reminder.objects.filter(pk=taken.pk).update(lease_until=lease + timedelta(minutes=1))
    with CaptureQueriesContext(connection) as queries:
        rows = claimed_rows(pks, lease)
    assert [row.pk for row in rows] == [kept.pk]
    (select,) = queries.captured_queries
    where = select["sql"].split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
    assert "state" not in where and "lease_until" not in where, where


def test_the_claim_reads_the_earliest_due_rows_without_sorting_them_all(seeker):
    """On PostgreSQL the claim walks the (notify_at, id) index of due rows and stops after
    the batch; sorting every due row for every batch made a sweep quadratic there. SQLite's
    planner prefers the (state, notify_at) index and sorts what it found, which is cheap on
    the embedded scale; what must hold there is that it never scans the whole table."""
    from django.db import connection, transaction

    from reminders.services import sweep as engine

    # A burst of fresh rows, as the benchmark makes: no statistics for the planner yet. At
    # 10,000 PostgreSQL without the planner settings of the claim chose a bitmap scan and a
    # sort of every due row (at 3,000 it still happened to walk the index).
    Reminder.objects.bulk_create(
        Reminder(
            user=seeker,
            kind=Reminder.Kind.CUSTOM,
            custom_title=f"Task {i}",
            due_at=NOON,
            notify_at=NOON - timedelta(microseconds=i),
            occurrence=f"burst:{i}",
        )
        for i in range(10_000)
    )
    due = Reminder.objects.filter(engine.due_q(NOON), engine.mailable_q()).filter(
        engine._immediate()
    )
    claim = (
        due.order_by("notify_at", "pk")
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)[:100]
    )
    with transaction.atomic():
        engine._walk_the_due_index_in_order()
        plan = claim.explain()
    if connection.vendor == "postgresql":
        assert "reminder_due_order_idx" in plan, plan
        assert "Sort" not in plan, plan
    else:
        assert "SEARCH reminders_reminder USING INDEX reminder_due" in plan, plan
        assert "SCAN reminders_reminder" not in plan, plan
