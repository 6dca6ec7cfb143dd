"""Time the import of a generated N-row CSV of applications, as the worker runs it.

Runs in this process against DATABASE_URL (default: var/bench-import.sqlite3, migrated on
first use), DEBUG off. Each run makes a fresh bench user (...@bench.invalid), and deletes it
afterwards. It times the three steps separately: reading the file (decode, sniff, parse),
checking every row against the column mapping, and the import itself
(``spreadsheet_import_run``, the worker's code: batches, companies and contacts matched,
applications created and planned through the usual services).

    .venv/bin/python bench/spreadsheet_import.py --rows 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/followup_bench \\
        .venv/bin/python bench/spreadsheet_import.py --rows 5000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
BENCH_SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"  # noqa: S105 - a throwaway key for DEBUG off


def csv_of(rows: int) -> bytes:
    lines = ["Company,Position,Status,Date applied,Job URL,Notes,Recruiter,Recruiter email,Phone"]
    for index in range(1, rows + 1):
        lines.append(
            f"Company {index % 200},Engineer {index},applied,2025-03-{index % 28 + 1:02d},"
            f"https://jobs.example/{index},Note {index},Person {index},"
            f"person{index}@company{index % 200}.example,+49 30 {index:07d}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench-import.sqlite3'}")
    os.environ.update(
        DEBUG="false",
        SECRET_KEY=BENCH_SECRET,
        ALLOWED_HOSTS="localhost",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup_site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from interviews.models import Application, SpreadsheetImport
    from interviews.spreadsheet import csv_read
    from interviews.spreadsheet_import import (
        spreadsheet_import_map,
        spreadsheet_import_run,
        spreadsheet_import_start,
    )

    User.objects.filter(email__endswith="@bench.invalid").delete()
    user = User.objects.create_user(email="import@bench.invalid", password=None)
    data = csv_of(args.rows)
    try:
        started = time.perf_counter()
        csv_read(data, max_rows=args.rows)
        read = time.perf_counter() - started

        job = spreadsheet_import_start(user=user, data=data, file_name="bench.csv")
        started = time.perf_counter()
        job = spreadsheet_import_map(job=job, mapping=job.mapping, date_order=job.date_order)
        checked = time.perf_counter() - started
        if job.valid_count != args.rows:
            raise SystemExit(f"rows with errors: {job.errors[:3]}")
        SpreadsheetImport.objects.filter(pk=job.pk).update(
            state=SpreadsheetImport.State.QUEUED, total=args.rows
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        state = spreadsheet_import_run(import_id=job.pk)
        imported = time.perf_counter() - started
        # This process's own CPU time: on a busy machine the wall clock also counts waiting.
        cpu = time.process_time() - cpu_started
        if state != "done":
            raise SystemExit(SpreadsheetImport.objects.get(pk=job.pk).failure)
        if Application.objects.filter(user=user).count() != args.rows:
            raise SystemExit("not every row became an application")
        print(
            f"{connection.vendor}: {args.rows:,} rows ({len(data) / 1024:.0f} KiB): "
            f"read {read:.2f} s, checked {checked:.2f} s, imported {imported:.1f} s "
            f"({args.rows / imported:.0f} rows/s; {cpu:.1f} s of CPU in this process)"
        )
    finally:
        User.objects.filter(email__endswith="@bench.invalid").delete()


if __name__ == "__main__":
    main()
