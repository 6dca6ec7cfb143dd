"""The per-user iCalendar feed: open tasks and interviews, for a phone's calendar app.

Calendar apps poll the feed and replace what they had, so each event keeps a stable UID
(``reminder-<pk>@followup``) and a task that is done or cancelled simply leaves the feed.
The icalendar library escapes the user's text (commas, semicolons, new lines).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, Todo

from accounts.models import User
from followup_site.raw_sql import constants, planned_cursor
from interviews.models import Application, Company, Contact, Interview
from reminders.models import Reminder
from reminders.titles import task_title

TASK_DURATION = timedelta(minutes=30)
TASK_ALARM_BEFORE = timedelta(minutes=15)
INTERVIEW_ALARM_BEFORE = timedelta(hours=1)
# Interviews that ended this long ago still show, so a week view does not look empty.
PAST_INTERVIEWS = timedelta(days=7)
UID_DOMAIN = "followup"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _display_alarm(*, description: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", -before)
    return alarm


# Bump when the feed's output changes for the same rows, so that no cached feed outlives it.
FEED_FORMAT = 2
CACHE_TIMEOUT = 60 * 60 * 24
KIND_LABELS = dict(Reminder.Kind.choices)
FORMAT_LABELS = dict(Interview.Format.choices)


@dataclass(frozen=True)
class _TaskRow:
    """What an open task's event shows, read as plain values (no model instances)."""

    pk: int
    kind: str
    custom_title: str
    note: str
    due_at: datetime
    notify_at: datetime | None
    updated_at: datetime
    role: str | None
    company: str | None
    contact: str | None

    @property
    def title(self) -> str:
        return task_title(kind=self.kind, contact_name=self.contact, custom_title=self.custom_title)


@dataclass(frozen=True)
class _InterviewRow:
    pk: int
    starts_at: datetime
    ends_at: datetime
    format: str
    location: str
    updated_at: datetime
    role: str
    company: str
    interviewers: tuple[str, ...]


def _task_event(reminder: _TaskRow) -> Event:
    event = Event()
    event.add("uid", f"reminder-{reminder.pk}@{UID_DOMAIN}")
    event.add("dtstamp", reminder.updated_at)
    event.add("last-modified", reminder.updated_at)
    event.add("dtstart", reminder.due_at)
    event.add("dtend", reminder.due_at + TASK_DURATION)
    event.add("summary", reminder.title)
    kind = KIND_LABELS.get(reminder.kind, reminder.kind)
    lines = [kind]
    if reminder.role is not None:
        lines.append(f"{reminder.role} at {reminder.company}")
    if reminder.contact is not None:
        lines.append(f"With {reminder.contact}")
    if reminder.note:
        lines.append(reminder.note)
    url = _absolute(reverse("reminders:task_detail", args=[reminder.pk]))
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("categories", [kind])
    # A thank-you is best sent soon after the interview, not at the 24 h deadline: ring when
    # the reminder email goes out, if that is earlier than the usual quarter of an hour.
    before = TASK_ALARM_BEFORE
    if (
        reminder.kind == Reminder.Kind.THANK_YOU
        and reminder.notify_at is not None
        and reminder.notify_at < reminder.due_at - TASK_ALARM_BEFORE
    ):
        before = reminder.due_at - reminder.notify_at
    event.add_component(_display_alarm(description=reminder.title, before=before))
    return event


def _interview_event(interview: _InterviewRow) -> Event:
    summary = f"Interview: {interview.role} at {interview.company}"
    event = Event()
    event.add("uid", f"interview-{interview.pk}@{UID_DOMAIN}")
    event.add("dtstamp", interview.updated_at)
    event.add("last-modified", interview.updated_at)
    event.add("dtstart", interview.starts_at)
    event.add("dtend", interview.ends_at)
    event.add("summary", summary)
    names = ", ".join(interview.interviewers)
    lines = [f"{FORMAT_LABELS.get(interview.format, interview.format)} interview"]
    if names:
        lines.append(f"With {names}")
    event.add("description", "\n".join(lines))
    if interview.location:
        event.add("location", interview.location)
    event.add_component(_display_alarm(description=summary, before=INTERVIEW_ALARM_BEFORE))
    return event


def _instant(text: str | None) -> datetime | None:
    """A timestamp read as text (see _Read.rows_sql) back as an aware UTC datetime."""
    if text is None:
        return None
    instant = datetime.fromisoformat(text)
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


