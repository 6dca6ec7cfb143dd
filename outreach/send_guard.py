"""The send guard and the composer's checklist facts.

Before a message to a person goes out (or while it is being written), this module says when
the cadence rules of ``outreach.cadence`` allow it, when a thank-you stops being timely, and
what the checklist beside the draft shows. The planner dates its tasks with the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Field
from django.utils import timezone

from accounts.models import User
from followup_site.raw_sql import constants, planned_cursor
from interviews.models import Application, Contact, Interview, Note
from outreach.cadence import THANK_YOU_WITHIN, Cadence, allowed_from
from outreach.checklist import Check, ChecklistInput, checklist_compute
from outreach.merge import Snippet, note_snippets
from outreach.models import Draft, Occasion, Outreach
from outreach.selectors import note_values, notes_for


def last_outgoing_at(*, user: User, contact: Contact) -> datetime | None:
    """When the user last sent anything to this person, about any of their applications."""
    return (
        Outreach.objects.filter(user=user, contact=contact, direction=Outreach.Direction.OUTGOING)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )


def not_before_wish(*, user: User, contact: Contact) -> date | None:
    """The latest "not before" date this person asked for in a follow-up note, if any."""
    return (
        Note.objects.filter(
            interview__application__user=user,
            contact=contact,
            kind=Note.Kind.FOLLOW_UP,
            follow_up_not_before__isnull=False,
        )
        .order_by("-follow_up_not_before")
        .values_list("follow_up_not_before", flat=True)
        .first()
    )


@dataclass(frozen=True)
class ContactHistory:
    """What ``contact_history`` reads of the user's exchanges with a person: the last one
    (either way; its time, channel and direction only), when they last wrote to them, and the
    person's ``not_before_wish``."""

    last: Outreach | None
    last_outgoing_at: datetime | None
    not_before: date | None

    @property
    def written_before(self) -> bool:
        return self.last_outgoing_at is not None


_OUTREACH, _NOTE = Outreach._meta.db_table, Note._meta.db_table
_INTERVIEW, _APPLICATION = Interview._meta.db_table, Application._meta.db_table
_OUTGOING = constants([Outreach.Direction.OUTGOING])
_FOLLOW_UP = constants([Note.Kind.FOLLOW_UP])
# The last exchange (the left join gives a row of NULLs when there is none), the last message
# out and the latest "not before" wish, each found as last_contact, last_outgoing_at and
# not_before_wish find theirs, through the same indexes. Prepared and planned once per
# connection (followup_site.raw_sql.planned_cursor): the direction and kind are constants.
_HISTORY_SQL = f"""
SELECT latest.id, latest.occurred_at, latest.channel, latest.direction,
  (SELECT o.occurred_at FROM {_OUTREACH} o
    WHERE o.user_id = %(user)s AND o.contact_id = %(contact)s AND o.direction = {_OUTGOING}
    ORDER BY o.occurred_at DESC LIMIT 1),
  (SELECT n.follow_up_not_before FROM {_NOTE} n
    JOIN {_INTERVIEW} i ON i.id = n.interview_id
    JOIN {_APPLICATION} a ON a.id = i.application_id
    WHERE a.user_id = %(user)s AND n.contact_id = %(contact)s AND n.kind = {_FOLLOW_UP}
      AND n.follow_up_not_before IS NOT NULL
    ORDER BY n.follow_up_not_before DESC LIMIT 1)
FROM (SELECT 1) AS one
LEFT JOIN {_OUTREACH} latest ON latest.id = (
  SELECT o.id FROM {_OUTREACH} o WHERE o.user_id = %(user)s AND o.contact_id = %(contact)s
  ORDER BY o.occurred_at DESC, o.id DESC LIMIT 1)
"""  # noqa: S608 - only the models' table names are written in


