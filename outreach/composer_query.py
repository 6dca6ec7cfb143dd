"""The composer's own reads, each one hand-written query: whom and what an interview's
composer writes to (the interview with its application and company, and the contact), the
open draft a composer page resumes, and the user's own templates.

Built with the ORM (``get_object_or_404`` twice, ``draft_open_key_for``'s filtered
``values_list`` and the templates' ``only``), assembling and compiling these reads cost some
7,000 function calls, more processor time than the database takes to answer them. The
instances built here are the ORM's own (``ModelColumns``), so the page reads them as before.
"""

from __future__ import annotations

from django.db import connection
from django.http import Http404

from followup_site.ids import id_or_none
from followup_site.raw_sql import (
    ModelColumns,
    build_instances,
    constants,
    planned_cursor,
    utc_moment,
)
from interviews.models import Application, Company, Contact, Interview
from outreach.models import Draft, MessageTemplate

_INTERVIEW = ModelColumns(Interview, "i")
_APPLICATION = ModelColumns(Application, "a")
_COMPANY = ModelColumns(Company, "co")
_CONTACT = ModelColumns(Contact, "c")
_CONTACT_COMPANY = ModelColumns(Company, "cc")
# Written in as a constant: these reads are prepared and planned once for any values
# (followup_site.raw_sql.planned_cursor).
_SENT = constants([Draft.SendState.SENT])

# The open drafts a composer page may resume: the user's not sent, to the contact; which
# of them is said by the rule of ``draft_open_key`` (``{which}``); ``{column}`` is what is
# read of the one it picks.
_OPEN_DRAFT = f"""
SELECT d.{{column}} FROM {Draft._meta.db_table} d
WHERE d.user_id = %(user)s AND d.send_state <> {_SENT} AND d.contact_id = {{contact}}
  AND {{which}}
ORDER BY d.updated_at DESC, d.id DESC
LIMIT 1
"""  # noqa: S608 - only the model's table and column names and placeholders are written in

# The contact is joined whatever the interview: a contact of the user's, as contact_get
# reads it, whether or not they sat in (the interview page offers anyone to write to). The
# draft is the one ``draft_open_key`` picks for them and this interview, its pk and template
# key each a subquery in the select list, which an index answers however many drafts there
# are (PostgreSQL would hash a join on it against every draft).
_OPEN_FOR_INTERVIEW = {"contact": "c.id", "which": "d.interview_id = i.id"}
_INTERVIEW_TARGET_SQL = f"""
SELECT {_INTERVIEW.sql}, {_APPLICATION.sql}, {_COMPANY.sql}, {_CONTACT.sql},
  {_CONTACT_COMPANY.sql},
  ({_OPEN_DRAFT.format(column="id", **_OPEN_FOR_INTERVIEW)}),
  ({_OPEN_DRAFT.format(column="template_key", **_OPEN_FOR_INTERVIEW)})
FROM {Interview._meta.db_table} i
JOIN {Application._meta.db_table} a ON a.id = i.application_id
JOIN {Company._meta.db_table} co ON co.id = a.company_id
LEFT JOIN {Contact._meta.db_table} c ON c.id = %(contact)s AND c.user_id = %(user)s
LEFT JOIN {Company._meta.db_table} cc ON cc.id = c.company_id
WHERE i.id = %(interview)s AND a.user_id = %(user)s
"""  # noqa: S608 - only the models' table and column names and placeholders are written in


def interview_target_get(
    *, user_id: int, interview_pk: int, contact_pk: int
) -> tuple[Interview, Contact, tuple[int, str] | None]:
    """The user's interview ``interview_pk`` (its application with the company at hand) and
    their contact ``contact_pk`` (its company at hand), as ``get_object_or_404`` and
    ``contact_get`` give them, and ``draft_open_key``'s answer for them (the open draft to
    the contact about the interview). Http404 if the user has no such interview or contact."""
    if id_or_none(interview_pk) is None:  # a number no row can have
        raise Http404("No such interview.")
    params = {
        "user": user_id,
        "interview": interview_pk,
        "contact": contact_pk,
    }
    with planned_cursor() as cursor:
        cursor.execute(_INTERVIEW_TARGET_SQL, params)
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such interview.")
    columns = (_INTERVIEW, _APPLICATION, _COMPANY, _CONTACT, _CONTACT_COMPANY)
    interview, application, company, contact, contact_company = build_instances(
        row, columns, connection
    )
    if contact is None:
        raise Http404("No such contact.")
    application.company = company
    interview.application = application
    contact.company = contact_company
    draft_pk, template_key = row[-2:]
    return interview, contact, None if draft_pk is None else (draft_pk, template_key)


def draft_open_key(
    *,
    user_id: int,
    contact_id: int,
    application_id: int | None,
    reminder_id: int | None,
    interview_id: int | None,
) -> tuple[int, str] | None:
    """The pk and template key of the open draft ``selectors.draft_open_for`` resumes, by
    the same rules (a task's own draft, else the interview's, else the application's),
    last saved first; None if there is none."""
    params = {"user": user_id, "contact": contact_id}
    if reminder_id is not None:
        which, params["of"] = "d.reminder_id = %(of)s", reminder_id
    elif interview_id is not None:
        which, params["of"] = "d.interview_id = %(of)s", interview_id
    elif application_id is not None:
        which, params["of"] = "d.application_id = %(of)s", application_id
    else:
        which = "d.reminder_id IS NULL AND d.interview_id IS NULL"
    sql = f"""
SELECT d.id, d.template_key FROM {Draft._meta.db_table} d
WHERE d.id = ({_OPEN_DRAFT.format(column="id", contact="%(contact)s", which=which)})
"""  # noqa: S608 - only the model's table and column names and placeholders are written in
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1])


_TEMPLATES_SQL = f"""
SELECT t.id, t.name, t.occasion, t.subject, t.body, t.updated_at
FROM {MessageTemplate._meta.db_table} t
WHERE t.user_id = %(user)s
ORDER BY t.occasion, t.name, t.id
"""  # noqa: S608 - only the model's table and column names and placeholders are written in


def own_templates(*, user_id: int) -> list[tuple]:
    """The user's own templates in their model's order, as ``(key, name, occasion, subject,
    body, updated_at)``: what a template choice holds of one."""
    with planned_cursor() as cursor:
        cursor.execute(_TEMPLATES_SQL, {"user": user_id})
        rows = cursor.fetchall()
    return [
        (f"user:{pk}", name, occasion, subject, body, utc_moment(updated_at))
        for pk, name, occasion, subject, body, updated_at in rows
    ]
