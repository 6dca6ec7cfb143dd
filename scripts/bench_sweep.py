"""Benchmark the reminder sweep: N due reminders for a few hundred users, one real sweep.

Runs against the configured database with Django's in-memory mail backend, so the figure is
the engine's own cost (claim, render text and HTML, record), not an ESP's latency.

    # SQLite (embedded mode; a separate var/bench.sqlite3 unless DATABASE_URL is set)
    DEBUG=true .venv/bin/python scripts/bench_sweep.py --count 10000
    # PostgreSQL; create the database once with
    #   psql -h 127.0.0.1 -U postgres -c 'create database fu_h3_bench'
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/fu_h3_bench \
        .venv/bin/python scripts/bench_sweep.py --count 10000

The bench users (…@bench.invalid) and their rows are deleted afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup_site.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="due reminders to create")
    parser.add_argument("--users", type=int, default=300, help="users to spread them over")
    parser.add_argument("--batch-size", type=int, default=100, help="rows claimed per batch")
    parser.add_argument("--keep", action="store_true", help="keep the bench rows afterwards")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from interviews.models import Application, Company
    from reminders.models import Reminder
    from reminders.services.sweep import sweep_run

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0, interactive=False)
    _cleanup()

    now = timezone.now()
    UNUSABLE_PASSWORD = make_password(None)  # bench users can never log in
    setup_started = time.perf_counter()
    # No quiet hours: the figure must not depend on the hour the benchmark runs at.
    users = User.objects.bulk_create(
        User(
            email=f"bench{i}@bench.invalid",
            password=UNUSABLE_PASSWORD,
            timezone=("Europe/Berlin", "America/New_York", "Asia/Tokyo")[i % 3],
            quiet_hours_start=clock(0),
            quiet_hours_end=clock(0),
        )
        for i in range(args.users)
    )
    companies = Company.objects.bulk_create(
        Company(user=u, name=f"Bench company {u.pk}") for u in users
    )
    applications = Application.objects.bulk_create(
        Application(user=c.user, company=c, role="Backend engineer") for c in companies
    )
    kinds = [Reminder.Kind.FOLLOW_UP, Reminder.Kind.CHECK_IN, Reminder.Kind.CUSTOM]
    Reminder.objects.bulk_create(
        (
            Reminder(
                user=applications[i % len(applications)].user,
                application=applications[i % len(applications)],
                kind=kinds[i % len(kinds)],
                custom_title=f"Bench task {i}",
                due_at=now,
                notify_at=now - timedelta(minutes=1),
                occurrence=f"bench:{i}",
            )
            for i in range(args.count)
        ),
        batch_size=1000,
    )
    setup_seconds = time.perf_counter() - setup_started

    started = time.perf_counter()
    result = sweep_run(batch_size=args.batch_size)
    seconds = time.perf_counter() - started

    print(f"database      {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"setup         {args.count} reminders for {args.users} users in {setup_seconds:.1f} s")
    print(
        f"sweep         claimed {result.claimed}, sent {result.sent}, retried {result.retried}, "
        f"failed {result.failed}, deferred {result.deferred}"
    )
    print(f"emails        {len(mail.outbox)} in the outbox")
    print(f"wall time     {seconds:.2f} s")
    print(f"throughput    {result.sent / seconds:.0f} reminders/s")
    if not args.keep:
        _cleanup()


def _cleanup() -> None:
    from accounts.models import User
    from interviews.models import Application, Company

    bench_users = User.objects.filter(email__endswith="@bench.invalid")
    Application.objects.filter(user__in=bench_users).delete()
    Company.objects.filter(user__in=bench_users).delete()
    bench_users.delete()


if __name__ == "__main__":
    main()
