"""Store the search document of the ranked kinds in a column, on PostgreSQL only.

The search ranks the people, notes, emails and drafts it finds with ``ts_rank``, which takes
a document, not an index: with the expression indexes of migration 0008, PostgreSQL parsed
each candidate's text twice for a common word (once to test the match, the planner walking
the rows newest first, once more to rank it), some 4 ms for the notes of the bench user. A
generated ``search_document`` column is parsed once, when the row is written; the match and
the rank read it, and the GIN index is built on it.

The expressions are those migration 0008 indexed. The models do not know the column (SQLite has no tsvector, and its search is a
plain substring match), so no Django write ever names it. PostgreSQL refuses to change the
type of a column a generated column reads: a later migration that alters one of these
columns must drop the document first and add it back.
"""

from __future__ import annotations

from django.db import migrations

# index -> (table, the document's expression)
DOCUMENTS = {
    "search_contact_idx": (
        "interviews_contact",
        "to_tsvector('simple'::regconfig, COALESCE(name, '') || ' ' || COALESCE(email, '')"
        " || ' ' || COALESCE(translate(email, '@.-_', '    '), '') || ' '"
        " || COALESCE(job_title, ''))",
    ),
    "search_note_idx": (
        "interviews_note",
        "to_tsvector('english'::regconfig, COALESCE(text, '') || ' ' || COALESCE(question, '')"
        " || ' ' || COALESCE(better_answer, ''))",
    ),
    "search_outreach_idx": (
        "outreach_outreach",
        "to_tsvector('english'::regconfig, COALESCE(subject, '') || ' ' || COALESCE(body, ''))",
    ),
    "search_draft_idx": (
        "outreach_draft",
        "to_tsvector('english'::regconfig, COALESCE(subject, '') || ' ' || COALESCE(body, ''))",
    ),
}


def store_documents(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, (table, expression) in DOCUMENTS.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_document)")


def index_expressions(apps, schema_editor) -> None:
    """Back to migration 0008: the column (and its index) gone, the expression indexed."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, (table, expression) in DOCUMENTS.items():
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_document")
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (({expression}))")


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0009_application_open_tasks_index"),
    ]

    operations = [migrations.RunPython(store_documents, index_expressions)]
