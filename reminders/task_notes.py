"""The interview notes a task's pages show (the task page's "From your notes", the call
page's talking points), in one hand-written query.

Built with the ORM, the read joined the interview, its application and the contact and
cost a millisecond of processor time to assemble and compile, more than the rows it reads.
The same read written out once here runs on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

from interviews.models import Application, Contact, Interview, Note
from reminders.task_list_query import TaskContact

_KIND_LABELS = dict(Note.Kind.choices)

_NOTES_SQL = f"""
SELECT n.id, n.kind, n.text, n.link, n.follow_up_not_before, n.interview_id, n.contact_id,
  c.name
FROM {Note._meta.db_table} n
JOIN {Interview._meta.db_table} i ON i.id = n.interview_id
JOIN {Application._meta.db_table} a ON a.id = i.application_id
LEFT JOIN {Contact._meta.db_table} c ON c.id = n.contact_id
WHERE a.user_id = %(user)s AND i.application_id = %(application)s
  AND (%(contact)s IS NULL OR n.contact_id = %(contact)s OR n.contact_id IS NULL)
ORDER BY n.created_at, n.id
"""  # noqa: S608 - only the models' table names and placeholders are written in


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A note as these pages show it: the Note fields they read, under the same names."""

    pk: int
    kind: str
    text: str
    link: str
    follow_up_not_before: date | None
    interview_id: int
    contact: TaskContact | None

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
    with connection.cursor() as cursor:
        cursor.execute(_NOTES_SQL, params)
        rows = cursor.fetchall()
    return [
        NoteRow(
            pk=pk,
            kind=kind,
            text=text,
            link=link,
            follow_up_not_before=not_before,
            interview_id=interview_id,
            contact=TaskContact(contact_id, name) if contact_id is not None else None,
        )
        for pk, kind, text, link, not_before, interview_id, contact_id, name in rows
    ]
