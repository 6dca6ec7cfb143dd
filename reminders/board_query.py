"""The board's cards, in one hand-written query.

Built with the ORM, the board took four queries (the ranked applications, their next
actions, outreach and drafts), and compiling them cost more processor time than the rest of
the page together. The same reads as one statement, compiled once here, run in a fraction
of that. It runs on PostgreSQL and SQLite alike (window functions, correlated subqueries,
nothing else), and the tests run it on both.

1. ``apps``: the user's applications with their company name, the latest interview that
   has started and what the order sorts by (the next open task's due time, or the latest
   outreach), each a subquery on the application's own rows, by their foreign-key index;
   ``active``: the latest of the last edit, outreach and interview.
2. ``ranked``: each stage's applications numbered in the board's order, and counted.
3. ``kept``: the rows the page shows (see :func:`board_rows`), each with, by subqueries run
   for those rows only, its latest email or call each way, its recent bounces, its open
   drafts and its next action's id.
4. The next action's row and its contact's name, joined by that id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils.dateparse import parse_datetime

from interviews.models import Application, Company, Contact, Interview
from outreach.models import Draft, Outreach
from reminders.models import Reminder

# What each order sorts a column by; ties, like the ORM's, by the most recent edit.
_ORDER_BY = {
    # Overdue next actions come first on their own: they are due before now.
    "next": "next_due_at IS NULL, next_due_at, updated_at DESC, id DESC",
    "activity": "last_activity_at DESC, id DESC",
    "company": "LOWER(company_name), LOWER(role), id",
}
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


def _aware(value: datetime | str | None) -> datetime | None:
    """A datetime read from the database, in UTC. PostgreSQL gives aware datetimes; SQLite
    naive ones in UTC for a table's column, UTC text for a computed one."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _placeholders(name: str, values: Iterable[str], params: dict) -> str:
    """``%(name0)s, %(name1)s, ...`` for an IN list, its values added to ``params``."""
    names = []
    for index, value in enumerate(values):
        params[f"{name}{index}"] = value
        names.append(f"%({name}{index})s")
    return ", ".join(names) or "NULL"


def board_rows(
    *,
    user_id: int,
    now: datetime,
    order: str,
    limit: int,
    shown: frozenset[str],
    moved: int | None,
    bounce_days: int,
) -> list[BoardRow]:
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
        "closed": Application.Stage.CLOSED,
        "incoming": Outreach.Direction.INCOMING,
        "outgoing": Outreach.Direction.OUTGOING,
        "sent": Draft.SendState.SENT,
    }
    open_states = _placeholders("state", Reminder.OPEN_STATES, params)
    shown_stages = _placeholders("shown", sorted(shown), params)
    bounces = _placeholders(
        "delivery", (Outreach.Delivery.BOUNCED, Outreach.Delivery.COMPLAINED), params
    )
    applications, companies = Application._meta.db_table, Company._meta.db_table
    interviews, reminders = Interview._meta.db_table, Reminder._meta.db_table
    outreach, drafts = Outreach._meta.db_table, Draft._meta.db_table
    contacts = Contact._meta.db_table
    # Each order computes, for every application, only what it sorts by.
    next_due = (
        f"(SELECT MIN(r.due_at) FROM {reminders} r "  # noqa: S608 - names from the models
        f"WHERE r.application_id = a.id AND r.state IN ({open_states}))"
        if order == "next"
        else "NULL"
    )
    last_outreach = (
        f"(SELECT MAX(o.occurred_at) FROM {outreach} o WHERE o.application_id = a.id)"  # noqa: S608
        if order == "activity"
        else "NULL"
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
        f"SELECT r.id FROM {reminders} r WHERE r.application_id = ranked.id "  # noqa: S608
        f"AND r.state IN ({open_states}) ORDER BY r.due_at, r.id LIMIT 1"
    )
    sql = f"""
WITH apps AS (
  SELECT a.id, a.stage, a.closed_reason, a.role, a.updated_at, c.name AS company_name,
    (SELECT MAX(i.starts_at) FROM {interviews} i
      WHERE i.application_id = a.id AND i.starts_at <= %(now)s) AS last_interview_at,
    {next_due} AS next_due_at,
    {last_outreach} AS last_outreach_at
  FROM {applications} a JOIN {companies} c ON c.id = a.company_id
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
  kept.last_interview_at, kept.stage_count, kept.last_in, kept.last_out, kept.bounced,
  kept.open_drafts, na.id, na.kind, na.custom_title, na.contact_id, nc.name, na.due_at
FROM (
  SELECT ranked.*,
    (SELECT MAX(o.occurred_at) FROM {outreach} o
      WHERE o.application_id = ranked.id AND o.direction = %(incoming)s) AS last_in,
    (SELECT MAX(o.occurred_at) FROM {outreach} o
      WHERE o.application_id = ranked.id AND o.direction = %(outgoing)s) AS last_out,
    (SELECT COUNT(*) FROM {outreach} o
      WHERE o.application_id = ranked.id AND o.direction = %(outgoing)s
        AND o.delivery IN ({bounces}) AND o.occurred_at >= %(bounced_since)s) AS bounced,
    (SELECT COUNT(*) FROM {drafts} d
      WHERE d.application_id = ranked.id AND d.send_state <> %(sent)s) AS open_drafts,
    ({next_task}) AS next_action_id
  FROM ranked
  WHERE ranked.position <= CASE
    WHEN ranked.stage IN ({shown_stages}) OR ranked.id = %(moved)s THEN %(everything)s
    WHEN ranked.stage = %(closed)s THEN 1
    ELSE %(limit)s
  END
) kept
LEFT JOIN {reminders} na ON na.id = kept.next_action_id
LEFT JOIN {contacts} nc ON nc.id = na.contact_id
ORDER BY kept.position, kept.id
"""  # noqa: S608 - only the models' table names, placeholders and _ORDER_BY are written in
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        BoardRow(
            pk=row[0],
            stage=row[1],
            closed_reason=row[2],
            company_name=row[3],
            role=row[4],
            last_interview_at=_aware(row[5]),
            stage_count=row[6],
            last_in=_aware(row[7]),
            last_out=_aware(row[8]),
            bounced=row[9],
            open_drafts=row[10],
            action_pk=row[11],
            action_kind=row[12],
            action_custom_title=row[13],
            action_contact_id=row[14],
            action_contact_name=row[15],
            action_due_at=_aware(row[16]),
        )
        for row in rows
    ]
