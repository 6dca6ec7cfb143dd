"""Spreadsheets the import tests upload, and a database trigger that refuses one row.

The trigger is the database itself refusing an insert (as a constraint or a full disk
would), in whichever process inserts: this test's or a real worker's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

HEADER = "Company,Position,Status,Date applied,Job URL,Notes,Recruiter,Recruiter email,Phone"
REFUSED_ROLE = "Role the database refuses"


def csv_bytes(rows: list[str], *, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def upload(data: bytes, name: str = "applications.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def many_rows(count: int, *, refused_at: int | None = None) -> bytes:
    """``count`` good rows over 40 companies; row ``refused_at`` (1-based) has REFUSED_ROLE."""
    rows = []
    for index in range(1, count + 1):
        role = REFUSED_ROLE if index == refused_at else f"Engineer {index}"
        rows.append(
            f"Company {index % 40},{role},applied,2025-03-{index % 28 + 1:02d},"
            f"https://jobs.example/{index},Note {index},Person {index},"
            f"person{index}@company{index % 40}.example,+49 30 {index:07d}"
        )
    return csv_bytes(rows)


@contextmanager
def database_refuses_role(role: str = REFUSED_ROLE) -> Iterator[None]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER refuse_role BEFORE INSERT ON interviews_application "
                f"WHEN NEW.role = '{role}' BEGIN SELECT RAISE(ABORT, 'role refused'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION refuse_role() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.role = '{role}' THEN RAISE EXCEPTION 'role refused'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_role BEFORE INSERT ON interviews_application "
                "FOR EACH ROW EXECUTE FUNCTION refuse_role()"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS refuse_role")
            else:
                cursor.execute("DROP TRIGGER IF EXISTS refuse_role ON interviews_application")
                cursor.execute("DROP FUNCTION IF EXISTS refuse_role()")
