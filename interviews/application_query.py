"""An application's page's own reads, written out in SQL: its people (its interviewers,
and whom its follow-up panel offers) in one query, its interviews with their notes in
another.

Built with the ORM (a filter across the interviewers' join with two annotations reusing
it; the interviews with their notes prefetched), each read cost 1.5 to 2 ms of processor
time to assemble and compile, several times what the database takes to answer it. The same
reads written out once here run on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from followup_site.raw_sql import planned_cursor, utc_moment
from interviews.models import Contact, Interview, Note
from interviews.selectors import InterviewSummary, interview_summary

# Its interviewers, then the company's contacts with each of their interviews (or none): two
# reads the indexes answer, where one filter on either across the LEFT JOINs read every
# contact and interviewer of the user. The union drops the rows both find; (contact,
# interview) pairs are unique, so no other row.
_PEOPLE_SQL = f"""
SELECT c.id, c.user_id, c.name, c.job_title, ii.interview_id, i.application_id
FROM {Interview._meta.db_table} i
JOIN {Interview.interviewers.through._meta.db_table} ii ON ii.interview_id = i.id
JOIN {Contact._meta.db_table} c ON c.id = ii.contact_id
WHERE i.application_id = %(application)s
UNION
SELECT c.id, c.user_id, c.name, c.job_title, ii.interview_id, i.application_id
FROM {Contact._meta.db_table} c
LEFT JOIN {Interview.interviewers.through._meta.db_table} ii ON ii.contact_id = c.id
LEFT JOIN {Interview._meta.db_table} i ON i.id = ii.interview_id
WHERE c.user_id = %(user)s AND c.company_id = %(company)s
ORDER BY 3, 1, 5
"""  # noqa: S608 - only the models' table names and placeholders are written in


class Person(NamedTuple):
    """A contact as the application page shows it (with a link to them) and as its panel's
    selects offer it: the Contact fields read, under the same names."""

    pk: int
    name: str
    job_title: str


@dataclass
class ApplicationPeople:
    """What one query tells of an application's people: the interviewers of each of its
    interviews, and the user's people one can follow up with (see
    ``reminders.selectors.application_contacts``), both in (name, pk) order."""

    interviewers: dict[int, list[Person]]
    contacts: list[Person]


def application_people(*, user_id: int, application_id: int, company_id: int) -> ApplicationPeople:
    """The application page's interviewers and follow-up contacts: a row is a person and one
    of their interviews, of this application (an interviewer) or of any (a contact of the
    company), or none."""
    params = {"application": application_id, "user": user_id, "company": company_id}
    with planned_cursor() as cursor:
        cursor.execute(_PEOPLE_SQL, params)
        rows = cursor.fetchall()
    interviewers: dict[int, list[Person]] = {}
    contacts: list[Person] = []
    for pk, owner_id, name, job_title, interview_id, interview_application_id in rows:
        person = Person(pk, name, job_title)
        if interview_application_id == application_id:
            interviewers.setdefault(interview_id, []).append(person)
        if owner_id == user_id and (not contacts or contacts[-1].pk != pk):
            contacts.append(person)
    return ApplicationPeople(interviewers=interviewers, contacts=contacts)


_TIMELINE_SQL = f"""
SELECT i.id, i.starts_at, i.ends_at, i.format, i.location,
  n.id, n.contact_id, n.kind, n.text, n.link, n.follow_up_not_before, n.question,
  n.better_answer
FROM {Interview._meta.db_table} i
LEFT JOIN {Note._meta.db_table} n ON n.interview_id = i.id
WHERE i.application_id = %(application)s
ORDER BY i.starts_at DESC, i.id DESC, n.created_at, n.id
"""  # noqa: S608 - only the models' table names and placeholders are written in

_FORMAT_LABELS = dict(Interview.Format.choices)


@dataclass(frozen=True, slots=True)
class InterviewRow:
    """An interview as the application page shows it (application_html.py): the Interview
    fields it reads, under the same names."""

    pk: int
    application_id: int
    starts_at: datetime
    ends_at: datetime
    format: str
    location: str

    def get_format_display(self) -> str:
        return _FORMAT_LABELS.get(self.format, self.format)


@dataclass(frozen=True, slots=True)
class TimelineNote:
    """A note as the application page shows it (note_html.py): the Note fields it reads,
    under the same names."""

    pk: int
    contact_id: int | None
    kind: str
    text: str
    link: str
    follow_up_not_before: date | None
    question: str
    better_answer: str

    @property
    def is_answer_to_fix(self) -> bool:
        return self.kind == Note.Kind.ANSWER_TO_FIX


def application_timeline(
    *, application_id: int, interviewers: dict[int, list[Person]]
) -> list[InterviewSummary]:
    """The application's interviews, newest first, each with its interviewers (by interview,
    as application_people reads them) and their notes grouped by kind."""
    with planned_cursor() as cursor:
        cursor.execute(_TIMELINE_SQL, {"application": application_id})
        rows = cursor.fetchall()
    interviews: dict[int, tuple[InterviewRow, list[TimelineNote]]] = {}
    for pk, starts_at, ends_at, format_, location, note_pk, *note in rows:
        if pk not in interviews:
            interview = InterviewRow(
                pk, application_id, utc_moment(starts_at), utc_moment(ends_at), format_, location
            )
            interviews[pk] = (interview, [])
        if note_pk is not None:
            interviews[pk][1].append(TimelineNote(note_pk, *note))
    return [
        interview_summary(
            interview=interview, interviewers=interviewers.get(interview.pk, []), notes=notes
        )
        for interview, notes in interviews.values()
    ]
