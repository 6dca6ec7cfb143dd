"""The board's cards, in one hand-written query.

Built with the ORM, the board took four queries (the ranked applications, their next
actions, outreach and drafts), and compiling them cost more processor time than the rest of
the page together. The same reads as one statement, compiled once here, run in a fraction
of that. It runs on PostgreSQL and SQLite alike (window functions, correlated subqueries,
nothing else), and the tests run it on both.

1. ``apps``: the user's applications with their company name and what the order sorts by:
   for "next", the earlier of the next open task's due time and the next interview's start
   (``next_steps``, the user's open tasks and coming interviews grouped by application
   once); for "activity", the latest outreach and interview that has started, each a
   subquery on the application's own rows. ``active``: the latest of the last edit,
   outreach and interview.
2. ``ranked``: each stage's applications numbered in the board's order, and counted.
3. ``kept``: the rows the page shows (see :func:`board_rows`), each with, by subqueries run
   for those rows only, its latest interview that has started and its next one, its latest
   email or call each way, its recent bounces, its open drafts and its next action's id.
4. The next action's row and its contact's name. On PostgreSQL a LATERAL join reads each
   kept card's first open task from the application's index, one probe a card. SQLite has
   no LATERAL: there it is joined by the id found in step 3 among the application's open
   tasks. (That join, on PostgreSQL, hashed every open task of every user once it had
   statistics: 0.2 to 0.7 ms a page for one user of 200 applications, and growing with all
   users' tasks.)

The Today strip's and the notices' reads follow. Each function here returns its statement
and how its rows are read (``followup_site.raw_sql.Reads``), not the rows: the dashboard
runs all five together, in one round trip on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection

from followup_site.raw_sql import Reads, constants, utc_moment
from interviews.models import Application, Company, Contact, Interview
from outreach.models import Draft, Outreach
from reminders.models import Reminder
from reminders.task_list_query import group_branch, group_counts

# What each order sorts a column by; ties, like the ORM's, by the most recent edit.
_ORDER_BY = {
    # Overdue next actions come first on their own: they are due before now. (NULLS LAST,
    # not "IS NULL" first: that would run the next_step_at subquery twice.)
    "next": "next_step_at ASC NULLS LAST, updated_at DESC, id DESC",
    "activity": "last_activity_at DESC, id DESC",
    "company": "LOWER(company_name), LOWER(role), id",
}
# The choice values the statements name, written in as constants (see planned_cursor).
_OPEN_STATES = constants(Reminder.OPEN_STATES)
_BOUNCES = constants((Outreach.Delivery.BOUNCED, Outreach.Delivery.COMPLAINED))
_CLOSED = constants([Application.Stage.CLOSED])
_INCOMING = constants([Outreach.Direction.INCOMING])
_OUTGOING = constants([Outreach.Direction.OUTGOING])
_SENT = constants([Draft.SendState.SENT])
_THANK_YOU = constants([Reminder.Kind.THANK_YOU])
# A cap no column reaches: "every card of this column".
_EVERYTHING = 1_000_000_000


@dataclass(frozen=True, slots=True)
class BoardRow:
    pk: int
    stage: str
    closed_reason: str
    company_name: str
    role: str
    last_interview_at: datetime | None
    stage_count: int
    last_in: datetime | None
    last_out: datetime | None
    bounced: int
    open_drafts: int
    # The next action, if any: its id, kind, own title, contact, contact's name, due time.
    action_pk: int | None
    action_kind: str | None
    action_custom_title: str | None
    action_contact_id: int | None
    action_contact_name: str | None
    action_due_at: datetime | None
    # The start of its next interview, if one is still to come.
    next_interview_at: datetime | None


def board_rows(
    *,
    user_id: int,
    now: datetime,
    order: str,
    limit: int,
    shown: frozenset[str],
    moved: int | None,
    bounce_days: int,
) -> Reads[list[BoardRow]]:
    """The cards on the page, in order, with each column's total: the first ``limit`` of
    each open stage, every one of the stages in ``shown``, the first closed one (read for
    the count), and the application ``moved``.

    Every value goes in as a parameter; the text holds only the models' table names, the
    placeholders and the fixed ``_ORDER_BY`` of a checked ``order``.
    """
    adapt = connection.ops.adapt_datetimefield_value
    params: dict = {
        "user": user_id,
        "now": adapt(now),
        "bounced_since": adapt(now - timedelta(days=bounce_days)),
        "limit": limit,
        "everything": _EVERYTHING,
        "moved": moved if moved is not None else -1,
    }
    shown_stages = constants(sorted(shown))
    applications, companies = Application._meta.db_table, Company._meta.db_table
    interviews, reminders = Interview._meta.db_table, Reminder._meta.db_table
    outreach, drafts = Outreach._meta.db_table, Draft._meta.db_table
    contacts = Contact._meta.db_table
    # Each order computes, for every application, only what it sorts by.
    # What the "next" order sorts by: the application's next step, the earlier of its next
    # open task and its next interview (an application whose one plan is an interview on
    # Thursday sorts before a check-in due next month). Read for all the user's applications
    # at once, grouped once: per application, by two index probes each, it took twice as
    # long (0.7 ms for 200 applications). MATERIALIZED on PostgreSQL, so that no plan can
    # run the grouping again for each application.
    next_step = "ns.at" if order == "next" else "NULL"
    next_steps = (
        f"""next_steps AS {"MATERIALIZED " if connection.vendor == "postgresql" else ""}(
  SELECT s.application_id, MIN(s.at) AS at FROM (
    SELECT r.application_id, r.due_at AS at FROM {reminders} r
    WHERE r.user_id = %(user)s AND r.state IN ({_OPEN_STATES})
    UNION ALL
    SELECT i.application_id, i.starts_at FROM {interviews} i
    JOIN {applications} ia ON ia.id = i.application_id
    WHERE ia.user_id = %(user)s AND i.starts_at > %(now)s
  ) s
  GROUP BY s.application_id
),"""  # noqa: S608 - names from the models
        if order == "next"
        else ""
    )
    next_steps_join = (
        "LEFT JOIN next_steps ns ON ns.application_id = a.id" if order == "next" else ""
    )
    last_outreach = (
        f"(SELECT MAX(o.occurred_at) FROM {outreach} o WHERE o.application_id = a.id)"  # noqa: S608
        if order == "activity"
        else "NULL"
    )
    # The next interview to come, which an open card shows: for the kept rows only.
    next_interview = (
        f"(SELECT MIN(i.starts_at) FROM {interviews} i "  # noqa: S608 - names from the models
        "WHERE i.application_id = ranked.id AND i.starts_at > %(now)s)"
    )
    # The latest interview that has started: what every card shows (the days since contact),
    # read for the kept rows only, unless the order sorts by it (then for every one, once).
    last_interview = (
        f"(SELECT MAX(i.starts_at) FROM {interviews} i "  # noqa: S608 - names from the models
        "WHERE i.application_id = {app} AND i.starts_at <= %(now)s)"
    )
    sorted_interview = last_interview.format(app="a.id") if order == "activity" else "NULL"
    shown_interview = (
        "ranked.last_interview_at"
        if order == "activity"
        else last_interview.format(app="ranked.id")
    )
    # The latest of the last edit, outreach and interview (GREATEST, which SQLite lacks).
    last_activity = (
        """CASE
      WHEN COALESCE(last_outreach_at, updated_at) >= COALESCE(last_interview_at, updated_at)
       AND COALESCE(last_outreach_at, updated_at) > updated_at THEN last_outreach_at
      WHEN COALESCE(last_interview_at, updated_at) > updated_at THEN last_interview_at
      ELSE updated_at
    END"""
        if order == "activity"
        else "NULL"
    )
    next_task = (
        f"SELECT {{columns}} FROM {reminders} r WHERE r.application_id = {{app}} "  # noqa: S608
        f"AND r.state IN ({_OPEN_STATES}) ORDER BY r.due_at, r.id LIMIT 1"
    )
    if connection.vendor == "postgresql":
        # Each kept card's next action, read by one probe of the application's open tasks.
        next_action_id = "NULL"
        next_action_join = (
            "LEFT JOIN LATERAL ("
            + next_task.format(
                columns="r.id, r.kind, r.custom_title, r.contact_id, r.due_at", app="kept.id"
            )
            + ") na ON TRUE"
        )
    else:
        # SQLite has no LATERAL: the next action's id, then its row by that id among the
        # application's open tasks.
        next_action_id = f"({next_task.format(columns='r.id', app='ranked.id')})"
        next_action_join = (
            f"LEFT JOIN {reminders} na ON na.application_id = kept.id "
            f"AND na.state IN ({_OPEN_STATES}) AND na.id = kept.next_action_id"
        )
    sql = f"""
