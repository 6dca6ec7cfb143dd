"""The hand-written reads of the composer, a draft's page, the drafts, an interview and its
forms, the applications and contacts lists and a contact's page, and every page's read of
the session's user, are prepared on PostgreSQL (followup_site.raw_sql.planned_cursor): each
is planned once per connection, for any values, and that generic plan must serve it well.

Planning them cost PostgreSQL more than running them (the composer's four: 2 ms of planning
against 0.6 ms of execution on the bench user). On SQLite the same reads run unprepared;
there the tests pin which of each page's statements are hand-written.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection, transaction
from django.utils import timezone

from interviews.list_query import _APPLICATIONS_SQL
from interviews.models import Application, Note
from outreach.models import Draft, Occasion
from outreach.notes_query import _NOTES_SQL
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    UserFactory,
)
from tests.planning import generic_plan

pytestmark = pytest.mark.django_db

# Each page, and how many of its statements are hand-written (the session's user among them).
PAGES = {
    "composer": ("/outreach/compose/interview/{interview}/?contact={contact}", 5),
    "draft": ("/outreach/drafts/{draft}/", 5),
    "drafts": ("/outreach/drafts/", 2),
    "interview": ("/interviews/{interview}/", 3),
    "interview_new": ("/applications/{application}/interviews/new/", 2),
    "interview_edit": ("/interviews/{interview}/edit/", 2),
    "applications": ("/applications/", 2),
    "applications_of_a_stage": ("/applications/?stage=applied", 2),
    "contacts": ("/contacts/", 2),
    "contact": ("/contacts/{contact}/", 4),
    "settings": ("/accounts/settings/", 1),
}


def _ids(user) -> dict:
    application = ApplicationFactory(user=user)
    ana = ContactFactory(user=user, company=application.company)
    interview = InterviewFactory(application=application)
    interview.interviewers.set([ana])
    NoteFactory(interview=interview, contact=ana, kind=Note.Kind.FOLLOW_UP)
    NoteFactory(interview=interview, contact=None)
    draft = Draft.objects.create(
        user=user, application=application, contact=ana, occasion=Occasion.CHECK_IN
    )
    return {
        "application": application.pk,
        "interview": interview.pk,
        "contact": ana.pk,
        "draft": draft.pk,
    }


def _statements(client, path: str) -> list[str]:
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(path)
    assert response.status_code == 200, path
    return statements


def _plans_made(sql: str) -> tuple[int, int]:
    """How many times PostgreSQL ran the prepared ``sql`` by its generic plan and by a plan
    made for the values (psycopg sends the text with ``$n`` for the placeholders)."""
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))
    text = sql
    for position, name in enumerate(names, start=1):
        text = text.replace(f"%({name})s", f"${position}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(generic_plans), 0), COALESCE(SUM(custom_plans), 0) "
            "FROM pg_prepared_statements WHERE statement = %s",
            [text.replace("%%", "%")],
        )
        return cursor.fetchone()


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_hand_written_reads_are_planned_once_per_connection(name, user, client_for):
    path, hand_written = PAGES[name]
    path = path.format(**_ids(user))
    client = client_for(user)
    client.get(path)

    statements = _statements(client, path)
    # The ORM quotes every name; the hand-written reads name none in quotes.
    written = [sql for sql in statements if '"' not in sql]
    assert len(written) == hand_written, written
    if connection.vendor == "postgresql":
        for sql in written:
            generic, custom = _plans_made(sql)
            assert generic >= 2, sql
            assert custom == 0, sql


def _analyzed(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def test_a_stage_of_the_applications_list_is_read_by_the_users_stage_index():
    """The stage is written in, so the one plan kept for it reads the (user, stage) index
    with both columns; as a parameter ("this stage, or all") it could only filter."""
    users = UserFactory.create_batch(10)
    for user in users:
        ApplicationFactory.create_batch(40, user=user, stage=Application.Stage.APPLIED)
        ApplicationFactory(user=user, stage=Application.Stage.INTERVIEWING)
    index = Application._meta.indexes[0]
    assert index.fields == ["user", "stage"]
    sql = _APPLICATIONS_SQL[Application.Stage.INTERVIEWING]
    params = {"user": users[0].pk, "now": timezone.now(), "limit": 50, "offset": 0}

    with transaction.atomic(), connection.cursor() as cursor:
        _analyzed(Application._meta.db_table)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            plan = generic_plan(sql, params)
            conditions = re.findall(r"Index Cond: (.*)", plan)
            assert any("user_id = $" in c and "'interviewing'" in c for c in conditions), plan
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert re.search(rf"{index.name} \(user_id=\? AND stage=\?\)", plan), plan


def test_the_notes_about_a_person_are_read_through_the_applications_interviews():
    """Whether a person was named is a parameter (``CAST(... ) IS NULL``), which the one
    plan cannot fold: it must still read the notes of the application's interviews by their
    index, not every note."""
    user = UserFactory()
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company)
    for other in UserFactory.create_batch(10):
        for interview in InterviewFactory.create_batch(3, application__user=other):
            NoteFactory.create_batch(5, interview=interview)
    interview = InterviewFactory(application=application)
    NoteFactory(interview=interview, contact=contact)

    with transaction.atomic(), connection.cursor() as cursor:
        _analyzed(Note._meta.db_table, "interviews_interview")
        for about in (contact.pk, None):
            params = {"user": user.pk, "application": application.pk, "contact": about}
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                plan = generic_plan(_NOTES_SQL, params)
                assert "interviews_note_interview_id" in plan, plan
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {_NOTES_SQL}", params)
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                assert not re.search(r"SCAN n\b", plan), plan
