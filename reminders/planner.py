"""The follow-up rules of DESIGN section 4 as pure functions: facts in, planned reminders out.

Nothing here touches the database. ``reminders.services.plan_apply`` gathers the facts of one
application, calls :func:`plan_reminders`, and makes the Reminder rows match the plan by their
``occurrence`` key. Keeping the judgment here lets the tests state every rule with plain
values and a frozen clock.

Choices the design leaves open, decided here:

- R1 and R2 are two tasks. The thank-you (R1) is the short note within 24 hours; the first
  follow-up email (R2) comes a week after the latest interview if they have not replied, to
  the person they asked the user to follow up with (R6), not before the date they named.
- Every outreach has a purpose. Only a follow-up or check-in email that asked something
  starts the R4 "no reply, then call" clock: nobody expects an answer to a thank-you.
- The R7 minimum gap holds per person, across all of the user's applications, for every
  outreach the planner dates: follow-ups, calls and check-ins. A stated "not before" date
  (R6) moves the follow-up and the call, never the thank-you.
- The cap of unanswered messages counts follow-ups, repairs and calls over at least two
  weeks. Reaching it stops the faster follow-ups, not the monthly check-ins; after a few
  unanswered check-ins the planner asks whether to keep going.
- An interview still ahead has not happened: its tasks are planned when it ends.
- An interview is contact from their side, like a reply: it resets the check-in clock and
  ends a run of unanswered outreaches.
- Marking a check-in done without logging an outreach still resets the check-in clock,
  otherwise the user would never be asked to check in again.
- The plan holds no words: a task's title is rendered from its kind and contact when it is
  shown (reminders.titles).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from followup_site.clock import (
    business_day_on_or_after,
    business_days_add,
    wall_clock_add,
)
from outreach.cadence import allowed_from
from reminders.facts import (
    ApplicationFacts,
    FollowUpWish,
    InterviewFacts,
    OutreachFacts,
    Person,
    Planned,
    Preferences,
)
from reminders.notify_times import (
    notify_time,
    thank_you_times,
)

THANK_YOU = "thank_you"
FOLLOW_UP = "follow_up"
PHONE_CALL = "phone_call"
CHECK_IN = "check_in"
CLOSE_SUGGESTION = "close_suggestion"
RULE_KINDS = (THANK_YOU, FOLLOW_UP, PHONE_CALL, CHECK_IN, CLOSE_SUGGESTION)

FOLLOW_UP_AFTER_DAYS = 7


# --- The rules ------------------------------------------------------------------------------


# What counts toward the run of unanswered messages that ends in "time to close it?" (R7):
# the faster follow-ups and the calls. Thank-yous expect no answer; check-ins go on monthly.
COUNTED_PURPOSES = ("follow_up", "repair", "call")
# A run of unanswered messages counts only once it spans this long: four follow-ups sent in
# one week say more about the sender than about the company.
RUN_MIN_SPAN = timedelta(days=14)
# After this many unanswered check-ins in a row, ask whether to keep going (R5).
CHECK_INS_BEFORE_ASKING = 3
# Interviews with one person closer together than this share one thank-you (R1, R7).
THANK_YOU_SPAN = timedelta(days=7)
# Outgoing emails with these purposes ask something, so their silence can lead to a call (R4).
ASKING_PURPOSES = ("follow_up", "check_in")


def held(*, facts: ApplicationFacts, now: datetime) -> ApplicationFacts:
    """The facts as they stand at ``now``: an interview still ahead has not happened yet."""
    past = tuple(i for i in facts.interviews if i.ends_at <= now)
    return replace(facts, interviews=past)


def unanswered_run(*, facts: ApplicationFacts) -> list[OutreachFacts]:
    """Outgoing outreaches since the last sign of life from them (a reply or an interview).

    The run is the person's: it takes in what went to this application's people about the
    user's other applications, and a reply from them about any application ends it.
    """
    last_heard = max((i.ends_at for i in facts.interviews), default=None)
    timeline = [*facts.outreaches, *facts.other_outreaches]
    run: list[OutreachFacts] = []
    for outreach in sorted(timeline, key=lambda o: (o.occurred_at, o.id), reverse=True):
        if not outreach.outgoing:
            break
        if last_heard is not None and outreach.occurred_at <= last_heard:
            break
        run.append(outreach)
    run.reverse()
    return run


def last_outgoing_to(*, facts: ApplicationFacts, contact_id: int | None) -> datetime | None:
    """The last outreach to this person, about this application or any other (R7)."""
    if contact_id is None:
        return None
    timeline = [*facts.outreaches, *facts.other_outreaches]
    return max(
        (o.occurred_at for o in timeline if o.outgoing and o.contact_id == contact_id),
        default=None,
    )


def after_other_applications(
    *,
    due_at: datetime,
    contact_id: int | None,
    facts: ApplicationFacts,
    prefs: Preferences,
    check_in: bool,
) -> datetime:
    """R7 per person: the first moment from ``due_at`` on that is a full gap away from every
    task pending for the same person in the user's other applications, before or after it."""
    days = prefs.cadence.gap_days(check_in=check_in)
    for other_due, _ in sorted(facts.pending_by_person.get(contact_id, ())):
        gap_end = wall_clock_add(instant=other_due, days=days, zone=prefs.zone)
        gap_start = wall_clock_add(instant=other_due, days=-days, zone=prefs.zone)
        if gap_start < due_at < gap_end:
            due_at = gap_end
    return due_at