@dataclass(frozen=True)
class _Read:
    """One of the feed's reads: its columns, comma-separated (``moments`` the timestamps
    among them), its FROM and WHERE, and its order. Written as parts, so that the
    fingerprint reads the same values without what only the feed's building needs."""

    columns: str
    moments: frozenset[str]
    source: str
    order: str

    @property
    def rows_sql(self) -> str:
        """The rows, in the feed's order, timestamps as text (see below)."""
        columns = ", ".join(
            f"CAST({column} AS text)" if column in self.moments else column
            for column in self.columns.split(", ")
        )
        return f"SELECT {columns}\n{self.source}\nORDER BY {self.order}"

    @property
    def hash_sql(self) -> str:
        """The sum of a 64-bit hash of each row's values (PostgreSQL's hash_record_extended)
        and the number of rows. The order is the values' own (every read's order is one of
        its columns and a unique id), so a sum, blind to the order, misses no change; it
        neither sorts the rows nor writes their timestamps as text, which was two thirds
        of the cost of an md5 of their text."""
        return (
            f"(SELECT COALESCE(SUM(hash_record_extended(ROW({self.columns}), 0)"
            f"::numeric), 0) || ':' || COUNT(*)\n{self.source})"
        )


# The three reads of every value the feed shows, as plain tuples (cheap to read and hash):
# open tasks, recent and upcoming interviews, and those interviews' people. Written out once
# here: built with the ORM, assembling and compiling them cost more processor time than the
# rest of a poll. Timestamps are read as text: parsing a thousand of them into datetimes is
# most of the cost of a poll, and only a feed that has to be built again needs them as
# datetimes. Both databases write them in UTC (Django's PostgreSQL connections run in UTC).
# The open states are written in as constants: PostgreSQL's one plan for any values (see
# planned_cursor) can then read the open tasks' partial index.
_OPEN_STATES = constants(Reminder.OPEN_STATES)
_TASKS = _Read(
    columns="r.id, r.kind, r.custom_title, r.note, r.due_at, r.notify_at, r.updated_at, "
    "a.role, co.name, c.name",
    moments=frozenset({"r.due_at", "r.notify_at", "r.updated_at"}),
    source=f"""FROM {Reminder._meta.db_table} r
LEFT JOIN {Application._meta.db_table} a ON a.id = r.application_id
LEFT JOIN {Company._meta.db_table} co ON co.id = a.company_id
LEFT JOIN {Contact._meta.db_table} c ON c.id = r.contact_id
WHERE r.user_id = %(user)s AND r.state IN ({_OPEN_STATES})""",
    order="r.due_at, r.id",
)
_INTERVIEWS = _Read(
    columns="i.id, i.starts_at, i.ends_at, i.format, i.location, i.updated_at, a.role, co.name",
    moments=frozenset({"i.starts_at", "i.ends_at", "i.updated_at"}),
    source=f"""FROM {Interview._meta.db_table} i
JOIN {Application._meta.db_table} a ON a.id = i.application_id
JOIN {Company._meta.db_table} co ON co.id = a.company_id
WHERE a.user_id = %(user)s AND i.ends_at >= %(since)s""",
    order="i.starts_at, i.id",
)
_INTERVIEWERS = _Read(
    columns="ii.interview_id, c.name",
    moments=frozenset(),
    source=f"""FROM {Interview.interviewers.through._meta.db_table} ii
JOIN {Interview._meta.db_table} i ON i.id = ii.interview_id
JOIN {Application._meta.db_table} a ON a.id = i.application_id
JOIN {Contact._meta.db_table} c ON c.id = ii.contact_id
WHERE a.user_id = %(user)s AND i.ends_at >= %(since)s""",
    order="ii.interview_id, c.name, ii.contact_id",
)
_FEED_READS = (_TASKS, _INTERVIEWS, _INTERVIEWERS)


def _feed_params(*, user: User, now: datetime) -> dict[str, object]:
    """The values of the feed's reads: the user and the interviews' window (the open states
    are written in as constants, see planned_cursor)."""
    return {
        "user": user.pk,
        "since": connection.ops.adapt_datetimefield_value(now - PAST_INTERVIEWS),
    }


def _feed_rows(params: dict[str, object]) -> tuple[list[tuple], ...]:
    """The rows of the feed's three reads."""
    with planned_cursor() as cursor:
        rows = []
        for read in _FEED_READS:
            cursor.execute(read.rows_sql, params)
            rows.append(cursor.fetchall())
    return tuple(rows)


_FINGERPRINT_SQL = "SELECT " + ", ".join(read.hash_sql for read in _FEED_READS)


def _database_fingerprint(params: dict[str, object]) -> tuple[str, ...]:
    """A hash of each read's rows, computed by PostgreSQL in one statement: a poll of an
    unchanged feed reads three short strings instead of a thousand rows (see _Read.hash_sql).
    """
    with planned_cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL, params)
        return tuple(cursor.fetchone())


