"""One interview with what its page shows of it (its application and company, its
interviewers and its notes), read by two hand-written queries: the interview page.

Built with the ORM (``select_related`` and two ``Prefetch`` reads), the read cost some 6,000
function calls to assemble, compile and turn back into instances, more processor time than
the database takes to answer it, and one query more: the interviewers come here joined to
the interview's own row. The instances are the ORM's own (``ModelColumns``), so the page and
``selectors.interview_summary`` read them as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.http import Http404

from followup_site.ids import id_or_none
from followup_site.raw_sql import ModelColumns, build_instances, planned_cursor
from interviews.models import Application, Company, Contact, Interview, Note
from interviews.selectors import InterviewSummary, interview_summary

_INTERVIEW = ModelColumns(Interview, "i")
_APPLICATION = ModelColumns(Application, "a")
_COMPANY = ModelColumns(Company, "co")
_CONTACT = ModelColumns(Contact, "c")
_NOTE = ModelColumns(Note, "n")
_SAT_IN = Interview.interviewers.through._meta.db_table

# One row per interviewer, in the order the page lists them (as the ORM's prefetch: by name,
# then id); one row with no contact for an interview without interviewers.
_INTERVIEW_SQL = f"""
SELECT {_INTERVIEW.sql}, {_APPLICATION.sql}, {_COMPANY.sql}, {_CONTACT.sql}
FROM {Interview._meta.db_table} i
JOIN {Application._meta.db_table} a ON a.id = i.application_id
JOIN {Company._meta.db_table} co ON co.id = a.company_id
LEFT JOIN {_SAT_IN} t ON t.interview_id = i.id
LEFT JOIN {Contact._meta.db_table} c ON c.id = t.contact_id
WHERE a.user_id = %(user)s AND i.id = %(pk)s
ORDER BY c.name, c.id
"""  # noqa: S608 - only the models' table and column names and placeholders are written in

# Note's own order (Meta.ordering), as the ORM's prefetch reads them.
_NOTES_SQL = f"""
SELECT {_NOTE.sql}
FROM {Note._meta.db_table} n
WHERE n.interview_id = %(interview)s
ORDER BY n.created_at, n.id
"""  # noqa: S608 - as above


def _rows(sql: str, *, user_id: int, pk: object) -> list[tuple]:
    """The rows of a read of the user's row ``pk``; Http404 for none."""
    if id_or_none(pk) is None:  # a number no row can have (the ORM's lookups find none)
        raise Http404("No such row.")
    with planned_cursor() as cursor:  # each read planned once per connection
        cursor.execute(sql, {"user": user_id, "pk": pk})
        rows = cursor.fetchall()
    if not rows:
        raise Http404("No such row.")
    return rows


def interview_page_read(*, user_id: int, pk: object) -> InterviewSummary:
    """The user's interview ``pk`` with its application and company at hand, its notes
    grouped per interviewer and kind (``selectors.interview_summary``). Http404 if the user
    has no such interview."""
    rows = _rows(_INTERVIEW_SQL, user_id=user_id, pk=pk)
    with planned_cursor() as cursor:
        cursor.execute(_NOTES_SQL, {"interview": pk})
        note_rows = cursor.fetchall()
    columns = (_INTERVIEW, _APPLICATION, _COMPANY, _CONTACT)
    interview, application, company, _contact = build_instances(rows[0], columns, connection)
    application.company = company
    interview.application = application
    interviewers = [
        contact
        for row in rows
        if (contact := _CONTACT.build(row[-len(_CONTACT) :], connection)) is not None
    ]
    notes = [_NOTE.build(row, connection) for row in note_rows]
    return interview_summary(interview=interview, interviewers=interviewers, notes=notes)


# --- The interview form ---------------------------------------------------------------------

# Whether contact c sat in on the interview: its own few rows, read by the index on the
# interview (a subquery on i.id instead had PostgreSQL hash every user's interviewers).
_SAT_IN_SOME = f"c.id IN (SELECT t.contact_id FROM {_SAT_IN} t WHERE t.interview_id = %(pk)s)"  # noqa: S608 - as above

# The application and its company, and the people a card offers (``selectors.contact_choices``
# for the company): one row per person, in the select's order; one with no contact for none.
_LOG_FORM_SQL = f"""
SELECT {_APPLICATION.sql}, {_COMPANY.sql}, {_CONTACT.sql}
FROM {Application._meta.db_table} a
JOIN {Company._meta.db_table} co ON co.id = a.company_id
LEFT JOIN {Contact._meta.db_table} c ON c.user_id = a.user_id AND c.company_id = a.company_id
WHERE a.user_id = %(user)s AND a.id = %(pk)s
ORDER BY c.name, c.id
"""  # noqa: S608 - as above

# The same for an interview: the company's people and whoever sat in on it, each marked.
_EDIT_FORM_SQL = f"""
SELECT {_INTERVIEW.sql}, {_APPLICATION.sql}, {_COMPANY.sql}, {_CONTACT.sql}, {_SAT_IN_SOME}
FROM {Interview._meta.db_table} i
JOIN {Application._meta.db_table} a ON a.id = i.application_id
JOIN {Company._meta.db_table} co ON co.id = a.company_id
LEFT JOIN {Contact._meta.db_table} c
  ON c.user_id = a.user_id AND (c.company_id = a.company_id OR {_SAT_IN_SOME})
WHERE a.user_id = %(user)s AND i.id = %(pk)s
ORDER BY c.name, c.id
"""  # noqa: S608 - as above


@dataclass
class InterviewFormRead:
    """What the interview form shows besides what the user types: the application (with its
    company), the interview being edited, and the people its cards offer, as
    ``selectors.contact_choices`` gives them (each marked ``is_interviewer`` when editing)."""

    application: Application
    interview: Interview | None
    contacts: list[Contact]


def log_form_read(*, user_id: int, application_id: object) -> InterviewFormRead:
    """The user's application ``application_id`` and its company's people; Http404 if the
    user has no such application."""
    rows = _rows(_LOG_FORM_SQL, user_id=user_id, pk=application_id)
    application, company, _contact = build_instances(
        rows[0], (_APPLICATION, _COMPANY, _CONTACT), connection
    )
    application.company = company
    start = len(_APPLICATION) + len(_COMPANY)
    contacts = [
        contact for row in rows if (contact := _CONTACT.build(row[start:], connection)) is not None
    ]
    return InterviewFormRead(application=application, interview=None, contacts=contacts)


def edit_form_read(*, user_id: int, interview_id: object) -> InterviewFormRead:
    """The user's interview ``interview_id`` with its application and company, and the
    people its cards offer; Http404 if the user has no such interview."""
    rows = _rows(_EDIT_FORM_SQL, user_id=user_id, pk=interview_id)
    interview, application, company, _contact = build_instances(
        rows[0], (_INTERVIEW, _APPLICATION, _COMPANY, _CONTACT), connection
    )
    application.company = company
    interview.application = application
    start = len(_INTERVIEW) + len(_APPLICATION) + len(_COMPANY)
    contacts = []
    for row in rows:
        contact = _CONTACT.build(row[start:-1], connection)
        if contact is not None:
            contact.is_interviewer = bool(row[-1])
            contacts.append(contact)
    return InterviewFormRead(application=application, interview=interview, contacts=contacts)