def _latest_wish(facts: ApplicationFacts) -> FollowUpWish | None:
    return max(facts.wishes, key=lambda w: w.noted_at, default=None)


def _wish_of(facts: ApplicationFacts, contact_id: int | None) -> date | None:
    """The latest "not before" date this person named, if any (R6)."""
    dates = [
        w.not_before
        for w in facts.wishes
        if w.not_before is not None and w.contact is not None and w.contact.id == contact_id
    ]
    return max(dates, default=None)


def _thank_you_spans(
    facts: ApplicationFacts,
) -> list[tuple[InterviewFacts, InterviewFacts, Person]]:
    """(first, latest, person) for each run of interviews with one person in a short span.

    Interviews with the same person less than THANK_YOU_SPAN apart form one span, and the
    span gets one thank-you, due after its latest interview.
    """
    spans = []
    people = {p.id: p for i in facts.interviews for p in i.interviewers}
    for person_id, person in sorted(people.items()):
        theirs = sorted(
            (i for i in facts.interviews if any(p.id == person_id for p in i.interviewers)),
            key=lambda i: (i.ends_at, i.id),
        )
        first = latest = theirs[0]
        for interview in theirs[1:]:
            if interview.ends_at - latest.ends_at < THANK_YOU_SPAN:
                latest = interview
                continue
            spans.append((first, latest, person))
            first = latest = interview
        spans.append((first, latest, person))
    return spans


