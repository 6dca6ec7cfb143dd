"""GIN indexes for the search page's full-text match, on PostgreSQL only.

Each index holds the same expression as reminders.search.document builds in its queries
(``to_tsvector(config, COALESCE(field, '') || ' ' || ...)``): change one, change the other,
or the planner can no longer use the index. SQLite has no such index (and its search is a
plain substring match), so there the migration does nothing.
"""

from __future__ import annotations

from django.db import migrations

INDEXES = {
    "search_company_idx": (
        "interviews_company",
        "to_tsvector('simple'::regconfig, COALESCE(name, ''))",
    ),
    "search_application_idx": (
        "interviews_application",
        "to_tsvector('english'::regconfig, COALESCE(role, ''))",
    ),
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


def create_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))")


def drop_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0004_application_company_restrict"),
        ("outreach", "0005_draft_send_attempts"),
        ("reminders", "0007_reminder_due_order_index"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
