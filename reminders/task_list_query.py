"""The task list's rows, and an application's open tasks for its follow-up panel, in
hand-written queries.

Built with the ORM, the overview took two queries (each group's first tasks, numbered by a
window, and the recently done), and compiling them and turning fifty rows into four model
instances each cost more processor time than the rest of the page together. The same reads
as one statement, written once here, come back as plain rows. It runs on PostgreSQL and
SQLite alike (window functions, nothing else), and the tests run it on both.

1. One branch per group shown (overdue: due before now; today: before the user's midnight;
   upcoming: later): its tasks shown, in due order, numbered; and the groups' counts.
2. On the overview, a branch of the recently done, newest first.
3. The rows of all branches, with their application's role, company name and contact's
   name joined in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db import connection

from followup_site.raw_sql import constants, planned_cursor, utc_moment
from interviews.models import Application, Company, Contact
from reminders.models import Reminder
from reminders.titles import task_title

_KIND_LABELS = dict(Reminder.Kind.choices)
_STATE_LABELS = dict(Reminder.State.choices)
# The group name of the recently done rows; ranked after the open groups' names.
DONE = "~done"
# The choice values the statements name, written in as constants (see planned_cursor): the
# open and done tasks' partial indexes (reminders/0011) can then serve the one plan
# PostgreSQL keeps for any values.
_OPEN_STATES = constants(Reminder.OPEN_STATES)
_DONE_STATES = constants((Reminder.State.DONE, Reminder.State.SKIPPED))
_DONE_LABEL = constants([DONE])
# What a task row shows (``r`` the task, ``c`` its contact), in the order _task reads it.
_TASK_COLUMNS = (
    "r.id, r.kind, r.state, r.custom_title, r.due_at, r.notify_at, r.notified_at, "
    "r.completed_at, r.last_error, r.contact_id, c.name"
)


class TaskCompany(NamedTuple):
    name: str


class TaskApplication(NamedTuple):
    pk: int
    role: str
    company: TaskCompany


class TaskContact(NamedTuple):
    pk: int
    name: str


@dataclass(slots=True)
class TaskRow:
    """A task as a list shows it: the Reminder fields a task row reads (task_rows.py, the
    email line, the snoozes), under the same names, so that they render it as a Reminder."""

    pk: int
    kind: str
    state: str
    custom_title: str
    due_at: datetime
    notify_at: datetime | None
    notified_at: datetime | None
    completed_at: datetime | None
    last_error: str
    application: TaskApplication | Application | None
    contact: TaskContact | None
    email_line: str = ""
    snoozes: list = field(default_factory=list)

    @property
    def application_id(self) -> int | None:
        return self.application.pk if self.application is not None else None

    @property
    def contact_id(self) -> int | None:
        return self.contact.pk if self.contact is not None else None

    @property
    def title(self) -> str:
        return task_title(
            kind=self.kind,
            contact_name=self.contact.name if self.contact is not None else None,
            custom_title=self.custom_title,
        )

    @property
    def is_open(self) -> bool:
        return self.state in Reminder.OPEN_STATES

    def get_kind_display(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)

    def get_state_display(self) -> str:
        return _STATE_LABELS.get(self.state, self.state)


@dataclass(frozen=True, slots=True)
class ShownTask:
    """One row of :func:`task_list_rows`: the task, its group and the group's open count
    (0 for a done task)."""

    group: str
    group_count: int
    task: TaskRow


def group_branch(
    *,
    label: str,
    columns: str,
    source: str,
    condition: str,
    order: str,
    limit: str,
    offset: str = "0",
) -> str:
    """One group's branch of a UNION ALL of tasks in groups (the task list, the Today strip):
    ``columns`` of the first ``limit`` rows after ``offset`` of ``source`` (``r``, with its
    WHERE) that meet ``condition``, in ``order`` (its columns written ``{t}.due_at``), as
    ``t.*``, then the group's ``label`` and each row's ``position`` in the group. Every
    argument is SQL text: names and placeholders.

    The LIMIT lets an index in that order stop after the rows shown, and tells the planner
    how few they are; a window's "rank <= n" does neither: every row of every group is read,
    sorted and joined."""
    return f"""
  SELECT t.*, {label} AS task_group,
    ROW_NUMBER() OVER (ORDER BY {order.format(t="t")}) + {offset} AS position
  FROM (
    SELECT {columns} FROM {source} AND {condition}
    ORDER BY {order.format(t="r")} LIMIT {limit} OFFSET {offset}
  ) t"""  # noqa: S608 - names and placeholders only


def group_counts(*, source: str, groups: dict[str, str]) -> tuple[str, str]:
    """How many rows of ``source`` (``r``, with its WHERE) each of ``groups`` (name: SQL
    condition) holds, in one pass (a CTE ``counts``, by the index alone where it covers the
    conditions), and the expression that reads the count of a row's ``task_group`` from
    it (0 for another group). The names, fixed words of the code, are written in as
    :func:`~followup_site.raw_sql.constants` (a branch's ``label`` must be written the same).

    Counting each group in its own subquery answered as fast but took twice the planning:
    every mention of the tasks table has its thirteen indexes weighed."""
    counts, cases = [], []
    for position, (name, condition) in enumerate(groups.items()):
        counts.append(f"COUNT(CASE WHEN {condition} THEN 1 END) AS n{position}")
        cases.append(f"WHEN {constants([name])} THEN counts.n{position}")
    cte = f"counts AS (SELECT {', '.join(counts)} FROM {source})"  # noqa: S608
    return cte, f"CASE task_group {' '.join(cases)} ELSE 0 END"


# The open groups and the due times each holds: before now, before the user's midnight, later.
_GROUP_BOUNDS = {
    "overdue": "r.due_at < %(now)s",
    "today": "r.due_at >= %(now)s AND r.due_at < %(end)s",
    "upcoming": "r.due_at >= %(end)s",
}
# A task's own columns each branch reads (``r`` the task), so that no branch joins the
# tasks again: the outer query reads them under the same alias.
_OWN_COLUMNS = (
    "r.id, r.kind, r.state, r.custom_title, r.due_at, r.notify_at, r.notified_at, "
    "r.completed_at, r.last_error, r.contact_id, r.application_id"
)
# Tasks in due order: the order of every open group (and of its index).
_DUE_ORDER = "{t}.due_at, {t}.id"


def task_list_rows(
    *,
    user_id: int,
    now: datetime,
    end_of_today: datetime,
    first: int = 0,
    group: str | None = None,
    start: int = 0,
    stop: int = 0,
    done_since: datetime | None = None,
    done_limit: int = 0,
) -> list[ShownTask]:
    """The task list's rows in one query, each group's in due order, then the done ones.

    The first ``first`` tasks of each group, or those of ``group`` numbered ``start`` + 1 to
    ``stop``; and, with ``done_since``, the last ``done_limit`` tasks done or skipped since
    then. Every value goes in as a parameter; the text holds only the models' table names,
    the placeholders and the states' and groups' names (constants, so that PostgreSQL's one
    plan for any values reads the partial indexes of open and done tasks).

    Each group is its own branch: the tasks in its range of due times, in due order, as many
    as shown (a LIMIT the open-tasks index by user and due time answers after reading those
    rows, reminders/0011), numbered; the groups' counts are one pass of that index alone.
    Numbering and counting every open task by windows, then joining the tasks again for the
    few shown, read and sorted them all: three times the database time.
    """
    adapt = connection.ops.adapt_datetimefield_value
    params: dict = {
        "user": user_id,
        "now": adapt(now),
        "end": adapt(end_of_today),
        "first": first,
        "start": start,
        "rows": stop - start,
        "done_since": adapt(done_since) if done_since is not None else None,
        "done_limit": done_limit,
    }
    reminders, contacts = Reminder._meta.db_table, Contact._meta.db_table
    applications, companies = Application._meta.db_table, Company._meta.db_table
    open_tasks = f"{reminders} r WHERE r.user_id = %(user)s AND r.state IN ({_OPEN_STATES})"
    if group is None:
        shown = {name: ("%(first)s", "0") for name in _GROUP_BOUNDS}
    else:
        shown = {group: ("%(rows)s", "%(start)s")}
    counts, group_count = group_counts(source=open_tasks, groups=_GROUP_BOUNDS)
    branches = [
        group_branch(
            label=constants([name]),
            columns=_OWN_COLUMNS,
            source=open_tasks,
            condition=_GROUP_BOUNDS[name],
            order=_DUE_ORDER,
            limit=limit,
            offset=offset,
        )
        for name, (limit, offset) in shown.items()
    ]
    if done_since is not None:
        branches.append(
            group_branch(
                label=_DONE_LABEL,
                columns=_OWN_COLUMNS,
                source=f"{reminders} r WHERE r.user_id = %(user)s",
                condition=f"r.state IN ({_DONE_STATES}) AND r.completed_at >= %(done_since)s",
                order="{t}.completed_at DESC, {t}.id DESC",
                limit="%(done_limit)s",
            )
        )
    union = "\n  UNION ALL".join(branches)
    sql = f"""
WITH {counts}
SELECT r.task_group, {group_count}, r.application_id, a.role, co.name, {_TASK_COLUMNS}
FROM ({union}
) r
CROSS JOIN counts
LEFT JOIN {applications} a ON a.id = r.application_id
LEFT JOIN {companies} co ON co.id = a.company_id
LEFT JOIN {contacts} c ON c.id = r.contact_id
ORDER BY r.task_group, r.position
"""  # noqa: S608 - only the models' table names and placeholders are written in
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_shown(row) for row in rows]


def _shown(row: tuple) -> ShownTask:
    group, group_count, application_id, role, company_name = row[:5]
    application = (
        TaskApplication(application_id, role, TaskCompany(company_name))
        if application_id is not None
        else None
    )
    return ShownTask(group, group_count, _task(row[5:], application))


def _task(row: tuple, application: TaskApplication | Application | None) -> TaskRow:
    """The TaskRow of the _TASK_COLUMNS of a row, about ``application``."""
    (pk, kind, state, custom_title, due_at, notify_at, notified_at, completed_at, last_error,
     contact_id, contact_name) = row  # fmt: skip
    return TaskRow(
        pk=pk,
        kind=kind,
        state=state,
        custom_title=custom_title,
        due_at=utc_moment(due_at),
        notify_at=utc_moment(notify_at),
        notified_at=utc_moment(notified_at),
        completed_at=utc_moment(completed_at),
        last_error=last_error,
        application=application,
        contact=TaskContact(contact_id, contact_name) if contact_id is not None else None,
    )


def application_task_rows(*, user_id: int, application: Application) -> list[TaskRow]:
    """The open tasks of ``application``, in due order, for its follow-up panel: the
    application (and its company) is at hand, so only the contact's name is joined in."""
    params: dict = {"user": user_id, "application": application.pk}
    sql = f"""
SELECT {_TASK_COLUMNS}
FROM {Reminder._meta.db_table} r
LEFT JOIN {Contact._meta.db_table} c ON c.id = r.contact_id
WHERE r.user_id = %(user)s AND r.application_id = %(application)s
  AND r.state IN ({_OPEN_STATES})
ORDER BY r.due_at, r.id
"""  # noqa: S608 - only the models' table names and placeholders are written in
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
        return [_task(row, application) for row in cursor.fetchall()]
