"""What the planner reads and what it answers, as plain values (no database, no Django).

``reminders.services.plan_apply`` fills these from the rows of one application and the
user's settings; ``reminders.planner`` turns them into ``Planned`` tasks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from followup_site.clock import QuietHours
from outreach.cadence import Cadence

if TYPE_CHECKING:
    from accounts.models import User

DEFAULT_QUIET = QuietHours(start=time(21, 0), end=time(8, 0))


@dataclass(frozen=True)
class Preferences:
    """The reminder preferences of one user (accounts.User fields), as plain values."""

    zone: ZoneInfo
    country: str = "US"
    digest: bool = False
    thank_you_notify_delay: timedelta = timedelta(minutes=60)
    quiet: QuietHours = DEFAULT_QUIET
    digest_hour: int = 8
    call_after_business_days: int = 3
    checkin_interval_days: int = 30
    cadence: Cadence = field(default_factory=Cadence)

    @classmethod
    def of(cls, user: User) -> Preferences:
        return cls(
            zone=user.zone,
            country=user.country,
            digest=user.notification_mode == "digest",
            thank_you_notify_delay=timedelta(minutes=user.thank_you_notify_delay_minutes),
            quiet=QuietHours(start=user.quiet_hours_start, end=user.quiet_hours_end),
            digest_hour=user.digest_hour,
            call_after_business_days=user.call_after_business_days,
            checkin_interval_days=user.checkin_interval_days,
            cadence=Cadence.of(user),
        )


@dataclass(frozen=True)
class Person:
    """Someone at the company (an interviewers.Contact), by id."""

    id: int


@dataclass(frozen=True)
class InterviewFacts:
    id: int
    ends_at: datetime
    interviewers: tuple[Person, ...] = ()


@dataclass(frozen=True)
class FollowUpWish:
    """A note of kind follow_up: "follow up with <contact>, not before <not_before>"."""

    contact: Person | None
    not_before: date | None
    noted_at: datetime


@dataclass(frozen=True)
class OutreachFacts:
    id: int
    outgoing: bool
    channel: str
    occurred_at: datetime
    contact_id: int | None = None
    # What it was for (outreach.models.Outreach.Purpose): "thank_you", "follow_up", ...
    purpose: str = "other"
    # Whether it asked them something (a question, or no text known): silence can mean a call.
    asked: bool = True


@dataclass(frozen=True)
class ApplicationFacts:
    id: int
    is_open: bool = True
    interviews: Sequence[InterviewFacts] = ()
    outreaches: Sequence[OutreachFacts] = ()
    wishes: Sequence[FollowUpWish] = ()
    check_ins_done_at: Sequence[datetime] = ()
    # The open outreach tasks to each person in the user's other applications, as
    # (due_at, application id): one person is written to once per gap, not once per
    # application (R7).
    pending_by_person: Mapping[int, Sequence[tuple[datetime, int]]] = field(default_factory=dict)
    # Outreaches to and from this application's people about the user's other applications:
    # the minimum gap and a person's silence are the person's, whichever application each
    # message was about (R7).
    other_outreaches: Sequence[OutreachFacts] = ()


@dataclass(frozen=True)
class Planned:
    """One reminder the rules say should exist, keyed by ``occurrence``."""

    kind: str
    occurrence: str
    due_at: datetime
    notify_at: datetime
    nudge_at: datetime | None = None
    interview_id: int | None = None
    contact_id: int | None = None
    trigger_outreach_id: int | None = None
