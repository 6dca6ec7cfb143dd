"""What PostgreSQL plans for the statements of ``followup_site.raw_sql.planned_cursor``."""

from __future__ import annotations

import re

from django.db import connection, transaction

from followup_site.raw_sql import planned_cursor


def generic_plan(sql: str, params: dict | list | tuple) -> str:
    """The plan PostgreSQL keeps for ``sql`` once the planned cursor has prepared it: its
    generic plan, made for any values (EXPLAIN of the prepared statement, found by its text:
    psycopg's ``$n`` placeholders, numbered in order of the positional ``%s``, or of the names'
    first appearance)."""
    if isinstance(params, dict):
        names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))
        values = [params[name] for name in names]
        text = sql
        for position, name in enumerate(names, start=1):
            text = text.replace(f"%({name})s", f"${position}")
    else:
        values = list(params)
        positions = iter(range(1, len(values) + 1))
        text = re.sub(r"%%|%s", lambda m: m[0] if m[0] == "%%" else f"${next(positions)}", sql)
    text = text.replace("%%", "%")
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE statement = %s", [text])
        (name,) = cursor.fetchone()
        # Plan it now, under the caller's settings and statistics: a plan cached earlier
        # survives an ANALYZE that changed nothing and any SET.
        cursor.execute("DISCARD PLANS")
        arguments = f"({', '.join(['%s'] * len(values))})" if values else ""
        cursor.execute(f"EXPLAIN EXECUTE {name}{arguments}", values)
        return "\n".join(row[0] for row in cursor.fetchall())


def index_plan(sql: str, params: dict | list | tuple, *, table: str) -> str:
    """The plan each database keeps for ``sql`` once ``table``'s statistics are fresh, with
    sequential and bitmap scans switched off on PostgreSQL (its generic plan), so that it
    shows which index *can* serve the statement whatever the table's size here; SQLite's
    ``EXPLAIN QUERY PLAN`` otherwise. It runs in a savepoint rolled back at the end, so the
    settings and statistics are as they were."""
    with transaction.atomic(), connection.cursor() as cursor:
        try:
            cursor.execute(f"ANALYZE {table}")
            if connection.vendor != "postgresql":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                return "\n".join(str(row[-1]) for row in cursor.fetchall())
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            return generic_plan(sql, params)
        finally:
            transaction.set_rollback(True)
