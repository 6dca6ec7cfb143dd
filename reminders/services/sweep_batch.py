"""Sending one claimed batch: re-check before each send, record outcomes at checkpoints.

The sweep (``reminders.services.sweep``) claims a batch and hands it here. Why the batch is
written this way:

- Recording each row with its own UPDATE cost more than rendering and sending together
  (each a commit, about 1 ms on PostgreSQL). Outcomes are kept in memory and written at a
  checkpoint with one ``bulk_update`` (a CASE per column, ``WHERE id IN (...)``).
- A checkpoint happens every ``CHECKPOINT_SENDS`` emails, so a crash repeats at most that
  many; and before the lease could run short, so a slow mail service never lets another
  worker take over rows this one is still sending (the checkpoint renews their lease).
- Every write goes by primary key, under ``SELECT ... FOR UPDATE`` of those keys, and only
  for rows still exactly as claimed: the same lease, state and notify time. A task the user
  completed or snoozed meanwhile keeps what the user did.
- Before each send the rows are as read at most ``RECHECK_WITHIN`` earlier (one query for
  the whole batch, repeated as needed): a task no longer due, a closed application, a
  deactivated or unverified account sends nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from interviews.models import Application
from outreach.mail_errors import MailErrorKind, classify
from reminders import notify_times
from reminders.models import Reminder
from reminders.services.mail_pause import mail_pause
from reminders.services.sweep import (
    CHECKPOINT_SENDS,
    MAX_ATTEMPTS,
    RECHECK_WITHIN,
    SweepResult,
    backoff,
    lease_length,
    quiet_until,
)

logger = logging.getLogger(__name__)

RECORD_FIELDS = [
    "state",
    "notify_at",
    "notified_at",
    "attempts",
    "last_error",
    "lease_until",
    "updated_at",
]


def describe(error: BaseException) -> str:
    text = str(error).strip() or error.__class__.__name__
    return f"{error.__class__.__name__}: {text}"[:2000]


class BatchSender:
    """Sends the emails of one claimed batch over one connection and records the outcomes.

    Call :meth:`send` for each email and :meth:`finish` at the end, also after an error.
    """

    def __init__(
        self, *, rows: Sequence[Reminder], lease: datetime, now: datetime, result: SweepResult
    ) -> None:
        self.lease = lease
        self.now = now
        self.result = result
        # Claimed rows not yet given an outcome, and the outcomes not yet written, each with
        # the (state, notify_at) it was claimed with.
        self.held: dict[int, Reminder] = {row.pk: row for row in rows}
        self.claimed_as = {row.pk: (row.state, row.notify_at) for row in rows}
        self.outcomes: dict[int, Reminder] = {}
        # Rows to let go of without writing anything else (the user changed them).
        self.releases: set[int] = set()
        self.sent_since_checkpoint = 0
        # The rows as last read from the database, and when (monotonic seconds).
        self._current: dict[int, tuple] = {}
        self._read_at = float("-inf")
        self.delivered = False
        self.paused = False
        self._connection = None

    # --- before a send ------------------------------------------------------------------

    def _lease_running_short(self) -> bool:
        # Renew while at least two thirds of the lease are left: a send that starts now has
        # that long to finish before anyone else may take the rows.
        return timezone.now() + lease_length() * 2 / 3 > self.lease

    def still_ours(self, rows: Sequence[Reminder]) -> list[Reminder]:
        """The rows of one email that may still be sent, as read at most RECHECK_WITHIN ago.

        One query reads every row the batch still holds, and is repeated before any send
        that comes later than RECHECK_WITHIN after it: with a slow mail service that is
        before every send, with a fast one a few times a second instead of one round trip
        per email (which cost more than rendering it).
        """
        if self._lease_running_short():
            self.checkpoint(renew=True)
        if time.monotonic() - self._read_at > RECHECK_WITHIN.total_seconds() or any(
            row.pk not in self._current for row in rows if row.pk in self.held
        ):
            self._current = _current_state(list(self.held))
            self._read_at = time.monotonic()
        current = self._current
        usable = []
        for row in rows:
            if row.pk not in self.held:
                continue
            state, notify_at, lease_until, active, verified_at, stage = current.get(
                row.pk, (None,) * 6
            )
            if lease_until != self.lease or (state, notify_at) != self.claimed_as[row.pk]:
                # The user acted on it, or (after a lost lease) another sweep holds it. Only
                # our lease is let go; what the user did stays as it is.
                del self.held[row.pk]
                self.releases.add(row.pk)
                self.result.released += 1
            elif not active or verified_at is None or stage == Application.Stage.CLOSED:
                self._outcome(row, lease_until=None)
                self.result.released += 1
            else:
                usable.append(row)
        return usable

    # --- sending ------------------------------------------------------------------------

    def _open_connection(self):
        if self._connection is None:
            connection = get_connection()
            # Opened here, a backend keeps its connection across send_messages() calls.
            connection.open()
            self._connection = connection
        return self._connection

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # a broken connection may fail to close; it is dropped anyway
                logger.debug("Closing a failed mail connection failed", exc_info=True)

    def send(
        self,
        rows: Sequence[Reminder],
        render: Callable[[], EmailMultiAlternatives],
        *,
        nudge: bool = False,
    ) -> bool:
        """Render and send one email about ``rows`` and note each row's outcome; says whether
        the email went out. Never raises for one email's trouble."""
        try:
            rows = self.still_ours(rows)
            if not rows:
                return False
            quiet_end = quiet_until(rows[0].user, self.now)
            if quiet_end is not None:
                # Checked again at send time: the user may have changed their quiet hours.
                for row in rows:
                    self._outcome(row, notify_at=quiet_end, lease_until=None)
                self.result.deferred += len(rows)
                return False
            try:
                message = render()
            except Exception as error:
                # A render error is a bug or bad data in this row: retrying cannot fix it.
                logger.exception("Could not render the email for reminders %s", _pks(rows))
                self._failed(rows, error, kind=MailErrorKind.PERMANENT)
                return False
            try:
                self._open_connection().send_messages([message])
            except Exception as error:
                self._drop_connection()  # its state is unknown; the next email opens another
                self._failed(rows, error, kind=classify(error))
                return False
            self._sent(rows, nudge=nudge)
            return True
        except Exception as error:
            # Never let one email stop the batch; record it so it cannot crash-loop.
            logger.exception("Reminders %s could not be processed", _pks(rows))
            self._failed(
                [r for r in rows if r.pk in self.held], error, kind=MailErrorKind.PERMANENT
            )
            return False

    def _sent(self, rows: Sequence[Reminder], *, nudge: bool) -> None:
        for row in rows:
            next_notify = None
            if (
                not nudge
                and row.nudge_at is not None
                and row.nudge_at > self.now + notify_times.NUDGE_MIN_SPACING
            ):
                next_notify = row.nudge_at
            self._outcome(
                row,
                state=Reminder.State.NOTIFIED,
                notified_at=self.now,
                notify_at=next_notify,
                attempts=0,
                last_error="",
                lease_until=None,
            )
        self.result.emails += 1
        self.result.sent += len(rows)
        self.delivered = True
        self.sent_since_checkpoint += 1
        if self.sent_since_checkpoint >= CHECKPOINT_SENDS:
            self.checkpoint()

    def _failed(self, rows: Sequence[Reminder], error: BaseException, *, kind: str) -> None:
        reason = describe(error)
        if kind == MailErrorKind.CONFIGURATION:
            # Nothing goes out for anyone until the settings are fixed: no attempt is
            # counted against these rows, they stay due, and the batch stops.
            mail_pause(reason=reason, now=self.now)
            for row in rows:
                self._outcome(row, last_error=reason, lease_until=None)
            self.result.released += len(rows)
            self.paused = True
            return
        logger.warning("Sending reminders %s failed (%s): %s", _pks(rows), kind, error)
        for row in rows:
            attempts = row.attempts + 1
            if kind == MailErrorKind.TEMPORARY and attempts < MAX_ATTEMPTS:
                self._outcome(
                    row,
                    notify_at=self.now + backoff(attempts=attempts),
                    attempts=attempts,
                    last_error=reason,
                    lease_until=None,
                )
                self.result.retried += 1
                continue
            final = reason
            if kind == MailErrorKind.TEMPORARY:
                final = f"Gave up after {attempts} attempts. Last error: {reason}"
            self._outcome(
                row,
                state=Reminder.State.FAILED,
                notify_at=None,
                attempts=attempts,
                last_error=final,
                lease_until=None,
            )
            self.result.failed += 1

    def _outcome(self, row: Reminder, **fields: object) -> None:
        """Note what to write for ``row`` at the next checkpoint; it leaves the held set."""
        for name, value in fields.items():
            setattr(row, name, value)
        row.updated_at = self.now
        self.held.pop(row.pk, None)
        self.outcomes[row.pk] = row

    # --- recording ----------------------------------------------------------------------

    def checkpoint(self, *, renew: bool = False) -> None:
        """Write the outcomes noted so far; with ``renew``, extend the lease of held rows.

        1. Lock the rows by primary key (the outcomes', and the held ones' when renewing).
        2. Keep those still as claimed: our lease, and the state and notify time we claimed.
           A row whose lease another sweep took is left to it, with a warning.
        3. One bulk UPDATE for the outcomes; one UPDATE for the renewed lease.
        """
        if not self.outcomes and not self.releases and not (renew and self.held):
            return
        pks = [*self.outcomes, *self.releases, *(self.held if renew else ())]
        with transaction.atomic():
            _commit_without_waiting_for_disk()
            current = {
                pk: (state, notify_at, lease_until)
                for pk, state, notify_at, lease_until in Reminder.objects.select_for_update()
                .filter(pk__in=pks)
                .values_list("pk", "state", "notify_at", "lease_until")
            }
            writes = []
            for pk, row in self.outcomes.items():
                now_is = current.get(pk)
                if now_is is not None and now_is == (*self.claimed_as[pk], self.lease):
                    writes.append(row)
                elif now_is is not None and now_is[2] != self.lease:
                    logger.warning("Reminder %s: our claim ran out before it was recorded", pk)
            # Most outcomes share their values (sent: notified now, nothing more to send), so
            # one UPDATE ... WHERE id IN (...) per set of values writes them all.
            by_values: dict[tuple, list[int]] = {}
            for row in writes:
                values = tuple(getattr(row, name) for name in RECORD_FIELDS)
                by_values.setdefault(values, []).append(row.pk)
            for values, ids in by_values.items():
                Reminder.objects.filter(pk__in=ids).update(
                    **dict(zip(RECORD_FIELDS, values, strict=True))
                )
            released = [pk for pk in self.releases if current.get(pk, (None,) * 3)[2] == self.lease]
            if released:
                Reminder.objects.filter(pk__in=released).update(lease_until=None)
            if renew:
                lease = timezone.now() + lease_length()
                keep = [pk for pk in self.held if current.get(pk, (None,) * 3)[2] == self.lease]
                Reminder.objects.filter(pk__in=keep).update(lease_until=lease)
                self.held = {pk: self.held[pk] for pk in keep}
                self.lease = lease
                self._read_at = float("-inf")  # the leases just read are no longer ours
        self.outcomes.clear()
        self.releases.clear()
        self.sent_since_checkpoint = 0

    def finish(self) -> None:
        """Write what is left and let go of the rows not sent (sending paused, or an error)."""
        try:
            for row in list(self.held.values()):
                if self.paused:
                    self.result.released += 1
                self._outcome(row, lease_until=None)
            self.checkpoint()
        finally:
            self._drop_connection()