def plan_thank_yous(*, facts: ApplicationFacts, prefs: Preferences) -> list[Planned]:
    """R1: one thank-you per interviewer, one per span of interviews with the same person.

    The occurrence names the span's first interview, so a second interview with the same
    person a few days later moves that one task instead of adding another.
    """
    planned = []
    for first, latest, person in _thank_you_spans(facts):
        due_at, notify_at, nudge_at = thank_you_times(ends_at=latest.ends_at, prefs=prefs)
        planned.append(
            Planned(
                kind=THANK_YOU,
                occurrence=f"thank_you:{first.id}:{person.id}",
                due_at=due_at,
                notify_at=notify_at,
                nudge_at=nudge_at,
                interview_id=latest.id,
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
    due_at = after_other_applications(
        due_at=due_at,
        contact_id=person.id if person else None,
        facts=facts,
        prefs=prefs,
        check_in=False,
    )
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
    """R4 and R8: a call when a follow-up or check-in that asked something got no reply.

    A thank-you expects no answer and starts no call clock. The call waits N business days
    after the email, then also the minimum gap and any date the person named (R6, R7), and
    lands on a business day.
    """
    emails = [
        o
        for o in facts.outreaches
        if o.outgoing and o.channel == "email" and o.purpose in ASKING_PURPOSES and o.asked
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
    earliest = allowed_from(
        cadence=prefs.cadence,
        zone=prefs.zone,
        last_outgoing_at=last_outgoing_to(facts=facts, contact_id=email.contact_id),
        check_in=False,
        not_before=_wish_of(facts, email.contact_id),
    )
    later = after_other_applications(
        due_at=max(due_at, earliest or due_at),
        contact_id=email.contact_id,
        facts=facts,
        prefs=prefs,
        check_in=False,
    )
    if later > due_at:
        due_at = business_day_on_or_after(instant=later, zone=prefs.zone, country=prefs.country)
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


def last_contact(*, facts: ApplicationFacts) -> tuple[datetime, str] | None:
    """The last contact in either direction (an outreach, an interview, a check-in marked
    done) and a key naming that event, which does not change when its time is corrected."""
    events = [(i.ends_at, f"interview{i.id}") for i in facts.interviews]
    events += [(o.occurred_at, f"outreach{o.id}") for o in facts.outreaches]
    events += [(d, f"done{d.astimezone(UTC):%Y%m%dT%H%M%S}") for d in facts.check_ins_done_at]
    return max(events, default=None)


def plan_check_in(*, facts: ApplicationFacts, prefs: Preferences) -> list[Planned]:
    """R5: a check-in N days after the last contact, on a business day, same local time.

    The occurrence names the event the clock counts from, so a new contact makes a new
    occurrence and the old pending check-in is cancelled (rescheduled, never duplicated),
    while an edit that only moves that event's time moves the same task.
    """
    last = last_contact(facts=facts)
    if last is None:
        return []
    since, key = last
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
    due_at = after_other_applications(
        due_at=due_at, contact_id=person_id, facts=facts, prefs=prefs, check_in=True
    )
    due_at = business_day_on_or_after(instant=due_at, zone=prefs.zone, country=prefs.country)
    return [
        Planned(
            kind=CHECK_IN,
            occurrence=f"check_in:{facts.id}:{key}",
            due_at=due_at,
            notify_at=notify_time(wanted=due_at, prefs=prefs),
            contact_id=person_id,
        )
    ]


def plan_close_suggestion(
    *, facts: ApplicationFacts, prefs: Preferences, interview_ahead: bool
) -> list[Planned]:
    """R7: after a run of unanswered follow-ups and calls over weeks, or a few unanswered
    check-ins, one task asks whether to close the application. Never while an interview is
    still ahead."""
    if interview_ahead:
        return []
    run = unanswered_run(facts=facts)
    counted = [o for o in run if o.purpose in COUNTED_PURPOSES]
    check_ins = [o for o in run if o.purpose == "check_in"]
    if prefs.cadence.cap_reached(unanswered=len(counted)) and (
        counted[-1].occurred_at - counted[0].occurred_at >= RUN_MIN_SPAN
    ):
        last = counted[-1]
    elif check_ins and len(check_ins) % CHECK_INS_BEFORE_ASKING == 0:
        last = check_ins[-1]
    else:
        return []
    due_at = allowed_from(
        cadence=prefs.cadence, zone=prefs.zone, last_outgoing_at=last.occurred_at, check_in=False
    )
    return [
        Planned(
            kind=CLOSE_SUGGESTION,
            occurrence=f"close_suggestion:{facts.id}:{last.id}",
            due_at=due_at,
            notify_at=notify_time(wanted=due_at, prefs=prefs),
            contact_id=last.contact_id,
        )
    ]


def faster_follow_ups_stop(*, facts: ApplicationFacts, prefs: Preferences) -> bool:
    """Whether the cap of unanswered follow-ups and calls is reached (R7)."""
    counted = [o for o in unanswered_run(facts=facts) if o.purpose in COUNTED_PURPOSES]
    return prefs.cadence.cap_reached(unanswered=len(counted))


def plan_reminders(*, facts: ApplicationFacts, prefs: Preferences, now: datetime) -> list[Planned]:
    """Every reminder the rules want for one application at ``now``.

    1. A closed application wants nothing: all its open tasks are cancelled (R7).
    2. An interview still ahead has not happened: it gets its tasks once it ends.
    3. Thank-yous (R1), one per person per span of interviews.
    4. "Time to close it?" after the cap of unanswered follow-ups and calls over weeks, or
       every few unanswered check-ins (R5, R7).
    5. The first follow-up (R2, R6) and the call (R4, R8), unless the cap is reached or the
       question to close is open: no faster follow-up is planned then.
    6. The check-in (R5) goes on about monthly while the role is open, cap or not.
    """
    if not facts.is_open:
        return []
    interview_ahead = any(i.ends_at > now for i in facts.interviews)
    facts = held(facts=facts, now=now)
    planned = plan_thank_yous(facts=facts, prefs=prefs)
    closing = plan_close_suggestion(facts=facts, prefs=prefs, interview_ahead=interview_ahead)
    if not closing and not faster_follow_ups_stop(facts=facts, prefs=prefs):
        planned += plan_follow_up(facts=facts, prefs=prefs)
        planned += plan_phone_call(facts=facts, prefs=prefs)
    planned += plan_check_in(facts=facts, prefs=prefs)
    return planned + closing
