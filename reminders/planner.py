"""The follow-up rules of DESIGN section 4 as pure functions: facts in, planned reminders out.

Nothing here touches the database. ``reminders.services.plan_apply`` gathers the facts of one
application, calls :func:`plan_reminders`, and makes the Reminder rows match the plan by their
``occurrence`` key. Keeping the judgment here lets the tests state every rule with plain
values and a frozen clock.

Choices the design leaves open, decided here:

- R1 and R2 are two tasks. The thank-you (R1) is the short note within 24 hours; the first
  follow-up email (R2) comes a week after the latest interview if they have not replied, to
  the person they asked the user to follow up with (R6), not before the date they named.
- A thank-you note does not start the R4 "no reply, then call" clock: nobody expects an
  answer to a thank-you. Every other outgoing email does.
- The R7 minimum gap delays follow-ups and check-ins, not the R4 call: the call is the second
  half of the same attempt, and its timing is R4's own rule. Calls still count toward the gap
  of the next email and toward the unanswered run.
- An interview is contact from their side, like a reply: it resets the check-in clock and
  ends a run of unanswered outreaches.
- Marking a check-in done without logging an outreach still resets the check-in clock,
  otherwise the user would never be asked to check in again.
- The plan holds no words: a task's title is rendered from its kind and contact when it is
  shown (reminders.titles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from followup_site.clock import (
    QuietHours,
    business_days_add,
    next_local_hour,
    quiet_hours_end_after,
    quiet_hours_start_before,
    wall_clock_add,
)
from outreach.cadence import THANK_YOU_WITHIN, Cadence, allowed_from

if TYPE_CHECKING:
    from accounts.models import User

THANK_YOU = "thank_you"
FOLLOW_UP = "follow_up"
PHONE_CALL = "phone_call"
CHECK_IN = "check_in"
CLOSE_SUGGESTION = "close_suggestion"
RULE_KINDS = (THANK_YOU, FOLLOW_UP, PHONE_CALL, CHECK_IN, CLOSE_SUGGESTION)

# The nudge comes this long before the thank-you deadline, if the task is still open.
THANK_YOU_NUDGE_BEFORE = timedelta(hours=3)
# A nudge closer than this to the first notification would only repeat it: the planner
# drops such a nudge, and the sweep drops it when the first email went out late.
NUDGE_MIN_SPACING = timedelta(hours=2)
FOLLOW_UP_AFTER_DAYS = 7
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
    # The kind of the task this outreach carried out, if any ("thank_you", ...).
    reminder_kind: str = ""


@dataclass(frozen=True)
class ApplicationFacts:
    id: int
    is_open: bool = True
    interviews: Sequence[InterviewFacts] = ()
    outreaches: Sequence[OutreachFacts] = ()
    wishes: Sequence[FollowUpWish] = ()
    check_ins_done_at: Sequence[datetime] = ()


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


# --- Notification times ---------------------------------------------------------------------


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


# --- The rules ------------------------------------------------------------------------------


def unanswered_run(*, facts: ApplicationFacts) -> list[OutreachFacts]:
    """Outgoing outreaches since the last sign of life from them (a reply or an interview)."""
    last_heard = max((i.ends_at for i in facts.interviews), default=None)
    run: list[OutreachFacts] = []
    for outreach in sorted(facts.outreaches, key=lambda o: (o.occurred_at, o.id), reverse=True):
        if not outreach.outgoing:
            break
        if last_heard is not None and outreach.occurred_at <= last_heard:
            break
        run.append(outreach)
    run.reverse()
    return run


def last_outgoing_to(*, facts: ApplicationFacts, contact_id: int | None) -> datetime | None:
    if contact_id is None:
        return None
    return max(
        (o.occurred_at for o in facts.outreaches if o.outgoing and o.contact_id == contact_id),
        default=None,
    )


def _latest_wish(facts: ApplicationFacts) -> FollowUpWish | None:
    return max(facts.wishes, key=lambda w: w.noted_at, default=None)


def plan_thank_yous(*, facts: ApplicationFacts, prefs: Preferences) -> list[Planned]:
    """R1: one thank-you per interviewer of each interview."""
    planned = []
    for interview in facts.interviews:
        due_at, notify_at, nudge_at = thank_you_times(ends_at=interview.ends_at, prefs=prefs)
        for person in interview.interviewers:
            planned.append(
                Planned(
                    kind=THANK_YOU,
                    occurrence=f"thank_you:{interview.id}:{person.id}",
                    due_at=due_at,
                    notify_at=notify_at,
                    nudge_at=nudge_at,
                    interview_id=interview.id,
                    contact_id=person.id,
                )
            )
    return planned


def plan_follow_up(*, facts: ApplicationFacts, prefs: Preferences) -> list[Planned]:
    """R2 with R6 and R7: the first follow-up email after the latest interview."""
    if not facts.interviews:
        return []
    latest = max(facts.interviews, key=lambda i: (i.ends_at, i.id))
    if any(not o.outgoing and o.occurred_at > latest.ends_at for o in facts.outreaches):
        return []  # They already answered after the interview: R8.
    wish = _latest_wish(facts)
    person = (wish.contact if wish else None) or (
        latest.interviewers[0] if latest.interviewers else None
    )
    due_at = wall_clock_add(instant=latest.ends_at, days=FOLLOW_UP_AFTER_DAYS, zone=prefs.zone)
    earliest = allowed_from(
        cadence=prefs.cadence,
        zone=prefs.zone,
        last_outgoing_at=last_outgoing_to(facts=facts, contact_id=person.id if person else None),
        check_in=False,
        not_before=wish.not_before if wish is not None else None,
    )
    if earliest is not None:
        due_at = max(due_at, earliest)
    return [
        Planned(
            kind=FOLLOW_UP,
            occurrence=f"follow_up:{latest.id}",
            due_at=due_at,
            notify_at=notify_time(wanted=due_at, prefs=prefs),
            interview_id=latest.id,
            contact_id=person.id if person else None,
        )
    ]


def plan_phone_call(*, facts: ApplicationFacts, prefs: Preferences) -> list[Planned]:
    """R4 and R8: a call when the latest email has had no reply for N business days."""
    emails = [
        o
        for o in facts.outreaches
        if o.outgoing and o.channel == "email" and o.reminder_kind != THANK_YOU
    ]
    if not emails:
        return []
    email = max(emails, key=lambda o: (o.occurred_at, o.id))
    for later in facts.outreaches:
        if later.occurred_at > email.occurred_at and (
            not later.outgoing or later.channel == "call"
        ):
            return []  # A reply came (R8), or the user already called.
    due_at = business_days_add(
        instant=email.occurred_at,
        days=prefs.call_after_business_days,
        zone=prefs.zone,
        country=prefs.country,
    )
    return [
        Planned(
            kind=PHONE_CALL,
            occurrence=f"phone_call:{email.id}",
            due_at=due_at,
            notify_at=notify_time(wanted=due_at, prefs=prefs),
            contact_id=email.contact_id,
            trigger_outreach_id=email.id,
        )
    ]


def last_contact(*, facts: ApplicationFacts) -> datetime | None:
    """The last contact in either direction: an outreach, an interview, a check-in done."""
    moments = [i.ends_at for i in facts.interviews]
    moments += [o.occurred_at for o in facts.outreaches]
    moments += list(facts.check_ins_done_at)
    return max(moments, default=None)


def plan_check_in(*, facts: ApplicationFacts, prefs: Preferences) -> list[Planned]:
    """R5: a check-in N days after the last contact, at the same local time of day.

    The occurrence names the contact it counts from, so a new contact makes a new occurrence
    and the old pending check-in is cancelled: rescheduled, never duplicated.
    """
    since = last_contact(facts=facts)
    if since is None:
        return []
    due_at = wall_clock_add(instant=since, days=prefs.checkin_interval_days, zone=prefs.zone)
    with_contact = [o for o in facts.outreaches if o.contact_id is not None]
    person_id: int | None = None
    if with_contact:
        person_id = max(with_contact, key=lambda o: (o.occurred_at, o.id)).contact_id
    else:
        wish = _latest_wish(facts)
        if wish is not None and wish.contact is not None:
            person_id = wish.contact.id
        elif facts.interviews:
            latest = max(facts.interviews, key=lambda i: (i.ends_at, i.id))
            person_id = latest.interviewers[0].id if latest.interviewers else None
    earliest = allowed_from(
        cadence=prefs.cadence,
        zone=prefs.zone,
        last_outgoing_at=last_outgoing_to(facts=facts, contact_id=person_id),
        check_in=True,
    )
    if earliest is not None:
        due_at = max(due_at, earliest)
    return [
        Planned(
            kind=CHECK_IN,
            occurrence=f"check_in:{facts.id}:{since.astimezone(UTC):%Y%m%dT%H%M%S}",
            due_at=due_at,
            notify_at=notify_time(wanted=due_at, prefs=prefs),
            contact_id=person_id,
        )
    ]


def plan_reminders(*, facts: ApplicationFacts, prefs: Preferences) -> list[Planned]:
    """Every reminder the rules want for one application, right now.

    1. A closed application wants nothing: all its open tasks are cancelled (R7).
    2. Thank-yous (R1) are planned for every interview and interviewer.
    3. After a run of unanswered outreaches (R7), one "consider closing" task replaces the
       follow-up, the call and the check-in.
    4. Otherwise the first follow-up (R2, R6), the call (R4, R8) and the check-in (R5).
    """
    if not facts.is_open:
        return []
    planned = plan_thank_yous(facts=facts, prefs=prefs)
    run = unanswered_run(facts=facts)
    if prefs.cadence.cap_reached(unanswered=len(run)):
        last = run[-1]
        due_at = allowed_from(
            cadence=prefs.cadence,
            zone=prefs.zone,
            last_outgoing_at=last.occurred_at,
            check_in=False,
        )
        planned.append(
            Planned(
                kind=CLOSE_SUGGESTION,
                occurrence=f"close_suggestion:{facts.id}:{last.id}",
                due_at=due_at,
                notify_at=notify_time(wanted=due_at, prefs=prefs),
                contact_id=last.contact_id,
            )
        )
        return planned
    planned += plan_follow_up(facts=facts, prefs=prefs)
    planned += plan_phone_call(facts=facts, prefs=prefs)
    planned += plan_check_in(facts=facts, prefs=prefs)
    return planned
