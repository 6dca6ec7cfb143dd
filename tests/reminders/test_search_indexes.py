"""The search's full-text match can use its GIN indexes on PostgreSQL (and SQLite has none).

Migration reminders.0008 creates one expression index per kind, and 0010 moves the ranked
kinds' to a stored document column; the search writes the same expression (or reads that
column) in its queries (reminders.search.kind_sql, the page's own SQL). If the two drift
apart, the planner silently falls back to reading every row: EXPLAIN catches that. Sequential
scans and plain index scans are switched off for the EXPLAIN so that the plan shows whether
the GIN index *can* serve the query (it is read by a bitmap scan), whatever the table's size
and statistics here.

The plan checked is the one the page keeps: its statements are prepared (planned_cursor) and
PostgreSQL plans each once for any values, the words searched for among them, so the match
must be able to use the index without knowing them.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from interviews.models import Application, Company, Contact, Note
from outreach.models import Draft, Occasion, Outreach
from reminders.search import kind_sql
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    OutreachFactory,
    UserFactory,
)
from tests.planning import generic_plan

pytestmark = pytest.mark.django_db

# index -> (model, the kind whose query reads it): companies are found by the applications'.
INDEXES = {
    "search_company_idx": (Company, "application"),
    "search_application_idx": (Application, "application"),
    "search_contact_idx": (Contact, "contact"),
    "search_note_idx": (Note, "note"),
    "search_outreach_idx": (Outreach, "outreach"),
    "search_draft_idx": (Draft, "draft"),
}


def explain(kind: str, user, *tables: str, scope: list[int] | None = None) -> str:
    """The plan the page keeps for its query of ``kind`` (within the applications ``scope``
    lists, if given), where the GIN index is the only way in."""
    sql, params = kind_sql(kind, user_id=user.pk, query="kubernetes", scope=scope)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
        # Rows just inserted wait in a GIN index's pending list until a vacuum moves them in,
        # and while they wait the planner prices the index above a walk of the user's rows
        # by their foreign key (as it did once in a full run). Autovacuum does this in
        # production; VACUUM cannot run inside the test's transaction, this function can.
        for index in INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Nor a walk of another index from end to end (the primary key's, with the match as a
        # filter), which the planner chose once other tests had filled the tables.
        cursor.execute("SET LOCAL enable_indexscan = off")
        return generic_plan(sql, params)


@pytest.fixture
def seeded():
    """A few hundred rows of each kind, one of which mentions Kubernetes (or Acme, or Dana)."""
    user = UserFactory()
    application = ApplicationFactory(user=user, company__name="Acme Robotics")
    interview = InterviewFactory(application=application)
    contact = ContactFactory(user=user, company=application.company, name="Dana Scully")
    Note.objects.bulk_create(
        Note(interview=interview, text=f"Talked about queue number {n} and its retries")
        for n in range(400)
    )
    NoteFactory(interview=interview, text="Their migration to Kubernetes")
    Outreach.objects.bulk_create(
        Outreach(
            user=user,
            application=application,
            direction=Outreach.Direction.OUTGOING,
            channel=Outreach.Channel.EMAIL,
            subject=f"Thank you {n}",
            body="It was good to meet you.",
            occurred_at=interview.ends_at,
        )
        for n in range(400)
    )
    OutreachFactory(user=user, application=application, body="About Kubernetes operators")
    companies = Company.objects.bulk_create(
        Company(user=user, name=f"Firm number {n}") for n in range(300)
    )
    Application.objects.bulk_create(
        Application(user=user, company=company, role="Backend engineer") for company in companies
    )
    others = Contact.objects.bulk_create(
        Contact(user=user, company=company, name=f"Person {n}", email=f"p{n}@firm.example")
        for n, company in enumerate(companies)
    )
    Draft.objects.bulk_create(
        Draft(
            user=user,
            application=application,
            contact=contact,
            occasion=Occasion.CHECK_IN,
            body="Checking in",
        )
        for contact in others
    )
    Draft.objects.create(
        user=user,
        application=application,
        contact=contact,
        occasion=Occasion.CHECK_IN,
        body="Kubernetes news",
    )
    return user


@pytest.mark.parametrize("index", sorted(INDEXES))
def test_each_kind_of_search_can_use_its_index(index, seeded):
    model, kind = INDEXES[index]
    if connection.vendor != "postgresql":
        # SQLite: no full-text index is made, and the search is a plain substring match.
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            names = {row[0] for row in cursor.fetchall()}
        assert not {name for name in names if name.startswith("search_")}
        assert "search_note_idx" not in names
        return
    plan = explain(kind, seeded, model._meta.db_table)
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan
    # A plan for any words: the query's are parameters, not in the plan.
    assert "kubernetes" not in plan, plan


@pytest.mark.parametrize("index", sorted(INDEXES))
def test_each_kind_of_filtered_search_can_use_its_index(index, seeded):
    """With filters, a kind's query is within the filtered applications' ids: one parameter
    on PostgreSQL, so that one plan serves every list of ids, and it still reads the index."""
    model, kind = INDEXES[index]
    scope = list(Application.objects.filter(user=seeded).values_list("pk", flat=True))

    def found(within: list[int] | None) -> list[int]:
        sql, params = kind_sql(kind, user_id=seeded.pk, query="kubernetes", scope=within)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    everywhere = found(None)
    assert everywhere == found(scope)
    assert found([max(scope) + 1]) == []
    if kind in {"note", "outreach", "draft"}:  # one row of each mentions Kubernetes
        assert len(everywhere) == 1
    if connection.vendor != "postgresql":
        return
    plan = explain(kind, seeded, model._meta.db_table, scope=scope)
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan
    assert "= ANY ($" in plan, plan


def test_the_notes_query_of_the_page_uses_the_index_and_finds_the_one_note(seeded, client_for):
    response = client_for(seeded).get("/search/", {"q": "kubernetes"})
    notes = next(group for group in response.context["results"].groups if group.key == "notes")
    assert [hit.title for hit in notes.hits] == ["Note"]
    if connection.vendor != "postgresql":
        return
    # The page prepared its statements: the plan it keeps is the generic one checked here.
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert sum("FROM interviews_note m" in text and "$1" in text for text in prepared) == 1
    assert "search_note_idx" in explain("note", seeded, "interviews_note")


def test_a_ranked_kind_is_found_by_its_text_as_last_saved():
    """On PostgreSQL the ranked kinds match a stored document (migration reminders.0010):
    the database recomputes it on every write, so an edit is found at once, by its new words
    and no longer by its old ones; on SQLite the text itself is matched."""
    user = UserFactory()
    note = NoteFactory(interview__application__user=user, text="Their migration to Kubernetes")
    note.text = "Their move to Nomad"
    note.save()

    def found(word: str) -> list[int]:
        sql, params = kind_sql("note", user_id=user.pk, query=word)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    assert found("nomad") == [note.pk]
    assert found("kubernetes") == []
