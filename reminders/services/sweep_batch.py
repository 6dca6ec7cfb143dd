"""Sending one claimed batch: re-check before each send, record outcomes at checkpoints.

The sweep (``reminders.services.sweep``) claims a batch and hands it here. Why the batch is
written this way:

- Recording each row with its own UPDATE cost more than rendering and sending together
  (each a commit, about 1 ms on PostgreSQL). Outcomes are kept in memory and written at a
  checkpoint with one UPDATE for all of them, each row with its own values.
- A checkpoint happens every ``CHECKPOINT_SENDS`` emails, so a crash repeats at most that
  many; and before the lease could run short, so a slow mail service never lets another
  worker take over rows this one is still sending (the checkpoint renews their lease).
- Every write goes by primary key, and only to rows still exactly as claimed (the same
  lease, state and notify time), checked on the locked row by the UPDATE itself. A task the
  user completed or snoozed meanwhile keeps what the user did.
- Before each send the rows are as read at most ``RECHECK_WITHIN`` earlier (one query for
  the whole batch, repeated as needed): a task no longer due, a closed application, a
  deactivated or unverified account sends nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import partial

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection
from django.utils import timezone

from accounts.models import User
from followup_site.raw_sql import utc_moment
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

        1. One UPDATE writes every outcome, each row with its own values, and only where the
           row is still exactly as claimed: our lease, and the state and notify time we
           claimed (a task the user completed or snoozed meanwhile keeps what the user did).
        2. One UPDATE lets go of the released rows, and with ``renew`` one more extends the
           lease of the held ones, both only where the lease is still ours.
        3. Only when an outcome was not written does a SELECT say why: a lease another sweep
           took is logged.
        Each UPDATE goes by primary key and locks just its rows; the conditions are re-checked
        on the locked row, so a concurrent change by the user is never overwritten.
        """
        if not self.outcomes and not self.releases and not (renew and self.held):
            return
        # Each statement stands alone (autocommit): a crash between them leaves a lease
        # unrenewed or unreleased, which only lets the rows be taken over sooner.
        if self.outcomes:
            written = _write_outcomes(
                list(self.outcomes.values()), claimed_as=self.claimed_as, lease=self.lease
            )
            lost = [pk for pk in self.outcomes if pk not in written]
            if lost:
                _warn_about_lost_leases(lost, lease=self.lease)
        if self.releases:
            _set_lease(list(self.releases), lease=self.lease, to=None)
        if renew and self.held:
            lease = timezone.now() + lease_length()
            keep = _set_lease(list(self.held), lease=self.lease, to=lease)
            self.held = {pk: row for pk, row in self.held.items() if pk in keep}
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


@contextmanager
def commits_without_waiting_for_disk() -> Iterator[None]:
    """On PostgreSQL, let the sweep's commits return before their WAL reaches the disk.

    A checkpoint is a commit every few emails; waiting for the disk made it the slowest
    step. The risk is the database server crashing within a fraction of a second after a
    commit (``wal_writer_delay``, 200 ms by default, times three): that checkpoint is lost
    and its rows are sent again, exactly as after a worker crash. At-least-once still holds.
    Set for the session rather than per transaction so that a checkpoint is one statement in
    autocommit, one round trip; reset afterwards, so the worker's other tasks (a user's own
    send of a follow-up, say) keep durable commits.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:
            # A broken connection is discarded with its settings; the original error, if
            # any, is the one worth seeing.
            logger.debug("Could not reset synchronous_commit", exc_info=True)


# The columns an outcome writes, with their PostgreSQL types for the unnest() arrays.
_OUTCOME_COLUMNS = {
    "state": "varchar",
    "notify_at": "timestamptz",
    "notified_at": "timestamptz",
    "attempts": "smallint",
    "last_error": "text",
    "lease_until": "timestamptz",
    "updated_at": "timestamptz",
}


def _write_outcomes(
    rows: Sequence[Reminder], *, claimed_as: dict[int, tuple], lease: datetime
) -> set[int]:
    """Write each row's outcome where the row is still as claimed; returns the ids written."""
    return _returned_ids(*outcomes_update(rows, claimed_as=claimed_as, lease=lease))


def _set_lease(pks: list[int], *, lease: datetime, to: datetime | None) -> set[int]:
    """Move the lease of ``pks`` from ``lease`` to ``to`` where it is still ``lease``;
    returns the ids changed."""
    return _returned_ids(*lease_update(pks, lease=lease, to=to))


