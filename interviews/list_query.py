"""The rows of the applications and contacts lists, one page at a time, in hand-written
queries.

Built with the ORM, each page's rows (a join, a grouped count and an ordering by a computed
column) cost more processor time to assemble, compile and turn into two model instances a
row than the database took to answer. The same reads written out once here come back as
plain rows, in the lists' order; the applications' with their total for the pager (the
contacts' are counted by :func:`interviews.selectors.contacts_of`). They run on
PostgreSQL and SQLite alike, and the tests run them on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db import connection

from followup_site.raw_sql import constants, planned_cursor, utc_moment
from interviews.models import Application, Company, Contact, Interview

_STAGE_LABELS = dict(Application.Stage.choices)
_CLOSED_REASON_LABELS = dict(Application.ClosedReason.choices)


class RowCompany(NamedTuple):
    name: str


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    """An application as its list row shows it, under the Application fields' names."""

    pk: int
    role: str
    stage: str
    closed_reason: str
    company: RowCompany
    interview_count: int
    next_interview_at: datetime | None

    def get_stage_display(self) -> str:
        return _STAGE_LABELS.get(self.stage, self.stage)

    def get_closed_reason_display(self) -> str:
        return _CLOSED_REASON_LABELS.get(self.closed_reason, self.closed_reason)


class ApplicationPage(NamedTuple):
    """One page of the applications list, and how many applications the list has."""

    rows: list[ApplicationRow]
    count: int


_CLOSED = constants([Application.Stage.CLOSED])


def _applications_sql(stage: str) -> str:
    """The list's read for one stage ("" for all). Open applications first, then the most
    recently active; with the list's total (read once, not a query of its own for the pager).

    Prepared and planned once per connection (followup_site.raw_sql.planned_cursor), one
    statement per stage: the stage is written in as a constant, so that the plan is made for
    it rather than for "this stage, or any" (a parameter the generic plan cannot fold)."""
    # The applications of the list: the user's, of that stage or all.
    listed = "a.user_id = %(user)s" + (f" AND a.stage = {constants([stage])}" if stage else "")
    return f"""
SELECT a.id, a.role, a.stage, a.closed_reason, co.name,
  (SELECT COUNT(*) FROM {Interview._meta.db_table} i WHERE i.application_id = a.id),
  (SELECT MIN(i.starts_at) FROM {Interview._meta.db_table} i
   WHERE i.application_id = a.id AND i.starts_at > %(now)s),
  (SELECT COUNT(*) FROM {Application._meta.db_table} a WHERE {listed})
FROM {Application._meta.db_table} a
JOIN {Company._meta.db_table} co ON co.id = a.company_id
WHERE {listed}
ORDER BY CASE WHEN a.stage = {_CLOSED} THEN 1 ELSE 0 END, a.updated_at DESC, a.id DESC
LIMIT %(limit)s OFFSET %(offset)s
"""  # noqa: S608 - only the models' table names, constants and placeholders are written in


_APPLICATIONS_SQL = {stage: _applications_sql(stage) for stage in ["", *Application.Stage.values]}


def application_list_rows(
    *, user_id: int, stage: str, offset: int, limit: int, now: datetime
) -> ApplicationPage:
    """``limit`` of the user's applications (of ``stage``, or all for ""), from ``offset`` in
    the list's order, each with its company's name, how many interviews it has and the
    earliest one still to come; and how many the list has (0 if the page has no rows)."""
    params = {
        "user": user_id,
        "limit": limit,
        "offset": offset,
        "now": connection.ops.adapt_datetimefield_value(now),
    }
    with planned_cursor() as cursor:
        cursor.execute(_APPLICATIONS_SQL[stage], params)
        rows = cursor.fetchall()
    page = [
        ApplicationRow(
            pk=pk,
            role=role,
            stage=stage,
            closed_reason=closed_reason,
            company=RowCompany(company_name),
            interview_count=interview_count,
            next_interview_at=utc_moment(next_interview_at),
        )
        for (
            pk,
            role,
            stage,
            closed_reason,
            company_name,
            interview_count,
            next_interview_at,
            _count,
        ) in rows
    ]
    return ApplicationPage(page, rows[0][-1] if rows else 0)


@dataclass(frozen=True, slots=True)
class ContactRow:
    """A contact as its list row shows it, under the Contact fields' names."""

    pk: int
    name: str
    job_title: str
    company: RowCompany | None
    interview_count: int


_INTERVIEWERS_TABLE = Interview.interviewers.through._meta.db_table

# In name order, as selectors' contacts_of.
_CONTACTS_SQL = f"""
SELECT c.id, c.name, c.job_title, co.name,
  (SELECT COUNT(*) FROM {_INTERVIEWERS_TABLE} s WHERE s.contact_id = c.id)
FROM {Contact._meta.db_table} c
LEFT JOIN {Company._meta.db_table} co ON co.id = c.company_id
WHERE c.user_id = %(user)s
ORDER BY c.name, c.id
LIMIT %(limit)s OFFSET %(offset)s
"""  # noqa: S608 - only the models' table names and placeholders are written in


def contact_list_rows(*, user_id: int, offset: int, limit: int) -> list[ContactRow]:
    """``limit`` of the user's contacts, from ``offset`` in name order, each with its
    company's name and how many interviews they sat in."""
    params = {"user": user_id, "limit": limit, "offset": offset}
    with planned_cursor() as cursor:
        cursor.execute(_CONTACTS_SQL, params)
        rows = cursor.fetchall()
    return [
        ContactRow(
            pk=pk,
            name=name,
            job_title=job_title,
            company=RowCompany(company_name) if company_name is not None else None,
            interview_count=interview_count,
        )
        for pk, name, job_title, company_name, interview_count in rows
    ]
