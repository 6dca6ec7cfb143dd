"""The sweep: find reminders whose notification is due, email the user, record the outcome.

The database is the only record of what is due (DESIGN section 5). Beat runs
:func:`sweep_run` every minute, and ``reminders.services.digest.digest_run`` for users who
asked for one daily email. Both follow the same steps:

1. Claim a batch of due rows in a short transaction by setting ``lease_until``; the claim
   skips rows another sweep holds (``skip_locked`` on PostgreSQL; SQLite has one writer, so
   its IMMEDIATE transaction serialises the claims) and rows whose lease is still running.
   Only users who can get mail are claimed: active, with a verified address.
2. Send each email outside that transaction, so a slow ESP never holds a lock, over one mail
   connection per batch. The tasks of one application due at the same moment (a panel's
   thank-yous) share one email. Before each send the rows are as read at most
   ``RECHECK_WITHIN`` (a quarter of a second) earlier: a task done, snoozed or cancelled,
   an application closed, an account deactivated or unverified before that sends nothing.
3. Record the outcomes in bulk at a checkpoint (``reminders.services.sweep_batch``): every
   ``CHECKPOINT_SENDS`` emails, before the lease could run short, and at the end of the
   batch. A checkpoint locks the rows by primary key, writes only those still exactly as
   claimed (the user's own action wins), and renews the lease of the rest.

A crash between a send and its checkpoint leaves the lease to run out (``lease_length()``,
a minute by default); the next sweep then takes the rows over and sends them again: email
to the user is at-least-once, and a crash repeats at most ``CHECKPOINT_SENDS`` emails per
crashed worker. Errors are classified by ``outreach.mail_errors``: temporary ones move
``notify_at`` forward with backoff for at least ``RETRY_FOR``; permanent ones mark the row
FAILED with the reason, which the task list shows; configuration errors pause sending for
everyone (``reminders.services.mail_pause``). One bad row is recorded and the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from followup_site.clock import QuietHours, in_quiet_hours, quiet_hours_end_after
from interviews.models import Note
from reminders.emails import group_email, notes_by_application, reminder_email
from reminders.models import Reminder
from reminders.services.mail_pause import mail_paused, mail_resume

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# Outcomes are written every this many emails: the most a crashed worker sends twice.
CHECKPOINT_SENDS = 10
# Rows are read again before a send unless they were read this recently.
RECHECK_WITHIN = timedelta(milliseconds=250)
# Temporary errors are retried with exponential backoff, capped, for at least this long.
RETRY_FOR = timedelta(hours=24)
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)

DUE_STATES = (Reminder.State.PENDING, Reminder.State.NOTIFIED, Reminder.State.SNOOZED)


def lease_length() -> timedelta:
    """How long a claim is owned without a renewal. A crashed worker's rows go to the next
    sweep after it: with beat's one-minute sweep and the default of 60 s, within 2 minutes."""
    return timedelta(seconds=settings.SWEEP_LEASE_SECONDS)


def backoff(*, attempts: int) -> timedelta:
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _max_attempts() -> int:
    """The attempt at which the waits between attempts have added up to RETRY_FOR."""
    attempts, waited = 1, timedelta(0)
    while waited < RETRY_FOR:
        waited += backoff(attempts=attempts)
        attempts += 1
    return attempts


MAX_ATTEMPTS = _max_attempts()


@dataclass
class SweepResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    emails: int = 0
    # Rows left due without an attempt: sending paused, or the rows changed before the send.
    released: int = 0

    def add(self, other: SweepResult) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def due_q(now: datetime) -> Q:
    return Q(state__in=DUE_STATES, notify_at__lte=now) & (
        Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    )


def mailable_q(prefix: str = "") -> Q:
    """Users Followup may email: active, and their address verified. The others' rows stay
    as they are and go out once the account is active and verified again."""
    return Q(
        **{f"{prefix}user__is_active": True, f"{prefix}user__email_verified_at__isnull": False}
    )


def _immediate() -> Q:
    # Thank-yous never wait for a digest: their deadline is a day away.
    return Q(kind=Reminder.Kind.THANK_YOU) | Q(
        user__notification_mode=User.NotificationMode.IMMEDIATE
    )