def outcomes_update(
    rows: Sequence[Reminder], *, claimed_as: dict[int, tuple], lease: datetime
) -> tuple[str, list]:
    """One UPDATE for all ``rows``, each with its own values, where still as claimed.

    Raw SQL because the ORM writes one set of values per UPDATE, and a checkpoint's rows
    differ (each keeps its own next notify time or error). On PostgreSQL the values travel
    as one array per column through unnest(), so the statement has one text for any number
    of rows and is prepared once; SQLite (3.35 or later, for UPDATE ... FROM and RETURNING)
    gets a VALUES list. Either way the rows are found by primary key alone
    (tests/reminders/test_delivery_failures.py checks the plans on fresh rows).
    """
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(Reminder._meta.db_table)
    names = ["id", "claimed_state", "claimed_notify_at", *_OUTCOME_COLUMNS]
    columns = [
        [row.pk for row in rows],
        [claimed_as[row.pk][0] for row in rows],
        [adapt(claimed_as[row.pk][1]) for row in rows],
    ]
    for name, kind in _OUTCOME_COLUMNS.items():
        values = [getattr(row, name) for row in rows]
        columns.append([adapt(value) for value in values] if kind == "timestamptz" else values)
    assignments = ", ".join(f"{name} = v.{name}" for name in _OUTCOME_COLUMNS)
    where = (
        "r.id = v.id AND r.lease_until = %s AND r.state = v.claimed_state "
        "AND r.notify_at = v.claimed_notify_at"
    )
    if connection.vendor == "postgresql":
        # As a row compared with IS NOT DISTINCT FROM, which no index serves: with plain
        # equalities the planner on fresh rows looked each row up by (state, notify_at) in
        # the due index, which scans every row due at the same moment.
        where = (
            "r.id = v.id AND (r.lease_until, r.state, r.notify_at) IS NOT DISTINCT FROM "
            "(%s::timestamptz, v.claimed_state, v.claimed_notify_at)"
        )
        types = ["bigint", "varchar", "timestamptz", *_OUTCOME_COLUMNS.values()]
        source = "unnest(" + ", ".join(f"%s::{kind}[]" for kind in types) + ")"
        sql = (
            f"UPDATE {table} AS r SET {assignments} "  # noqa: S608 - names from the model
            f"FROM {source} AS v({', '.join(names)}) WHERE {where} RETURNING r.id"
        )
        return sql, [*columns, adapt(lease)]
    placeholders = "(" + ", ".join(["%s"] * len(names)) + ")"
    source = "VALUES " + ", ".join([placeholders] * len(rows))
    params = [value for row in zip(*columns, strict=True) for value in row]
    # SQLite names VALUES columns column1, column2, ...: rename them in a subquery.
    renamed = ", ".join(f"column{i + 1} AS {name}" for i, name in enumerate(names))
    sql = (
        f"UPDATE {table} AS r SET {assignments} "  # noqa: S608 - names from the model
        # SQLite's RETURNING sees only the updated table, by unqualified names.
        f"FROM (SELECT {renamed} FROM ({source})) AS v WHERE {where} RETURNING id"
    )
    return sql, [*params, adapt(lease)]


def lease_update(pks: list[int], *, lease: datetime, to: datetime | None) -> tuple[str, list]:
    """One UPDATE moving the lease of ``pks`` from ``lease`` to ``to``, by primary key."""
    table = connection.ops.quote_name(Reminder._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor == "postgresql":
        sql = (
            f"UPDATE {table} SET lease_until = %s::timestamptz "  # noqa: S608 - model names
            "WHERE id = ANY(%s::bigint[]) AND lease_until = %s RETURNING id"
        )
        return sql, [adapt(to), pks, adapt(lease)]
    marks = ", ".join(["%s"] * len(pks))
    sql = (
        f"UPDATE {table} SET lease_until = %s "  # noqa: S608 - names from the model
        f"WHERE id IN ({marks}) AND lease_until = %s RETURNING id"
    )
    return sql, [adapt(to), *pks, adapt(lease)]


def _returned_ids(sql: str, params: list) -> set[int]:
    if connection.vendor == "postgresql":
        return {pk for (pk,) in _fetch_prepared(sql, params)}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk for (pk,) in cursor.fetchall()}


def _warn_about_lost_leases(pks: list[int], *, lease: datetime) -> None:
    """Outcomes not written: the user acted on the row (nothing to say), or our claim ran
    out and another sweep holds the row (worth a warning: the lease was too short)."""
    for pk, lease_until in Reminder.objects.filter(pk__in=pks).values_list("pk", "lease_until"):
        if lease_until != lease:
            logger.warning("Reminder %s: our claim ran out before it was recorded", pk)


def _fetch_prepared(sql: str, params: list) -> list[tuple]:
    """Run ``sql`` on PostgreSQL as a prepared statement and return its rows.

    Django's cursors bind parameters on the client, which leaves nothing to prepare; these
    statements run several times a second, and planning them cost more than running them.
    The connection's execute wrappers still see each statement (the benchmark counts them).
    """
    import psycopg

    def run(sql: str, params: list, many: bool, context: dict) -> list[tuple]:
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchall()

    connection.ensure_connection()
    execute = run
    for wrapper in reversed(connection.execute_wrappers):
        execute = partial(wrapper, execute)
    return execute(sql, params, False, {"connection": connection, "cursor": None})


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
        rows = _fetch_prepared(select + "WHERE r.id = ANY(%s::bigint[])", [pks])
    else:
        with connection.cursor() as cursor:
            cursor.execute(select + f"WHERE r.id IN ({', '.join(['%s'] * len(pks))})", pks)
            rows = cursor.fetchall()
    result = {}
    for pk, state, notify_at, lease_until, active, verified_at, stage in rows:
        result[pk] = (
            state,
            utc_moment(notify_at),
            utc_moment(lease_until),
            bool(active),
            utc_moment(verified_at),
            stage,
        )
    return result


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
    with commits_without_waiting_for_disk():
        try:
            return batch.send(rows, render, nudge=nudge)
        finally:
            batch.finish()
