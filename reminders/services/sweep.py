"""The sweep: find reminders whose notification is due, email the user, record the outcome.

The database is the only record of what is due (DESIGN section 5). Beat runs
:func:`sweep_run` every minute, and ``reminders.services.digest.digest_run`` for users who
asked for one daily email. Both follow the same steps:

1. Claim a batch of due rows in a short transaction by setting ``lease_until``; the claim
   skips rows another sweep holds (``skip_locked`` on PostgreSQL; SQLite has one writer, so
   its IMMEDIATE transaction serialises the claims) and rows whose lease is still running.
2. Send each email outside that transaction, so a slow ESP never holds a lock. The tasks of
   one application due at the same moment (a panel's thank-yous) share one email.
3. Record the outcome with an UPDATE that only applies if the row is still as claimed
   (same lease, state and notify time): a task the user completed or snoozed meanwhile
   keeps what the user did.

A crash between 1 and 3 leaves the lease to run out; the row is then claimed and sent
again: email to the user is at-least-once. Transient ESP errors move ``notify_at`` forward
with exponential backoff; permanent ones mark the row FAILED with the reason, which the
task list shows. One bad row is recorded and the batch goes on.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from anymail.exceptions import (
    AnymailAPIError,
    AnymailError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
)
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from followup_site.clock import (
    QuietHours,
    in_quiet_hours,
    quiet_hours_end_after,
)
from interviews.models import Note
from reminders import notify_times
from reminders.emails import group_email, notes_by_application, reminder_email
from reminders.models import Reminder

logger = logging.getLogger(__name__)

# A claim is owned this long; a sweep that crashed lets go when it runs out.
LEASE = timedelta(minutes=10)
BATCH_SIZE = 100
MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=2)

DUE_STATES = (Reminder.State.PENDING, Reminder.State.NOTIFIED, Reminder.State.SNOOZED)

TRANSIENT = "transient"
PERMANENT = "permanent"


@dataclass
class SweepResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    emails: int = 0

    def add(self, other: SweepResult) -> None:
        for name in ("claimed", "sent", "retried", "failed", "deferred", "emails"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def due_q(now: datetime) -> Q:
    return Q(state__in=DUE_STATES, notify_at__lte=now) & (
        Q(lease_until__isnull=True) | Q(lease_until__lte=now)
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
    user's rows other than thank-yous. Rows of deactivated accounts are never claimed: they
    stay as they are, and go out if the account is reactivated.
    """
    due = Reminder.objects.filter(due_q(now), user__is_active=True)
    if digest_user_id is None:
        due = due.filter(_immediate())
    else:
        due = due.filter(user_id=digest_user_id).exclude(kind=Reminder.Kind.THANK_YOU)
    lease = now + LEASE
    with transaction.atomic():
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
        # Re-check "due" in the UPDATE itself: act only on the rows this claim took.
        Reminder.objects.filter(due_q(now), pk__in=ids).update(lease_until=lease)
        taken = list(
            Reminder.objects.filter(pk__in=ids, lease_until=lease).values_list("pk", flat=True)
        )
    return taken, lease


def delivery_error_kind(error: BaseException) -> str:
    """TRANSIENT if sending again later may work, PERMANENT if it never will."""
    if isinstance(error, AnymailRecipientsRefused | AnymailInvalidAddress):
        return PERMANENT
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        if status is None or status >= 500 or status in (408, 429):
            return TRANSIENT
        return PERMANENT
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return PERMANENT
    if isinstance(error, smtplib.SMTPResponseException):
        return TRANSIENT if 400 <= error.smtp_code < 500 else PERMANENT
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError):
        return TRANSIENT
    if isinstance(error, AnymailError):
        return PERMANENT
    return PERMANENT


def backoff(*, attempts: int) -> timedelta:
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _describe(error: BaseException) -> str:
    text = str(error).strip() or error.__class__.__name__
    return f"{error.__class__.__name__}: {text}"[:2000]


def claimed_rows(pks: Sequence[int], lease: datetime) -> list[Reminder]:
    return list(
        Reminder.objects.filter(pk__in=pks, lease_until=lease, state__in=DUE_STATES)
        .select_related("user", "application__company", "contact", "interview", "trigger_outreach")
        .order_by("notify_at", "pk")
    )


def _as_claimed(reminder: Reminder, lease: datetime):
    """The rows still exactly as we claimed them: the user may have acted meanwhile."""
    return Reminder.objects.filter(
        pk=reminder.pk,
        lease_until=lease,
        state=reminder.state,
        notify_at=reminder.notify_at,
    )


def _record_sent(reminder: Reminder, *, lease: datetime, now: datetime, nudge: bool) -> None:
    next_notify = None
    if (
        not nudge
        and reminder.nudge_at is not None
        and reminder.nudge_at > now + notify_times.NUDGE_MIN_SPACING
    ):
        next_notify = reminder.nudge_at
    _as_claimed(reminder, lease).update(
        state=Reminder.State.NOTIFIED,
        notified_at=now,
        notify_at=next_notify,
        attempts=0,
        last_error="",
        lease_until=None,
        updated_at=now,
    )


