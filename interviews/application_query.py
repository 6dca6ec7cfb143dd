"""The people of an application's page (its interviewers, and whom its follow-up panel
offers), in one hand-written query.

Built with the ORM (a filter across the interviewers' join, two annotations reusing it),
the read cost some 1.5 ms of processor time to assemble and compile, several times what
the database takes to answer it. The same read written out once here runs on PostgreSQL
and SQLite alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection

from interviews.models import Contact, Interview

_PEOPLE_SQL = f"""
SELECT c.id, c.user_id, c.name, c.job_title, ii.interview_id, i.application_id
FROM {Contact._meta.db_table} c
LEFT JOIN {Interview.interviewers.through._meta.db_table} ii ON ii.contact_id = c.id
LEFT JOIN {Interview._meta.db_table} i ON i.id = ii.interview_id
WHERE i.application_id = %(application)s
  OR (c.user_id = %(user)s AND c.company_id = %(company)s)
ORDER BY c.name, c.id, ii.interview_id
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
    with connection.cursor() as cursor:
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
