"""What PostgreSQL plans for the statements of ``followup_site.raw_sql.planned_cursor``."""

from __future__ import annotations

import re

from django.db import connection

from followup_site.raw_sql import planned_cursor


def generic_plan(sql: str, params: dict) -> str:
    """The plan PostgreSQL keeps for ``sql`` once the planned cursor has prepared it: its
    generic plan, made for any values (EXPLAIN of the prepared statement, found by its text
    with psycopg's ``$n`` placeholders, numbered in the order the names first appear)."""
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))
    text = sql
    for position, name in enumerate(names, start=1):
        text = text.replace(f"%({name})s", f"${position}")
    text = text.replace("%%", "%")
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE statement = %s", [text])
        (name,) = cursor.fetchone()
        arguments = f"({', '.join(['%s'] * len(names))})" if names else ""
        cursor.execute(f"EXPLAIN EXECUTE {name}{arguments}", [params[n] for n in names])
        return "\n".join(row[0] for row in cursor.fetchall())
