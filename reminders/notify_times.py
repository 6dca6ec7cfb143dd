"""When to email the user about a task: out of quiet hours, on the digest hour, and a
thank-you's first email, deadline and nudge. Pure functions; the planner dates tasks with
them, the pages say when an email goes out, the digest finds its hour.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from followup_site.clock import next_local_hour, quiet_hours_end_after, quiet_hours_start_before
from outreach.cadence import THANK_YOU_WITHIN
from reminders.facts import Preferences

# The nudge comes this long before the thank-you deadline, if the task is still open.
THANK_YOU_NUDGE_BEFORE = timedelta(hours=3)
# A nudge closer than this to the first notification would only repeat it: the planner
# drops such a nudge, and the sweep drops it when the first email went out late.
NUDGE_MIN_SPACING = timedelta(hours=2)


def notify_time(*, wanted: datetime, prefs: Preferences) -> datetime:
    """When to email about a task (not a thank-you): out of quiet hours, on the digest hour."""
    instant = quiet_hours_end_after(instant=wanted, quiet=prefs.quiet, zone=prefs.zone)
    if prefs.digest:
        instant = digest_time(after=instant, prefs=prefs)
    return instant


def digest_time(*, after: datetime, prefs: Preferences) -> datetime:
    """The first daily digest at or after ``after``: the digest hour, out of quiet hours."""
    moment = next_local_hour(instant=after, hour=prefs.digest_hour, zone=prefs.zone)
    return quiet_hours_end_after(instant=moment, quiet=prefs.quiet, zone=prefs.zone)


def thank_you_times(
    *, ends_at: datetime, prefs: Preferences
) -> tuple[datetime, datetime, datetime | None]:
    """(due_at, notify_at, nudge_at) of a thank-you for an interview ending at ``ends_at``.

    1. The deadline is 24 real hours after the end (not "the same time tomorrow": across a
       DST change those differ by an hour, and the design says 24 h).
    2. The first notification comes the user's delay after the end, moved out of quiet
       hours, but never later than the deadline.
    3. The nudge comes a few hours before the deadline, moved before quiet hours if it falls
       in them; dropped if it would come too soon after the first notification.
    """
    due_at = (ends_at + THANK_YOU_WITHIN).astimezone(UTC)
    notify_at = quiet_hours_end_after(
        instant=ends_at + prefs.thank_you_notify_delay, quiet=prefs.quiet, zone=prefs.zone
    )
    notify_at = min(notify_at, due_at)
    nudge_at: datetime | None = quiet_hours_start_before(
        instant=due_at - THANK_YOU_NUDGE_BEFORE, quiet=prefs.quiet, zone=prefs.zone
    )
    if nudge_at is not None and nudge_at < notify_at + NUDGE_MIN_SPACING:
        nudge_at = None
    return due_at, notify_at, nudge_at