def _from_db(value: object, field: Field) -> object:
    """A value the cursor read from ``field``'s column, or a subquery of it, as the ORM gives
    it: SQLite returns a subquery's dates as text."""
    column = field.get_col(field.model._meta.db_table)
    for convert in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
        value = convert(value, column, connection)
    return value


def contact_history(*, user: User, contact: Contact) -> ContactHistory:
    """``last_contact``, ``last_outgoing_at`` and ``not_before_wish`` in one query.

    Written out rather than built with the ORM, which took some 1.3 ms of CPU to assemble and
    compile its two subqueries, ten times what the query costs; the composer and every draft's
    page read it.
    """
    with planned_cursor() as cursor:
        cursor.execute(_HISTORY_SQL, {"user": user.pk, "contact": contact.pk})
        pk, occurred_at, channel, direction, last_outgoing_at, not_before = cursor.fetchone()
    occurred = Outreach._meta.get_field("occurred_at")
    last = None
    if pk is not None:
        last = Outreach(
            pk=pk,
            occurred_at=_from_db(occurred_at, occurred),
            channel=channel,
            direction=direction,
        )
    return ContactHistory(
        last,
        _from_db(last_outgoing_at, occurred),
        _from_db(not_before, Note._meta.get_field("follow_up_not_before")),
    )


def _not_before(*, user: User, contact: Contact, history: ContactHistory | None) -> date | None:
    """``not_before_wish``, from ``history`` when the caller already read it."""
    return (
        history.not_before if history is not None else not_before_wish(user=user, contact=contact)
    )


def gap_allowed_from(
    *,
    user: User,
    contact: Contact,
    occasion: str,
    now: datetime | None = None,
    history: ContactHistory | None = None,
) -> date | None:
    """The send guard: the first local day the cadence rules allow this message, or None.

    R7: a check-in waits the check-in gap after the last outreach to that person, anything
    else the minimum gap. R6: a follow-up also waits for a date they named. The rules are
    those of ``outreach.cadence``, the ones the planner dates its tasks with. ``history``
    is ``contact_history`` when the caller already read it.
    """
    now = now or timezone.now()
    check_in = occasion == Occasion.CHECK_IN
    follow_up = occasion not in (Occasion.THANK_YOU, Occasion.CARD, Occasion.CHECK_IN)
    earliest = allowed_from(
        cadence=Cadence.of(user),
        zone=user.zone,
        last_outgoing_at=(
            history.last_outgoing_at
            if history is not None
            else last_outgoing_at(user=user, contact=contact)
        ),
        check_in=check_in,
        not_before=_not_before(user=user, contact=contact, history=history) if follow_up else None,
    )
    if earliest is None or earliest <= now:
        return None
    return earliest.astimezone(user.zone).date()


SEND_LIMIT_WINDOW = timedelta(hours=24)


def app_sends_since(*, user: User, since: datetime) -> int:
    """Messages this user sent through the app since ``since``.

    Counts the timeline's sent-by-app rows, plus drafts going out right now or whose
    outcome is unknown (they may have gone out and have no row yet).
    """
    recorded = (
        Outreach.objects.filter(
            user=user,
            direction=Outreach.Direction.OUTGOING,
            channel=Outreach.Channel.EMAIL,
            occurred_at__gte=since,
        )
        .exclude(delivery=Outreach.Delivery.NOT_SENT_BY_APP)
        .count()
    )
    in_flight = Draft.objects.filter(
        user=user,
        send_state__in=(Draft.SendState.SENDING, Draft.SendState.UNCERTAIN),
        updated_at__gte=since,
    ).count()
    return recorded + in_flight