def reminders_claim(
    *, now: datetime, limit: int = BATCH_SIZE, digest_user_id: int | None = None
) -> tuple[list[int], datetime]:
    """Claim up to ``limit`` due rows; returns their ids and the lease that marks them ours.

    Without ``digest_user_id``: the rows the immediate sweep sends. With it: that digest
    user's rows other than thank-yous.
    """
    due = Reminder.objects.filter(due_q(now), mailable_q())
    if digest_user_id is None:
        due = due.filter(_immediate())
    else:
        due = due.filter(user_id=digest_user_id).exclude(kind=Reminder.Kind.THANK_YOU)
    lease = now + lease_length()
    with transaction.atomic():
        if digest_user_id is None:
            _walk_the_due_index_in_order()
        # FOR UPDATE SKIP LOCKED: concurrent sweeps on PostgreSQL take disjoint rows instead
        # of queueing on each other; of=self keeps the joined user rows unlocked. SQLite
        # ignores it, and its IMMEDIATE transaction makes this select-then-update atomic.
        ids = list(
            due.order_by("notify_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return [], lease
        # The rows are locked (or the database is ours alone): every id is taken. The UPDATE
        # goes by primary key only; with "due" in its WHERE, PostgreSQL without statistics
        # on fresh rows scans the due index instead.
        Reminder.objects.filter(pk__in=ids).update(lease_until=lease)
    return ids, lease


def _walk_the_due_index_in_order() -> None:
    """Make PostgreSQL read the due rows in index order and stop at the batch's limit.

    Right after a burst of new rows the table has no statistics yet; the planner then guesses
    a handful of due rows, fetches every one of them with a bitmap scan and sorts them all,
    once per batch: a sweep of N rows cost N squared. Without bitmap scans and sorts (for
    this transaction only) it walks ``reminder_due_order_idx``, already in the claim's order,
    and reads about one batch of rows, whatever the statistics say.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_bitmapscan', 'off', true), "
                "set_config('enable_sort', 'off', true)"
            )


def backlog_beyond(*, batches: int, now: datetime | None = None) -> bool:
    """Whether more than ``batches`` full batches are due and free to claim right now."""
    now = now or timezone.now()
    due = Reminder.objects.filter(due_q(now), mailable_q()).filter(_immediate())
    return due.order_by()[batches * BATCH_SIZE : batches * BATCH_SIZE + 1].exists()


def claimed_rows(pks: Sequence[int], lease: datetime) -> list[Reminder]:
    """The claimed rows still under ``lease`` and due, with what their emails show.

    Selected by primary key alone, and the lease and state checked here: with them in the
    WHERE, PostgreSQL without statistics on fresh rows combined the primary key with a scan
    of the whole due index (10 ms a batch at 10,000 due, growing with the backlog).
    """
    rows = (
        Reminder.objects.filter(pk__in=pks)
        .select_related("user", "application__company", "contact", "interview", "trigger_outreach")
        .order_by("notify_at", "pk")
    )
    return [row for row in rows if row.lease_until == lease and row.state in DUE_STATES]


def is_nudge(reminder: Reminder) -> bool:
    return (
        reminder.state == Reminder.State.NOTIFIED
        and reminder.nudge_at is not None
        and reminder.notify_at == reminder.nudge_at
    )


def quiet_until(user: User, now: datetime) -> datetime | None:
    """The end of the user's quiet hours if ``now`` is inside them, else None."""
    quiet = QuietHours(start=user.quiet_hours_start, end=user.quiet_hours_end)
    if in_quiet_hours(instant=now, quiet=quiet, zone=user.zone):
        return quiet_hours_end_after(instant=now, quiet=quiet, zone=user.zone)
    return None


def _moments(rows: Sequence[Reminder]) -> list[list[Reminder]]:
    """The batch's rows grouped into one email each: the tasks of one application due at the
    same moment (a panel's thank-yous, or their nudges) share one email (R7)."""
    groups: dict[tuple, list[Reminder]] = {}
    for row in rows:
        if row.application_id is None:
            key: tuple = ("task", row.pk)
        else:
            key = (row.user_id, row.application_id, row.notify_at, is_nudge(row))
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def _render(rows: list[Reminder], *, nudge: bool, notes: dict[int, list[Note]]):
    application_notes = notes.get(rows[0].application_id)
    if len(rows) == 1:
        return partial(
            reminder_email, reminder=rows[0], nudge=nudge, application_notes=application_notes
        )
    return partial(group_email, reminders=rows, nudge=nudge, application_notes=application_notes)


def sweep_run(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE, max_batches: int | None = None
) -> SweepResult:
    """Send every due notification of users who get them one by one (and every thank-you).

    Loops over batches until nothing due is left: each processed row leaves the due set
    (sent, deferred, retried later or failed), and a row someone else holds is skipped.
    While sending is paused, each run sends one email as a probe; if it goes out, the pause
    is lifted and the run goes on with everything else.
    """
    from reminders.services.sweep_batch import commits_without_waiting_for_disk

    result = SweepResult()
    with commits_without_waiting_for_disk():
        _sweep_batches(result, now=now, batch_size=batch_size, max_batches=max_batches)
    return result


def _sweep_batches(
    result: SweepResult, *, now: datetime | None, batch_size: int, max_batches: int | None
) -> None:
    from reminders.services.sweep_batch import BatchSender

    paused = mail_paused() is not None
    batches = 0
    while max_batches is None or batches < max_batches:
        tick = now or timezone.now()
        pks, lease = reminders_claim(now=tick, limit=1 if paused else batch_size)
        if not pks:
            break
        batches += 1
        result.claimed += len(pks)
        rows = claimed_rows(pks, lease)
        # One query for the notes of the whole batch, not one per email.
        notes = notes_by_application(reminders=rows)
        batch = BatchSender(rows=rows, lease=lease, now=tick, result=result)
        try:
            for moment in _moments(rows):
                if batch.paused:
                    break
                nudge = is_nudge(moment[0])
                batch.send(moment, _render(moment, nudge=nudge, notes=notes), nudge=nudge)
        finally:
            batch.finish()
        if batch.paused:
            break  # the mail settings are broken: the rest waits for the next probe
        if paused:
            if not batch.delivered:
                break  # the probe did not get through; try again next tick
            mail_resume()
            paused = False