def _record_error(
    reminder: Reminder, *, lease: datetime, now: datetime, error: BaseException, kind: str
) -> str:
    """Retry later or give up; returns "retried" or "failed"."""
    attempts = reminder.attempts + 1
    if kind == TRANSIENT and attempts < MAX_ATTEMPTS:
        _as_claimed(reminder, lease).update(
            notify_at=now + backoff(attempts=attempts),
            attempts=attempts,
            last_error=_describe(error),
            lease_until=None,
            updated_at=now,
        )
        return "retried"
    reason = _describe(error)
    if kind == TRANSIENT:
        reason = f"Gave up after {attempts} attempts. Last error: {reason}"
    _as_claimed(reminder, lease).update(
        state=Reminder.State.FAILED,
        notify_at=None,
        attempts=attempts,
        last_error=reason,
        lease_until=None,
        updated_at=now,
    )
    return "failed"


def _defer(reminder: Reminder, *, lease: datetime, until: datetime, now: datetime) -> None:
    _as_claimed(reminder, lease).update(notify_at=until, lease_until=None, updated_at=now)


def _is_nudge(reminder: Reminder) -> bool:
    return (
        reminder.state == Reminder.State.NOTIFIED
        and reminder.nudge_at is not None
        and reminder.notify_at == reminder.nudge_at
    )


def _quiet_until(user: User, now: datetime) -> datetime | None:
    """The end of the user's quiet hours if ``now`` is inside them, else None."""
    quiet = QuietHours(start=user.quiet_hours_start, end=user.quiet_hours_end)
    if in_quiet_hours(instant=now, quiet=quiet, zone=user.zone):
        return quiet_hours_end_after(instant=now, quiet=quiet, zone=user.zone)
    return None


def deliver(
    render: Callable[[], EmailMultiAlternatives],
    rows: Sequence[Reminder],
    *,
    lease: datetime,
    now: datetime,
    result: SweepResult,
    nudge: bool = False,
) -> bool:
    """Render and send one email about ``rows``, record the outcome on each row, and say
    whether the email went out."""
    try:
        message = render()
    except Exception as error:
        # A render error is a bug or bad data in this row: retrying cannot fix it.
        logger.exception("Could not render the email for reminders %s", [r.pk for r in rows])
        for row in rows:
            _record_error(row, lease=lease, now=now, error=error, kind=PERMANENT)
        result.failed += len(rows)
        return False
    try:
        message.send()
    except Exception as error:
        kind = delivery_error_kind(error)
        logger.warning("Sending reminders %s failed (%s): %s", [r.pk for r in rows], kind, error)
        for row in rows:
            outcome = _record_error(row, lease=lease, now=now, error=error, kind=kind)
            setattr(result, outcome, getattr(result, outcome) + 1)
        return False
    result.emails += 1
    for row in rows:
        _record_sent(row, lease=lease, now=now, nudge=nudge)
    result.sent += len(rows)
    return True


def _moments(rows: Sequence[Reminder]) -> list[list[Reminder]]:
    """The batch's rows grouped into one email each: the tasks of one application due at the
    same moment (a panel's thank-yous, or their nudges) share one email (R7)."""
    groups: dict[tuple, list[Reminder]] = {}
    for row in rows:
        if row.application_id is None:
            key: tuple = ("task", row.pk)
        else:
            key = (row.user_id, row.application_id, row.notify_at, _is_nudge(row))
        groups.setdefault(key, []).append(row)
    return list(groups.values())


def _send_moment(
    rows: list[Reminder],
    *,
    lease: datetime,
    now: datetime,
    result: SweepResult,
    notes: dict[int, list[Note]],
) -> None:
    first = rows[0]
    quiet_end = _quiet_until(first.user, now)
    if quiet_end is not None:
        # Checked again at send time: the user may have changed their quiet hours.
        for row in rows:
            _defer(row, lease=lease, until=quiet_end, now=now)
        result.deferred += len(rows)
        return
    nudge = _is_nudge(first)
    application_notes = notes.get(first.application_id)
    if len(rows) == 1:
        render = partial(
            reminder_email, reminder=first, nudge=nudge, application_notes=application_notes
        )
    else:
        render = partial(
            group_email, reminders=rows, nudge=nudge, application_notes=application_notes
        )
    deliver(render, rows, lease=lease, now=now, result=result, nudge=nudge)


def sweep_run(
    *, now: datetime | None = None, batch_size: int = BATCH_SIZE, max_batches: int | None = None
) -> SweepResult:
    """Send every due notification of users who get them one by one (and every thank-you).

    Loops over batches until nothing due is left: each processed row leaves the due set
    (sent, deferred, retried later or failed), and a row someone else holds is skipped.
    """
    result = SweepResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        tick = now or timezone.now()
        pks, lease = reminders_claim(now=tick, limit=batch_size)
        if not pks:
            break
        batches += 1
        result.claimed += len(pks)
        rows = claimed_rows(pks, lease)
        # One query for the notes of the whole batch, not one per email.
        notes = notes_by_application(reminders=rows)
        for moment in _moments(rows):
            try:
                _send_moment(moment, lease=lease, now=tick, result=result, notes=notes)
            except Exception as error:
                # Never let one email stop the batch; record it so it cannot crash-loop.
                logger.exception("Reminders %s could not be processed", [r.pk for r in moment])
                for reminder in moment:
                    _record_error(reminder, lease=lease, now=tick, error=error, kind=PERMANENT)
                result.failed += len(moment)
    return result
