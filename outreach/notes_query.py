"""The interview notes about one person of an application, in one hand-written query: what
the task page's "From your notes", the call page's talking points and the composer (its
occasion, merge fields, checklist and snippets) read.

Built with the ORM, the read joined the interview, its application and the contact and
cost a millisecond of processor time to assemble and compile, more than the rows it reads.
The same read written out once here runs on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from followup_site.raw_sql import planned_cursor
from interviews.models import Application, Contact, Interview, Note

_KIND_LABELS = dict(Note.Kind.choices)

_NOTES_SQL = f"""
SELECT n.id, n.kind, n.text, n.link, n.question, n.better_answer, n.follow_up_not_before,
  n.interview_id, n.contact_id, c.name
FROM {Note._meta.db_table} n
JOIN {Interview._meta.db_table} i ON i.id = n.interview_id
JOIN {Application._meta.db_table} a ON a.id = i.application_id
LEFT JOIN {Contact._meta.db_table} c ON c.id = n.contact_id
WHERE a.user_id = %(user)s AND i.application_id = %(application)s
  AND (CAST(%(contact)s AS bigint) IS NULL OR n.contact_id = %(contact)s OR n.contact_id IS NULL)
ORDER BY n.created_at, n.id
"""  # noqa: S608 - only the models' table names and placeholders are written in


class NoteContact(NamedTuple):
    """The person a note is about, as the task page names them."""

    pk: int
    name: str


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A note as these pages show it: the Note fields they read, under the same names."""

    pk: int
    kind: str
    text: str
    link: str
    question: str
    better_answer: str
    follow_up_not_before: date | None
    interview_id: int
    contact: NoteContact | None

    @property
    def contact_id(self) -> int | None:
        return self.contact.pk if self.contact is not None else None

    def get_kind_display(self) -> str:
        return _KIND_LABELS.get(self.kind, self.kind)


def notes_about(*, user_id: int, application_id: int, contact_id: int | None) -> list[NoteRow]:
    """The notes of the application's interviews about this person or about no one in
    particular (every note of the application without a person), oldest first: the rows of
    ``interviews.selectors.notes_about``."""
    params = {"user": user_id, "application": application_id, "contact": contact_id}
    with planned_cursor() as cursor:
        cursor.execute(_NOTES_SQL, params)
        rows = cursor.fetchall()
    return [
        NoteRow(
            pk=pk,
            kind=kind,
            text=text,
            link=link,
            question=question,
            better_answer=better_answer,
            follow_up_not_before=not_before,
            interview_id=interview_id,
            contact=NoteContact(contact_id, name) if contact_id is not None else None,
        )
        for (
            pk,
            kind,
            text,
            link,
            question,
            better_answer,
            not_before,
            interview_id,
            contact_id,
            name,
        ) in rows
    ]