def app_send_refusal(*, user: User, now: datetime | None = None) -> str:
    """Why the app may not send anything on this user's behalf now; empty when it may.

    Until the user has verified their address, Followup sends nothing for them (anyone
    can sign up with any address). After that, at most DAILY_SEND_LIMIT messages in any
    24 hours: a cap on what a stolen or fake account can send to strangers.
    """
    now = now or timezone.now()
    if not user.email_verified:
        return (
            f"Confirm your address {user.email} first: follow the link we emailed you (or "
            "send it again from the banner at the top). Until then Followup sends nothing "
            "for you; you can still open the draft in your own mail program or copy it."
        )
    limit = settings.DAILY_SEND_LIMIT
    if app_sends_since(user=user, since=now - SEND_LIMIT_WINDOW) >= limit:
        return (
            f"You have sent {limit} message{'' if limit == 1 else 's'} through Followup in the "
            "last 24 hours, the most it sends for one person in a day. Open this one in your "
            "own mail program, or send it through Followup tomorrow; your draft stays saved."
        )
    return ""


def last_contact(*, user: User, contact: Contact) -> Outreach | None:
    """The last exchange with this person, either way: what the checklist says of it."""
    return (
        Outreach.objects.filter(user=user, contact=contact)
        .only("occurred_at", "channel", "direction")
        .order_by("-occurred_at", "-pk")
        .first()
    )


def thank_you_deadline(
    *, user: User, application: Application, contact: Contact, now: datetime | None = None
) -> datetime | None:
    """When a thank-you to this person stops being timely (R1), if that is still ahead.

    Counted from the end of the latest interview of the application they were on; None
    once it has passed.
    """
    now = now or timezone.now()
    interview = (
        Interview.objects.filter(application=application, application__user=user)
        .filter(interviewers=contact)
        .order_by("-starts_at")
        .first()
    )
    if interview is None:
        return None
    deadline = interview.ends_at + THANK_YOU_WITHIN
    return deadline if deadline > now else None


@dataclass(frozen=True)
class ComposerFacts:
    checks: list[Check]
    gap_allowed_from: date | None
    min_gap_days: int
    # The notes beside the draft, to fill the blanks the checklist lists.
    snippets: tuple[Snippet, ...] = ()


def composer_facts(
    *,
    user: User,
    application: Application,
    contact: Contact,
    interview: Interview | None,
    occasion: str,
    subject: str,
    body: str,
    deadline: datetime | None = None,
    now: datetime | None = None,
    notes: list[Note] | None = None,
    history: ContactHistory | None = None,
) -> ComposerFacts:
    """The checklist beside the draft, the notes to fill its blanks with, and whether sending
    is allowed yet.

    ``deadline`` is the thank-you's own deadline when the draft carries out a task;
    without one, a thank-you is timely within a day of the interview (R1). A page that
    already read the notes (``notes_read``) or the ``contact_history`` passes them.
    """
    now = now or timezone.now()
    notes = notes_for(
        user=user, application=application, contact=contact, interview=interview, notes=notes
    )
    if history is None:
        history = contact_history(user=user, contact=contact)
    last = history.last
    allowed_from = gap_allowed_from(
        user=user, contact=contact, occasion=occasion, now=now, history=history
    )
    min_gap = Cadence.of(user).gap_days(check_in=occasion == Occasion.CHECK_IN)
    due = None
    if occasion in (Occasion.THANK_YOU, Occasion.CARD):
        due = deadline or thank_you_deadline(
            user=user, application=application, contact=contact, now=now
        )
    label = ""
    if last is not None:
        local = timezone.localtime(last.occurred_at, user.zone)
        label = (
            f"{last.get_channel_display()}, {last.get_direction_display().lower()}, "
            f"on {local:%A} {local.day} {local:%B}"
        )
    values = note_values(notes)
    data = ChecklistInput(
        subject=subject,
        body=body,
        is_card=occasion == Occasion.CARD,
        notes=values,
        contact_interests=contact.interests,
        thank_you_due_at=due,
        last_contact_at=last.occurred_at if last else None,
        last_contact_label=label,
        gap_allowed_from=allowed_from,
        min_gap_days=min_gap,
        now=now,
    )
    return ComposerFacts(
        checklist_compute(data), allowed_from, min_gap, tuple(note_snippets(values))
    )
