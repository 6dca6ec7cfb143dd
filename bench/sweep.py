"""Benchmark the reminder sweep against its floor, on SQLite and on PostgreSQL.

For each database and each count N, one child process (DEBUG off, production settings):

1. creates N due reminders for a few hundred users on fresh rows (no ANALYZE: the planner
   sees what it sees right after a burst of new rows);
2. times one real sweep of them with Django's in-memory mail backend, so the figure is the
   engine's own cost (claim, re-check, render text and HTML, record), not an ESP's latency;
3. times the floor in the same process: N bare single-row UPDATEs by primary key, each its
   own statement in autocommit (what recording one result costs at the least), and N bare
   renders of the reminder email's three templates with one ready context.

The table shows the sweep next to that floor and the ratio: how close the sweep is to doing
nothing but one write and one render per reminder.

    make bench                                   # 10,000 on SQLite and PostgreSQL
    make bench COUNTS="1000 10000 50000"
    .venv/bin/python bench/sweep.py --counts 1000 10000 --databases postgres \\
        --pg-url postgres://postgres@127.0.0.1:5432/followup_bench

The PostgreSQL database is created if missing. SQLite uses var/bench.sqlite3. The bench users
(...@bench.invalid) and their rows are deleted before and after each run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/followup_bench"
BENCH_SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"  # noqa: S105 - a throwaway key for DEBUG off


# --- The parent: one child per database and count, then a table -----------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000])
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--users", type=int, default=300, help="users to spread them over")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # a database URL: run one measurement
    args = parser.parse_args()

    if args.child:
        print(json.dumps(_measure(args.child, count=args.counts[0], users=args.users)))
        return

    urls = {"sqlite": f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}", "postgres": args.pg_url}
    rows = []
    for database in args.databases:
        if database == "postgres":
            _pg_create_if_missing(args.pg_url)
        for count in args.counts:
            figures = _child(urls[database], count=count, users=args.users)
            rows.append((database, count, figures))
            print(_format_row(database, count, figures), file=sys.stderr)
    _print_table(rows)


def _child(url: str, *, count: int, users: int) -> dict:
    env = {
        **os.environ,
        "DEBUG": "false",  # production settings: no query log, templates cached
        "SECRET_KEY": BENCH_SECRET,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        # Production settings refuse to start without a real backend; the child swaps in
        # the in-memory one itself.
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    command = [sys.executable, __file__, "--child", url, "--counts", str(count)]
    command += ["--users", str(users)]
    done = subprocess.run(  # noqa: S603 - our own script
        command, env=env, cwd=BASE_DIR, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"The benchmark on {url} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pg_create_if_missing(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')  # a name from our own argument


def _format_row(database: str, count: int, f: dict) -> str:
    floor = f["updates_s"] + f["renders_s"]
    return (
        f"{database:<9} {count:>7,} {f['sweep_s']:>8.2f} {count / f['sweep_s']:>9,.0f} "
        f"{f['updates_s']:>9.2f} {f['renders_s']:>9.2f} {floor:>8.2f} "
        f"{f['sweep_s'] / floor:>6.2f}x  {f['emails']:>7,} {f['queries']:>8,}"
    )


def _print_table(rows: list[tuple[str, int, dict]]) -> None:
    header = (
        f"{'database':<9} {'due':>7} {'sweep s':>8} {'per s':>9} {'updates':>9} "
        f"{'renders':>9} {'floor s':>8} {'ratio':>7}  {'emails':>7} {'queries':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for database, count, figures in rows:
        print(_format_row(database, count, figures))
    print()
    print("sweep s: one sweep of that many due reminders (in-memory mail backend)")
    print("updates: as many bare single-row UPDATEs by primary key, one per statement")
    print("renders: as many bare renders of the reminder email (subject, text, HTML)")
    print("ratio:   sweep / (updates + renders); queries: the sweep's SQL statements")


# --- The child: one database, one count ------------------------------------------------------


def _measure(url: str, *, count: int, users: int) -> dict:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup_site.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection

    from reminders.services.sweep import sweep_run

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0, interactive=False)
    _cleanup()
    ids = _create(count=count, users=users)

    statements = 0

    def counted(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(counted):
        result = sweep_run()
    sweep_seconds = time.perf_counter() - started
    if result.sent != count or len(mail.outbox) != count:
        raise SystemExit(f"expected {count} sent, got {result} and {len(mail.outbox)} emails")
    mail.outbox = []

    figures = {
        "sweep_s": sweep_seconds,
        "emails": result.emails,
        "queries": statements,
        "updates_s": _bare_updates(ids),
        "renders_s": _bare_renders(count),
    }
    _cleanup()
    return figures


def _create(*, count: int, users: int) -> list[int]:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from interviews.models import Application, Company
    from reminders.models import Reminder

    now = timezone.now()
    unusable = make_password(None)  # bench users can never log in
    # No quiet hours: the figure must not depend on the hour the benchmark runs at.
    people = User.objects.bulk_create(
        User(
            email=f"bench{i}@bench.invalid",
            password=unusable,
            timezone=("Europe/Berlin", "America/New_York", "Asia/Tokyo")[i % 3],
            quiet_hours_start=clock(0),
            quiet_hours_end=clock(0),
            email_verified_at=now,
        )
        for i in range(users)
    )
    companies = Company.objects.bulk_create(
        Company(user=u, name=f"Bench company {u.pk}") for u in people
    )
    applications = Application.objects.bulk_create(
        Application(user=c.user, company=c, role="Backend engineer") for c in companies
    )
    kinds = [Reminder.Kind.FOLLOW_UP, Reminder.Kind.CHECK_IN, Reminder.Kind.CUSTOM]
    # Distinct notify times: one email per reminder, as in a real backlog.
    created = Reminder.objects.bulk_create(
        (
            Reminder(
                user=applications[i % len(applications)].user,
                application=applications[i % len(applications)],
                kind=kinds[i % len(kinds)],
                custom_title=f"Bench task {i}",
                due_at=now,
                notify_at=now - timedelta(minutes=1, microseconds=i),
                occurrence=f"bench:{i}",
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    return [r.pk for r in created]


def _bare_updates(ids: list[int]) -> float:
    """One single-row UPDATE by primary key per reminder, each committed on its own."""
    from django.db import connection

    from reminders.models import Reminder

    table = Reminder._meta.db_table
    sql = f"UPDATE {table} SET attempts = attempts + 1 WHERE id = %s"  # noqa: S608 - our table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for pk in ids:
            cursor.execute(sql, [pk])
    return time.perf_counter() - started


def _bare_renders(count: int) -> float:
    """The reminder email's three templates, rendered ``count`` times from one context."""
    from reminders.emails import _base_context, _templates, reminder_view
    from reminders.models import Reminder

    reminder = (
        Reminder.objects.filter(user__email__endswith="@bench.invalid")
        .select_related("user", "application__company", "contact", "interview")
        .first()
    )
    context = _base_context(reminder.user)
    context.update({"item": reminder_view(reminder=reminder, application_notes=[]), "nudge": False})
    templates = _templates("reminder")
    started = time.perf_counter()
    for _ in range(count):
        for template in templates:
            template.render(context)
    return time.perf_counter() - started


def _cleanup() -> None:
    from accounts.models import User
    from interviews.models import Application, Company

    bench_users = User.objects.filter(email__endswith="@bench.invalid")
    Application.objects.filter(user__in=bench_users).delete()
    Company.objects.filter(user__in=bench_users).delete()
    bench_users.delete()


if __name__ == "__main__":
    main()