def _commit_without_waiting_for_disk() -> None:
    """On PostgreSQL, let this transaction's COMMIT return before its WAL reaches the disk.

    A checkpoint is a commit every few emails; waiting for the disk made it the slowest
    step. The risk is the database server crashing within a fraction of a second after the
    commit (``wal_writer_delay``, 200 ms by default, times three): the checkpoint is lost and
    those rows are sent again, exactly as after a worker crash. At-least-once still holds.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _current_state(pks: list[int]) -> dict[int, tuple]:
    """Each row's claim columns and whether it may be mailed, by primary key.

    Raw SQL: this runs before every email, and building it through the ORM cost more than
    the query itself. On PostgreSQL it is a prepared statement (``= ANY(%s)``, one text for
    any number of ids), because planning it took longer than running it. The
    parameters are bound; the names come from the models.
    """
    if not pks:
        return {}
    reminders, users = Reminder._meta.db_table, User._meta.db_table
    applications = Application._meta.db_table
    select = (
        f"SELECT r.id, r.state, r.notify_at, r.lease_until, u.is_active, "  # noqa: S608
        f"u.email_verified_at, a.stage FROM {reminders} r "
        f"JOIN {users} u ON u.id = r.user_id "
        f"LEFT JOIN {applications} a ON a.id = r.application_id "
    )
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        # Django's cursors bind on the client, which leaves nothing to prepare.
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(select + "WHERE r.id = ANY(%s::bigint[])", [pks], prepare=True)
            rows = cursor.fetchall()
    else:
        with connection.cursor() as cursor:
            cursor.execute(select + f"WHERE r.id IN ({', '.join(['%s'] * len(pks))})", pks)
            rows = cursor.fetchall()
    result = {}
    for pk, state, notify_at, lease_until, active, verified_at, stage in rows:
        result[pk] = (
            state,
            _as_datetime(notify_at),
            _as_datetime(lease_until),
            bool(active),
            _as_datetime(verified_at),
            stage,
        )
    return result


def _as_datetime(value):
    """SQLite hands back naive UTC (or text); PostgreSQL an aware datetime. Compare like
    with like."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def _pks(rows: Sequence[Reminder]) -> list[int]:
    return [row.pk for row in rows]


def deliver(
    render: Callable[[], EmailMultiAlternatives],
    rows: Sequence[Reminder],
    *,
    lease: datetime,
    now: datetime,
    result: SweepResult,
    nudge: bool = False,
) -> bool:
    """Send one email about ``rows`` as a batch of its own (the digest); says whether it
    went out."""
    batch = BatchSender(rows=rows, lease=lease, now=now, result=result)
    try:
        return batch.send(rows, render, nudge=nudge)
    finally:
        batch.finish()
