"""How often one person may be contacted: the cadence rules, in one place (DESIGN R1, R6, R7).

Pure functions over plain values. The planner (``reminders.planner``) asks them when it dates
a follow-up, a check-in or a "consider closing" task; the send guard and the composer's
checklist (``outreach.selectors``) ask them before a message goes out. So the gap the
checklist shows is the gap the planner waits for.

The unit of cadence is a person: the last outgoing outreach to them counts, whichever of the
user's applications it was about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from followup_site.clock import at_local_time, wall_clock_add

if TYPE_CHECKING:
    from accounts.models import User

# R1: a thank-you is worth most within a day of the interview's end.
THANK_YOU_WITHIN = timedelta(hours=24)
# R6: a "not before <date>" wish is honoured from this local time on that date.
NOT_BEFORE_LOCAL_TIME = time(9, 0)


@dataclass(frozen=True)
class Cadence:
    """One user's cadence settings (accounts.User fields), as plain values."""

    min_gap_days: int = 7
    checkin_min_gap_days: int = 28
    max_unanswered: int = 4

    @classmethod
    def of(cls, user: User) -> Cadence:
        return cls(
            min_gap_days=user.min_gap_days,
            checkin_min_gap_days=user.checkin_min_gap_days,
            max_unanswered=user.max_unanswered_outreaches,
        )

    def gap_days(self, *, check_in: bool) -> int:
        """R7: days to leave after the last outreach to a person before the next one."""
        return self.checkin_min_gap_days if check_in else self.min_gap_days

    def cap_reached(self, *, unanswered: int) -> bool:
        """R7: after this many unanswered outreaches in a row, suggest closing instead."""
        return unanswered >= self.max_unanswered


def not_before_at(*, day: date, zone: ZoneInfo) -> datetime:
    """R6: the moment a "not before ``day``" wish allows contact, in UTC."""
    return at_local_time(day=day, at=NOT_BEFORE_LOCAL_TIME, zone=zone)


def allowed_from(
    *,
    cadence: Cadence,
    zone: ZoneInfo,
    last_outgoing_at: datetime | None,
    check_in: bool,
    not_before: date | None = None,
) -> datetime | None:
    """The earliest moment the next outreach to one person may happen; None: no limit.

    1. R7: the gap after the last outgoing outreach to them, counted on the wall clock of the
       user's zone (so a DST change moves nothing by an hour).
    2. R6: the date they named, if any.
    The later of the two wins.
    """
    moments = []
    if last_outgoing_at is not None:
        days = cadence.gap_days(check_in=check_in)
        moments.append(wall_clock_add(instant=last_outgoing_at, days=days, zone=zone))
    if not_before is not None:
        moments.append(not_before_at(day=not_before, zone=zone))
    return max(moments, default=None)
