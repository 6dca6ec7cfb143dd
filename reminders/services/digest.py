"""The daily digest: one email a day with the tasks due, for users who asked for it.

Beat runs :func:`digest_run` every minute; it sends to the users whose digest hour it is,
claiming and recording their rows like the sweep does (``reminders.services.sweep``).
A user gets at most one digest a local day: a task snoozed into the digest window waits for
the next day's digest instead of sending a second one.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from followup_site.clock import QuietHours, at_local_time
from reminders import notify_times, planner
from reminders.emails import digest_email
from reminders.models import Heartbeat, Reminder
from reminders.services.mail_pause import mail_paused
from reminders.services.sweep import (
    SweepResult,
    claimed_rows,
    due_q,
    mailable_q,
    reminders_claim,
)
from reminders.services.sweep_batch import deliver

logger = logging.getLogger(__name__)

# A user's digest goes out during this window after their digest hour.
DIGEST_WINDOW = timedelta(hours=1)


def _sent_mark(user_id: int) -> str:
    # The time of the user's last digest, kept in the heartbeat table under this name.
    return f"digest:{user_id}"


def digest_mark_delete(*, user: User) -> None:
    """The mark names the user by id without a foreign key: it goes with the account."""
    Heartbeat.objects.filter(name=_sent_mark(user.pk)).delete()


def digest_sent_today(*, user_id: int, zone: ZoneInfo, now: datetime) -> bool:
    last = Heartbeat.objects.filter(name=_sent_mark(user_id)).values_list("at", flat=True).first()
    return last is not None and last.astimezone(zone).date() == now.astimezone(zone).date()


def digest_due_now(*, zone: ZoneInfo, digest_hour: int, quiet: QuietHours, now: datetime) -> bool:
    """Whether ``now`` is in the user's digest window today (the digest hour, out of quiet)."""
    prefs = planner.Preferences(zone=zone, digest=True, digest_hour=digest_hour, quiet=quiet)
    local_day = now.astimezone(zone).date()
    moment = notify_times.digest_time(
        after=at_local_time(day=local_day, at=datetime.min.time(), zone=zone), prefs=prefs
    )
    return moment <= now < moment + DIGEST_WINDOW


def digest_run(*, now: datetime | None = None, limit_per_user: int = 200) -> SweepResult:
    """Send one digest email to each digest user whose digest hour it is and who has tasks due.

    Their due rows are claimed like the sweep's, listed in one email, and recorded together.
    Only users who can get mail (active, address verified) are considered. While sending is
    paused nothing is tried: the sweep's probe lifts the pause, and the rows wait meanwhile.
    """
    now = now or timezone.now()
    result = SweepResult()
    if mail_paused() is not None:
        return result
    candidates = (
        Reminder.objects.filter(
            due_q(now),
            mailable_q(),
            user__notification_mode=User.NotificationMode.DIGEST,
        )
        .exclude(kind=Reminder.Kind.THANK_YOU)
        .values_list(
            "user_id",
            "user__timezone",
            "user__digest_hour",
            "user__quiet_hours_start",
            "user__quiet_hours_end",
        )
        .distinct()
    )
    for user_id, zone_name, hour, quiet_start, quiet_end in candidates:
        quiet = QuietHours(start=quiet_start, end=quiet_end)
        zone = ZoneInfo(zone_name)
        if not digest_due_now(zone=zone, digest_hour=hour, quiet=quiet, now=now):
            continue
        if digest_sent_today(user_id=user_id, zone=zone, now=now):
            continue
        try:
            pks, lease = reminders_claim(now=now, limit=limit_per_user, digest_user_id=user_id)
            if not pks:
                continue
            result.claimed += len(pks)
            rows = claimed_rows(pks, lease)
            if rows:
                user = rows[0].user
                sent = deliver(
                    partial(digest_email, user=user, reminders=rows),
                    rows,
                    lease=lease,
                    now=now,
                    result=result,
                )
                if sent:
                    Heartbeat.objects.update_or_create(
                        name=_sent_mark(user_id), defaults={"at": now}
                    )
                elif mail_paused() is not None:
                    break  # the mail settings are broken: the sweep's probe finds out when fixed
        except Exception:
            # One user's digest must not stop everyone else's; their lease runs out.
            logger.exception("The digest for user %s could not be processed", user_id)
    return result
