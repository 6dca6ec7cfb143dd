"""What a contact's page shows (the person, the interviews they sat in, what was noted about
them, and whether drafts to them wait), in hand-written queries.

Built with the ORM, the page's four reads, each joining the interview, its application and
company, cost some four milliseconds of processor time to assemble and compile, more than
the rest of the page together; the drafts were read even for the many people who have none.
The same reads written out once here run on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from django.db import connection
from django.http import Http404

from followup_site.ids import id_or_none
from followup_site.raw_sql import ModelColumns, constants, planned_cursor, utc_moment
from followup_site.row_urls import url_for_id
from interviews.models import Application, Company, Contact, Interview, Note
from interviews.selectors import NoteGroup, notes_group_by_kind

_INTERVIEWS = Interview._meta.db_table
_APPLICATIONS = Application._meta.db_table
_COMPANIES = Company._meta.db_table
_INTERVIEWERS = Interview.interviewers.through._meta.db_table
# Drafts belong to outreach, an app above this one that it must not import: the model is
# found through the contact's reverse relation.
_Draft = Contact._meta.get_field("drafts").related_model
_FORMAT_LABELS = dict(Interview.Format.choices)

_CONTACT = ModelColumns(Contact, "c")
# Each read is prepared and planned once per connection (followup_site.raw_sql.planned_cursor);
# the draft state is written in as a constant.
_CONTACT_SQL = f"""
SELECT {_CONTACT.sql}, co.name, EXISTS (
  SELECT 1 FROM {_Draft._meta.db_table} d
  WHERE d.contact_id = c.id AND d.user_id = c.user_id
    AND d.send_state <> {constants([_Draft.SendState.SENT])}
)
FROM {Contact._meta.db_table} c
LEFT JOIN {_COMPANIES} co ON co.id = c.company_id
WHERE c.id = %(pk)s AND c.user_id = %(user)s
"""  # noqa: S608 - only the models' table names and placeholders are written in


def contact_page_get(*, user_id: int, pk: int) -> Contact:
    """The user's contact, or 404, with ``company_name`` ("" without a company) and
    ``has_open_drafts``: whether a draft to them waits to be sent."""
    if id_or_none(pk) is None:  # a number no row can have (the ORM's lookups find none)
        raise Http404("No contact matches the given query.")
    with planned_cursor() as cursor:
        cursor.execute(_CONTACT_SQL, {"pk": pk, "user": user_id})
        row = cursor.fetchone()
    if row is None:
        raise Http404("No contact matches the given query.")
    contact = _CONTACT.build(row[: len(_CONTACT)], connection)
    company_name, has_open_drafts = row[len(_CONTACT) :]
    contact.company_name = company_name or ""
    contact.has_open_drafts = bool(has_open_drafts)
    return contact


class ContactInterview(NamedTuple):
    """An interview a contact sat in, as their page lists it."""

    pk: int
    starts_at: datetime
    format: str
    role: str
    company_name: str

    def get_absolute_url(self) -> str:
        return url_for_id("interviews:interview_detail", self.pk)

    def get_format_display(self) -> str:
        return _FORMAT_LABELS.get(self.format, self.format)


_INTERVIEWS_SQL = f"""
SELECT i.id, i.starts_at, i.format, a.role, co.name
FROM {_INTERVIEWERS} s
JOIN {_INTERVIEWS} i ON i.id = s.interview_id
JOIN {_APPLICATIONS} a ON a.id = i.application_id
JOIN {_COMPANIES} co ON co.id = a.company_id
WHERE s.contact_id = %(contact)s AND a.user_id = %(user)s
ORDER BY i.starts_at DESC, i.id DESC
"""  # noqa: S608 - only the models' table names and placeholders are written in


def contact_interviews(*, contact: Contact) -> list[ContactInterview]:
    """The interviews the contact sat in, newest first."""
    with planned_cursor() as cursor:
        cursor.execute(_INTERVIEWS_SQL, {"contact": contact.pk, "user": contact.user_id})
        rows = cursor.fetchall()
    return [
        ContactInterview(pk, utc_moment(starts_at), format_, role, company_name)
        for pk, starts_at, format_, role, company_name in rows
    ]


class _SourceApplication(NamedTuple):
    company: str


class NoteSource(NamedTuple):
    """The interview a note was written at, as a note's source line names it: its company
    (``application.company``, shown as its name) and date."""

    pk: int
    starts_at: datetime
    application: _SourceApplication

    def get_absolute_url(self) -> str:
        return url_for_id("interviews:interview_detail", self.pk)


class ContactNote(NamedTuple):
    """A note about a contact: the Note fields interviews/note_html.py shows, by name."""

    pk: int
    kind: str
    text: str
    link: str
    follow_up_not_before: date | None
    question: str
    better_answer: str
    interview: NoteSource

    @property
    def is_answer_to_fix(self) -> bool:
        return self.kind == Note.Kind.ANSWER_TO_FIX


_NOTES_SQL = f"""
SELECT n.id, n.kind, n.text, n.link, n.follow_up_not_before, n.question, n.better_answer,
  i.id, i.starts_at, co.name
FROM {Note._meta.db_table} n
JOIN {_INTERVIEWS} i ON i.id = n.interview_id
JOIN {_APPLICATIONS} a ON a.id = i.application_id
JOIN {_COMPANIES} co ON co.id = a.company_id
WHERE n.contact_id = %(contact)s AND a.user_id = %(user)s
ORDER BY i.starts_at, n.created_at, n.id
"""  # noqa: S608 - only the models' table names and placeholders are written in


def contact_note_groups(*, contact: Contact) -> list[NoteGroup]:
    """Everything noted about the contact, across interviews, grouped by kind; in each kind
    in the order of the interviews, then as written."""
    with planned_cursor() as cursor:
        cursor.execute(_NOTES_SQL, {"contact": contact.pk, "user": contact.user_id})
        rows = cursor.fetchall()
    notes = [
        ContactNote(
            pk,
            kind,
            text,
            link,
            not_before,
            question,
            better_answer,
            NoteSource(interview_id, utc_moment(starts_at), _SourceApplication(company_name)),
        )
        for (
            pk,
            kind,
            text,
            link,
            not_before,
            question,
            better_answer,
            interview_id,
            starts_at,
            company_name,
        ) in rows
    ]
    return notes_group_by_kind(notes=notes)
