"""Rows saved before a migration keep everything when it runs, both ways.

``interviews.0002_contact_name_parts``: contacts saved before names had parts get them from
their full name. ``interviews.0003_note_question_better_answer``: every note is kept, and an
answer to fix keeps its text, with a blank question and better answer.

These tests roll the test database back to before the migration with the migration executor,
save rows through the historical models (as the old app did), migrate forward and check with
the current models. Every test leaves the database migrated to the latest state, whatever
happens, so the tests that run after them see the schema they expect.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from interviews.models import Contact, Note
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_NAME_PARTS = [("interviews", "0001_initial")]
NAME_PARTS = importlib.import_module("interviews.migrations.0002_contact_name_parts")
NAMES = ["Dr. Anja Becker", "Becker, Anja", "Ms. Kim", "Sam", "Li Wei"]


def _migrate(executor: MigrationExecutor, targets) -> None:
    executor.migrate(targets)
    # The executor's graph still holds the applied set from before: reload it from the table.
    executor.loader.build_graph()


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    _migrate(executor, executor.loader.graph.leaf_nodes())


def _rows(model) -> dict[int, dict]:
    return {row["id"]: row for row in model._default_manager.order_by("pk").values()}


@pytest.fixture
def old_contact_model() -> Iterator[type]:
    """The Contact model from before the name parts, on a database rolled back to match."""
    executor = MigrationExecutor(connection)
    try:
        _migrate(executor, BEFORE_NAME_PARTS)
        yield executor.loader.project_state(BEFORE_NAME_PARTS).apps.get_model(
            "interviews", "Contact"
        )
    finally:
        _migrate_to_latest()


@pytest.fixture
def old_contacts(old_contact_model) -> dict[str, dict]:
    """One contact per name, each with its other details, saved on the old schema."""
    # The accounts app is not rolled back, so today's user model fits its table.
    user = UserFactory()
    for number, name in enumerate(NAMES):
        old_contact_model.objects.create(
            user_id=user.pk,
            name=name,
            email=f"person{number}@company.example",
            notes=f"Met at interview {number}",
        )
    return {row["name"]: row for row in _rows(old_contact_model).values()}


def test_the_rolled_back_table_has_no_name_parts(old_contact_model):
    # A guard for the other tests: they really start from the old schema.
    with connection.cursor() as cursor:
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, Contact._meta.db_table
            )
        }
    assert "name" in columns
    assert not {"honorific", "given_name", "family_name", "greeting_name"} & columns


def test_existing_contacts_get_the_parts_of_their_names(old_contacts, monkeypatch):
    # Smaller batches than the real 500, so the test crosses a batch boundary.
    monkeypatch.setattr(NAME_PARTS, "BATCH", 2)
    _migrate_to_latest()

    parts = {
        contact.name: (
            contact.honorific,
            contact.given_name,
            contact.family_name,
            contact.greeting_name,
            contact.salutation_style,
        )
        for contact in Contact.objects.all()
    }
    assert parts == {
        "Dr. Anja Becker": ("Dr.", "Anja", "Becker", "Anja", "first_name"),
        "Becker, Anja": ("", "Anja", "Becker", "Anja", "first_name"),
        "Ms. Kim": ("Ms.", "", "Kim", "Ms. Kim", "first_name"),
        "Sam": ("", "Sam", "", "Sam", "first_name"),
        "Li Wei": ("", "Li", "Wei", "Li", "first_name"),
    }


def test_existing_contacts_are_greeted_by_name_not_by_honorific(old_contacts):
    _migrate_to_latest()

    anja = Contact.objects.get(pk=old_contacts["Dr. Anja Becker"]["id"])
    assert anja.salutation == "Hi Anja"
    assert anja.first_name == "Anja"


def test_migrating_keeps_every_contact_with_its_id_and_details(old_contacts):
    _migrate_to_latest()

    now = _rows(Contact)
    assert {row["id"] for row in now.values()} == {row["id"] for row in old_contacts.values()}
    for old in old_contacts.values():
        assert {field: now[old["id"]][field] for field in old} == old


def test_going_back_drops_the_parts_and_keeps_every_contact(old_contacts):
    _migrate_to_latest()
    executor = MigrationExecutor(connection)
    _migrate(executor, BEFORE_NAME_PARTS)

    OldContact = executor.loader.project_state(BEFORE_NAME_PARTS).apps.get_model(
        "interviews", "Contact"
    )
    assert {row["name"]: row for row in _rows(OldContact).values()} == old_contacts


# --- interviews.0003: an answer to fix gets its question and what the user would say now ----

BEFORE_ANSWER_PARTS = [("interviews", "0002_contact_name_parts")]
OLD_NOTES = [
    ("answer_to_fix", "I blanked on the CAP theorem question", ""),
    ("answer_to_fix", "Rambled about sharding, see https://x.example/s", "https://x.example/s"),
    ("topic", "Event sourcing for the order service", "https://example.org/es"),
    ("skill", "Postgres tuning", ""),
]


@pytest.fixture
def old_apps() -> Iterator[object]:
    """The models from before the answer parts, on a database rolled back to match."""
    executor = MigrationExecutor(connection)
    try:
        _migrate(executor, BEFORE_ANSWER_PARTS)
        yield executor.loader.project_state(BEFORE_ANSWER_PARTS).apps
    finally:
        _migrate_to_latest()


@pytest.fixture
def old_notes(old_apps) -> dict[int, dict]:
    """Notes of every kind saved on the old schema, on one interview."""
    user = UserFactory()
    company = old_apps.get_model("interviews", "Company").objects.create(
        user_id=user.pk, name="Acme Robotics"
    )
    application = old_apps.get_model("interviews", "Application").objects.create(
        user_id=user.pk, company=company, role="Backend engineer"
    )
    interview = old_apps.get_model("interviews", "Interview").objects.create(
        application=application,
        starts_at=datetime(2025, 6, 3, 8, 0, tzinfo=UTC),
        ends_at=datetime(2025, 6, 3, 9, 0, tzinfo=UTC),
        timezone="Europe/Berlin",
    )
    OldNote = old_apps.get_model("interviews", "Note")
    for kind, text, link in OLD_NOTES:
        OldNote.objects.create(interview=interview, kind=kind, text=text, link=link)
    return _rows(OldNote)


def test_every_note_is_kept_and_answers_to_fix_keep_their_text(old_notes):
    _migrate_to_latest()

    now = _rows(Note)
    assert set(now) == set(old_notes)
    for pk, old in old_notes.items():
        assert {field: now[pk][field] for field in old} == old
        assert (now[pk]["question"], now[pk]["better_answer"]) == ("", "")
    answers = Note.objects.filter(kind=Note.Kind.ANSWER_TO_FIX).order_by("pk")
    assert [note.text for note in answers] == [text for _k, text, _l in OLD_NOTES[:2]]


def test_going_back_drops_the_question_and_answer_and_keeps_every_note(old_notes):
    _migrate_to_latest()
    Note.objects.filter(kind=Note.Kind.ANSWER_TO_FIX).update(
        question="What is the CAP theorem?", better_answer="A partition forces a choice."
    )
    executor = MigrationExecutor(connection)
    _migrate(executor, BEFORE_ANSWER_PARTS)

    OldNote = executor.loader.project_state(BEFORE_ANSWER_PARTS).apps.get_model(
        "interviews", "Note"
    )
    assert _rows(OldNote) == old_notes