def _events(
    tasks: list[tuple], interviews: list[tuple], interviewers: list[tuple]
) -> tuple[list[_TaskRow], list[_InterviewRow]]:
    """The rows of _feed_rows as the events' values, timestamps as datetimes."""
    names: dict[int, list[str]] = {}
    for interview_id, name in interviewers:
        names.setdefault(interview_id, []).append(name)
    return (
        [
            _TaskRow(
                pk=pk,
                kind=kind,
                custom_title=title,
                note=note,
                due_at=_instant(due),
                notify_at=_instant(notify),
                updated_at=_instant(updated),
                role=role,
                company=company,
                contact=contact,
            )
            for pk, kind, title, note, due, notify, updated, role, company, contact in tasks
        ],
        [
            _InterviewRow(
                pk,
                _instant(starts),
                _instant(ends),
                kind,
                location,
                _instant(updated),
                role,
                company,
                tuple(names.get(pk, ())),
            )
            for pk, starts, ends, kind, location, updated, role, company in interviews
        ],
    )


def _build(*, tasks: list[_TaskRow], interviews: list[_InterviewRow]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Followup//Follow-up tasks//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Followup")
    calendar.add("x-wr-caldesc", "Your follow-up tasks and interviews")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for task in tasks:
        calendar.add_component(_task_event(task))
    for interview in interviews:
        calendar.add_component(_interview_event(interview))
    return calendar.to_ical()


# --- The data export's calendar: every interview and every task, past ones too -------------

_TODO_STATUS = {
    Reminder.State.DONE: "COMPLETED",
    Reminder.State.CANCELLED: "CANCELLED",
    Reminder.State.SKIPPED: "CANCELLED",
}


def _task_todo(reminder: Reminder) -> Todo:
    todo = Todo()
    todo.add("uid", f"reminder-{reminder.pk}@{UID_DOMAIN}")
    todo.add("dtstamp", reminder.updated_at)
    todo.add("created", reminder.created_at)
    todo.add("due", reminder.due_at)
    todo.add("summary", reminder.title)
    todo.add("status", _TODO_STATUS.get(reminder.state, "NEEDS-ACTION"))
    if reminder.state == Reminder.State.DONE and reminder.completed_at is not None:
        todo.add("completed", reminder.completed_at)
    lines = [reminder.get_kind_display(), f"State: {reminder.get_state_display()}"]
    if reminder.application is not None:
        lines.append(str(reminder.application))
    if reminder.contact is not None:
        lines.append(f"With {reminder.contact.name}")
    if reminder.note:
        lines.append(reminder.note)
    todo.add("description", "\n".join(lines))
    todo.add("categories", [reminder.get_kind_display()])
    return todo


def calendar_export_ics(user_id: int) -> Iterator[tuple[str, bytes]]:
    """The data export's calendar.ics: all the user's interviews as events and all their
    tasks as to-dos (done and cancelled ones too), without the feed's alarms."""
    calendar = Calendar()
    calendar.add("prodid", "-//Followup//Data export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    interviews = (
        Interview.objects.filter(application__user_id=user_id)
        .select_related("application__company")
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )
    for interview in interviews:
        event = _interview_event(
            _InterviewRow(
                pk=interview.pk,
                starts_at=interview.starts_at,
                ends_at=interview.ends_at,
                format=interview.format,
                location=interview.location,
                updated_at=interview.updated_at,
                role=interview.application.role,
                company=interview.application.company.name,
                interviewers=tuple(sorted(person.name for person in interview.interviewers.all())),
            )
        )
        event.subcomponents = []
        calendar.add_component(event)
    reminders = (
        Reminder.objects.filter(user_id=user_id)
        .select_related("application__company", "contact")
        .order_by("due_at", "pk")
    )
    for reminder in reminders:
        calendar.add_component(_task_todo(reminder))
    yield "calendar.ics", calendar.to_ical()


def calendar_feed_build(*, user: User, now: datetime | None = None) -> bytes:
    """The user's open tasks and recent and upcoming interviews, as an .ics document.

    A busy user's feed has a thousand events and takes a third of a second to build, and
    calendar apps poll it every hour, so it is cached per user. What makes it never stale:

    1. Read every value the feed shows (three queries of plain values; cheap), or on
       PostgreSQL have the database hash them (one query; see _database_fingerprint).
    2. Fingerprint them (with the site address and FEED_FORMAT). The feed is a function of
       exactly these values, so a change to any task, interview, contact, company or role
       it shows, however it was written (a form, the sweep, a bulk update), and time moving
       an interview out of the window, all change the fingerprint.
    3. Serve the cached feed only if it was built from the same fingerprint; else build it
       from the values read in step 1 and cache it with its fingerprint.
    """
    params = _feed_params(user=user, now=now or timezone.now())
    rows = None
    if connection.vendor == "postgresql":
        values = _database_fingerprint(params)
    else:
        rows = _feed_rows(params)
        values = rows
    digest = hashlib.blake2b(
        repr((FEED_FORMAT, settings.SITE_URL, values)).encode(), digest_size=20
    ).hexdigest()
    key = f"calendar-feed:{user.pk}"
    cached = cache.get(key)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == digest:
        return cached[1]
    if rows is None:
        rows = _feed_rows(params)
    tasks, interviews = _events(*rows)
    feed = _build(tasks=tasks, interviews=interviews)
    cache.set(key, (digest, feed), CACHE_TIMEOUT)
    return feed