WITH {next_steps}
apps AS (
  SELECT a.id, a.stage, a.closed_reason, a.role, a.updated_at, c.name AS company_name,
    {sorted_interview} AS last_interview_at,
    {next_step} AS next_step_at,
    {last_outreach} AS last_outreach_at
  FROM {applications} a JOIN {companies} c ON c.id = a.company_id
  {next_steps_join}
  WHERE a.user_id = %(user)s
),
active AS (
  SELECT apps.*,
    {last_activity} AS last_activity_at
  FROM apps
),
ranked AS (
  SELECT active.*,
    ROW_NUMBER() OVER (PARTITION BY stage ORDER BY {_ORDER_BY[order]}) AS position,
    COUNT(*) OVER (PARTITION BY stage) AS stage_count
  FROM active
)
SELECT kept.id, kept.stage, kept.closed_reason, kept.company_name, kept.role,
  kept.interviewed_at, kept.stage_count, kept.last_in, kept.last_out, kept.bounced,
  kept.open_drafts, na.id, na.kind, na.custom_title, na.contact_id, nc.name, na.due_at,
  kept.interview_ahead_at
FROM (
  SELECT ranked.*,
    {shown_interview} AS interviewed_at,
    {next_interview} AS interview_ahead_at,
    (SELECT MAX(o.occurred_at) FROM {outreach} o
      WHERE o.application_id = ranked.id AND o.direction = {_INCOMING}) AS last_in,
    (SELECT MAX(o.occurred_at) FROM {outreach} o
      WHERE o.application_id = ranked.id AND o.direction = {_OUTGOING}) AS last_out,
    (SELECT COUNT(*) FROM {outreach} o
      WHERE o.application_id = ranked.id AND o.direction = {_OUTGOING}
        AND o.delivery IN ({_BOUNCES}) AND o.occurred_at >= %(bounced_since)s) AS bounced,
    (SELECT COUNT(*) FROM {drafts} d
      WHERE d.application_id = ranked.id AND d.send_state <> {_SENT}) AS open_drafts,
    {next_action_id} AS next_action_id
  FROM ranked
  WHERE ranked.position <= CASE
    WHEN ranked.stage IN ({shown_stages}) OR ranked.id = %(moved)s THEN %(everything)s
    WHEN ranked.stage = {_CLOSED} THEN 1
    ELSE %(limit)s
  END
) kept
{next_action_join}
LEFT JOIN {contacts} nc ON nc.id = na.contact_id
ORDER BY kept.position, kept.id
"""  # noqa: S608 - only the models' table names, placeholders and _ORDER_BY are written in
    return Reads.one(sql, params, _board_rows)


def _board_rows(rows: list[tuple]) -> list[BoardRow]:
    return [
        BoardRow(
            pk=row[0],
            stage=row[1],
            closed_reason=row[2],
            company_name=row[3],
            role=row[4],
            last_interview_at=utc_moment(row[5]),
            stage_count=row[6],
            last_in=utc_moment(row[7]),
            last_out=utc_moment(row[8]),
            bounced=row[9],
            open_drafts=row[10],
            action_pk=row[11],
            action_kind=row[12],
            action_custom_title=row[13],
            action_contact_id=row[14],
            action_contact_name=row[15],
            action_due_at=utc_moment(row[16]),
            next_interview_at=utc_moment(row[17]),
        )
        for row in rows
    ]


# --- The Today strip ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TodayTaskRow:
    pk: int
    kind: str
    custom_title: str
    contact_id: int | None
    contact_name: str | None
    company_name: str | None
    due_at: datetime
    group: str  # "overdue", "thank_you" or "today"
    group_count: int


# The Today strip's groups and the open tasks each holds.
_STRIP_GROUPS = {
    "overdue": "r.due_at < %(now)s",
    "thank_you": f"r.due_at >= %(now)s AND r.kind = {_THANK_YOU}",
    "today": f"r.due_at >= %(now)s AND r.due_at < %(end)s AND r.kind <> {_THANK_YOU}",
}


def today_task_rows(
    *, user_id: int, now: datetime, end_of_today: datetime, limit: int
) -> Reads[list[TodayTaskRow]]:
    """The first ``limit`` open tasks of each Today group by due time, with each group's
    count, in one query.

    Overdue: due before now. Thank-yous: the others of that kind (a thank-you is due 24 h
    after the interview, so one due tomorrow morning still counts down today). Today: the
    others due before ``end_of_today``. Each group is a branch that reads only the tasks it
    shows, by the open-tasks index by user and due time; the counts are one pass of that
    index (:mod:`reminders.task_list_query`'s ``group_branch`` and ``group_counts``); the
    names are joined for the kept rows only.
    """
    adapt = connection.ops.adapt_datetimefield_value
    params: dict = {
        "user": user_id,
        "now": adapt(now),
        "end": adapt(end_of_today),
        "limit": limit,
    }
    reminders, contacts = Reminder._meta.db_table, Contact._meta.db_table
    applications, companies = Application._meta.db_table, Company._meta.db_table
    tasks = f"{reminders} r WHERE r.user_id = %(user)s AND r.state IN ({_OPEN_STATES})"
    counts, group_count = group_counts(
        source=f"{tasks} AND (r.due_at < %(end)s OR r.kind = {_THANK_YOU})",
        groups=_STRIP_GROUPS,
    )
    union = "\n  UNION ALL".join(
        group_branch(
            label=constants([name]),
            columns="r.id, r.kind, r.custom_title, r.contact_id, r.application_id, r.due_at",
            source=tasks,
            condition=condition,
            order="{t}.due_at, {t}.id",
            limit="%(limit)s",
        )
        for name, condition in _STRIP_GROUPS.items()
    )
    sql = f"""
WITH {counts}
SELECT t.id, t.kind, t.custom_title, t.contact_id, c.name, co.name, t.due_at, t.task_group,
  {group_count}
FROM ({union}
) t
CROSS JOIN counts
LEFT JOIN {contacts} c ON c.id = t.contact_id
LEFT JOIN {applications} a ON a.id = t.application_id
LEFT JOIN {companies} co ON co.id = a.company_id
ORDER BY t.due_at, t.id
"""  # noqa: S608 - only the models' table names and placeholders are written in
    return Reads.one(sql, params, _today_task_rows)


def _today_task_rows(rows: list[tuple]) -> list[TodayTaskRow]:
    return [
        TodayTaskRow(*row[:6], utc_moment(row[6]), row[7], row[8])  # type: ignore[arg-type]
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class TodayReplyRow:
    pk: int
    application_id: int
    subject: str
    occurred_at: datetime
    contact_name: str | None
    company_name: str


def today_reply_rows(*, user_id: int, since: datetime, limit: int) -> Reads[list[TodayReplyRow]]:
    """The latest ``limit`` replies recorded after ``since``, newest first."""
    adapt = connection.ops.adapt_datetimefield_value
    outreach, contacts = Outreach._meta.db_table, Contact._meta.db_table
    applications, companies = Application._meta.db_table, Company._meta.db_table
    sql = f"""
SELECT o.id, o.application_id, o.subject, o.occurred_at, c.name, co.name
FROM {outreach} o
JOIN {applications} a ON a.id = o.application_id
JOIN {companies} co ON co.id = a.company_id
LEFT JOIN {contacts} c ON c.id = o.contact_id
WHERE o.user_id = %(user)s AND o.direction = {_INCOMING} AND o.created_at > %(since)s
ORDER BY o.occurred_at DESC, o.id DESC
LIMIT %(limit)s
"""  # noqa: S608 - only the models' table names and placeholders are written in
    params = {
        "user": user_id,
        "since": adapt(since),
        "limit": limit,
    }
    return Reads.one(sql, params, _today_reply_rows)


def _today_reply_rows(rows: list[tuple]) -> list[TodayReplyRow]:
    return [
        TodayReplyRow(row[0], row[1], row[2], utc_moment(row[3]), row[4], row[5]) for row in rows
    ]


@dataclass(frozen=True, slots=True)
class NextInterviewRow:
    application_id: int
    starts_at: datetime
    role: str
    company_name: str


def next_interview_row(*, user_id: int, now: datetime) -> Reads[NextInterviewRow | None]:
    """The earliest interview still to come of the user's open applications, if any."""
    interviews, applications = Interview._meta.db_table, Application._meta.db_table
    companies = Company._meta.db_table
    sql = f"""
SELECT i.application_id, i.starts_at, a.role, co.name
FROM {interviews} i
JOIN {applications} a ON a.id = i.application_id
JOIN {companies} co ON co.id = a.company_id
WHERE a.user_id = %(user)s AND a.stage <> {_CLOSED} AND i.starts_at > %(now)s
ORDER BY i.starts_at, i.id
LIMIT 1
"""  # noqa: S608 - only the models' table names and placeholders are written in
    params = {
        "user": user_id,
        "now": connection.ops.adapt_datetimefield_value(now),
    }
    return Reads.one(sql, params, _next_interview_row)


def _next_interview_row(rows: list[tuple]) -> NextInterviewRow | None:
    if not rows:
        return None
    row = rows[0]
    return NextInterviewRow(row[0], utc_moment(row[1]), row[2], row[3])


# --- The notices ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoticeRow:
    pk: int
    direction: str
    subject: str
    occurred_at: datetime
    delivery: str
    delivery_detail: str
    application_id: int
    role: str
    company_id: int
    company_name: str
    contact_id: int | None
    contact_name: str | None
    contact_email: str | None


def notice_rows(*, user_id: int, bounced_since: datetime) -> Reads[list[NoticeRow]]:
    """The dashboard's two notices in one query, newest first: the emails that bounced or
    were marked as spam since ``bounced_since`` (as ``outreach.selectors.bounced_outreaches``)
    and the replies kept while the account was inactive (as
    ``replies_received_while_inactive``). Nearly always none: written out here, the query
    costs a tenth of the ORM's compiling of those two querysets' union."""
    params: dict = {
        "user": user_id,
        "bounced_since": connection.ops.adapt_datetimefield_value(bounced_since),
        "kept": True,
    }
    outreach, contacts = Outreach._meta.db_table, Contact._meta.db_table
    applications, companies = Application._meta.db_table, Company._meta.db_table
    sql = f"""
SELECT o.id, o.direction, o.subject, o.occurred_at, o.delivery, o.delivery_detail,
  o.application_id, a.role, a.company_id, co.name, o.contact_id, c.name, c.email
FROM {outreach} o
JOIN {applications} a ON a.id = o.application_id
JOIN {companies} co ON co.id = a.company_id
LEFT JOIN {contacts} c ON c.id = o.contact_id
WHERE o.user_id = %(user)s AND (
  (o.direction = {_OUTGOING} AND o.delivery IN ({_BOUNCES})
    AND o.occurred_at >= %(bounced_since)s)
  OR (o.direction = {_INCOMING} AND o.received_while_inactive = %(kept)s)
)
ORDER BY o.occurred_at DESC, o.id DESC
"""  # noqa: S608 - only the models' table names and placeholders are written in
    return Reads.one(sql, params, _notice_rows)


def _notice_rows(rows: list[tuple]) -> list[NoticeRow]:
    return [NoticeRow(*row[:3], utc_moment(row[3]), *row[4:]) for row in rows]  # type: ignore[misc]
