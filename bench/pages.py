"""Benchmark the pages of one busy user, served by gunicorn as in production.

1. A child process (DEBUG off, production settings, plain http) migrates the PostgreSQL
   database (created if missing), collects the static files, and seeds one user with 200
   applications, 600 interviews, 2,000 notes, 3,000 reminders (a third of them open, due
   from two months ago to four months ahead), 400 contacts, 1,000 outreaches and 50 open
   drafts. In the same process it renders each selected page once with Django's test client
   and records its SQL query count and its time in process (best of a few runs).
2. gunicorn (3 sync workers, as in the Dockerfile) serves the app with ``bench.settings``:
   the product's settings and URLs plus two reference views, ``/bench/bare/`` (anonymous,
   no database) and ``/bench/trivial/`` (behind ``login_required``).
3. The benchmark logs in through the log-in form, then, page by page, keeps CONNECTIONS
   connections busy for SECONDS (after a warm-up of a second) and prints requests per
   second, p50, p90 and p99 latency, the body size, the query count and the time in process.
   Every response must be a 200: anything else stops the run, so a redirect to the log-in
   page can never pass for a fast page.

The load comes from wrk (``apt-get install wrk``) when it is installed: one thread in C
drives every connection, so the client takes little of the machine it shares with the
server. Without wrk, Python threads make the load; their figures are comparable only with
each other (on 2 cores they cost the server up to a fifth of its throughput). The table
says which client ran.

    make bench-pages
    make bench-pages PAGES="dashboard tasks calendar" BENCH_SECONDS=10
    .venv/bin/python bench/pages.py dashboard tasks --seconds 5 --connections 8 \\
        --pg-url postgres://postgres@127.0.0.1:5432/followup_bench_pages
    .venv/bin/python bench/pages.py --profile tasks      # cProfile of one request, in process

A page is one line of PAGES below: a name and a path, where ``{application}``, ``{interview}``,
``{contact}``, ``{task}``, ``{call_task}``, ``{draft}`` and ``{calendar_token}`` name seeded rows.
The bench user (pages@bench.invalid) and its rows are replaced on every run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/followup_bench_pages"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
BENCH_SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"  # noqa: S105 - a throwaway key for DEBUG off
BENCH_EMAIL = "pages@bench.invalid"
BENCH_PASSWORD = "bench-pages-password-not-secret-7319"  # noqa: S105 - the throwaway bench user

# name -> path. The first two are the references every other figure is read against.
PAGES = {
    "bare": "/bench/bare/",
    "trivial": "/bench/trivial/",
    "dashboard": "/",
    "applications": "/applications/",
    "application": "/applications/{application}/",
    "interview": "/interviews/{interview}/",
    "interview_new": "/applications/{application}/interviews/new/",
    "interview_edit": "/interviews/{interview}/edit/",
    "tasks": "/tasks/",
    "task": "/tasks/{task}/",
    "call": "/tasks/calls/{call_task}/",
    "task_new": "/tasks/new/",
    "calendar": "/tasks/calendar/{calendar_token}.ics",
    "composer": "/outreach/compose/interview/{interview}/?contact={contact}",
    "draft": "/outreach/drafts/{draft}/",
    "drafts": "/outreach/drafts/",
    "templates": "/outreach/templates/",
    "contacts": "/contacts/",
    "contact": "/contacts/{contact}/",
    "settings": "/accounts/settings/",
    "search": "/search/?q=answer",
    "search_filtered": "/search/?q=team&stage=interviewing&overdue=on",
    "stats": "/stats/",
    "invitations": "/invitations/",
    "contact_import": "/contacts/import/",
}

APPLICATIONS = 200
INTERVIEWS_PER_APPLICATION = 3
NOTES = 2_000
REMINDERS = 3_000
CONTACTS_PER_COMPANY = 2
OUTREACHES_PER_APPLICATION = 5
DRAFT_EVERY_N_APPLICATIONS = 4


# --- The parent -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help=f"pages to load (default all): {' '.join(PAGES)}")
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one request, in process")
    parser.add_argument(
        "--no-load", action="store_true", help="only the query counts and in-process times"
    )
    parser.add_argument(
        "--client",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="what makes the load (default: wrk when installed)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # "setup" or "profile"
    args = parser.parse_args()
    unknown = [name for name in args.pages if name not in PAGES]
    if unknown:
        parser.error(f"unknown page(s) {', '.join(unknown)}; known: {' '.join(PAGES)}")
    pages = args.pages or list(PAGES)

    if args.client == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk)")
    if args.child == "setup":
        print(json.dumps(_setup(pages)))
        return
    if args.child == "profile":
        _profile(args.profile)
        return

    env = _environment(args.pg_url, args.redis_url)
    _pg_create_if_missing(args.pg_url)
    if args.profile:
        _run_child(["--child", "profile", "--profile", args.profile], env, capture=False)
        return
    print("Migrating and seeding (one user, 200 applications)...", file=sys.stderr)
    setup = json.loads(_run_child(["--child", "setup", *pages], env).splitlines()[-1])
    if args.no_load:
        _print_probes(setup["probes"])
        return
    port = _free_port()
    server = _start_gunicorn(env, port=port, workers=args.workers)
    try:
        _wait_until_up(port)
        cookie = _log_in(port)
        rows = []
        load = _load_wrk if args.client == "wrk" else _load
        for name in pages:
            path = PAGES[name].format(**setup["ids"])
            figures = load(
                port, path, cookie=cookie, seconds=args.seconds, connections=args.connections
            )
            figures.update(setup["probes"][name])
            rows.append((name, figures))
            print(_format_row(name, figures), file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    _print_table(rows, args)


def _environment(pg_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",  # production settings: no query log, cached templates, whitenoise
        "SECRET_KEY": BENCH_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DATABASE_URL": pg_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        # Plain http on the loopback: no redirect to https, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(BASE_DIR / "var" / "bench-static"),
        "LOG_LEVEL": "WARNING",
        # Production settings refuse to start without a real mail backend; nothing is sent.
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "PYTHONPATH": str(BASE_DIR),
    }


def _run_child(arguments: list[str], env: dict[str, str], *, capture: bool = True) -> str:
    command = [sys.executable, __file__, *arguments]
    done = subprocess.run(  # noqa: S603 - our own script
        command, env=env, cwd=BASE_DIR, capture_output=capture, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"The bench child {arguments} failed:\n{(done.stderr or '')[-4000:]}")
    return done.stdout or ""


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(env: dict[str, str], *, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "followup_site.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, env=env, cwd=BASE_DIR)  # noqa: S603 - our own server


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = _get(port, PAGES["bare"])
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s")


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def _log_in(port: int) -> str:
    """Log in through the log-in form, as a browser does; return the Cookie header to send."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    jar = _cookies(response.getheaders())
    connection.close()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None or "csrftoken" not in jar:
        sys.exit("The log-in page has no CSRF token")
    body = urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": BENCH_EMAIL, "password": BENCH_PASSWORD}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
        },
    )
    response = connection.getresponse()
    response.read()
    jar.update(_cookies(response.getheaders()))
    connection.close()
    if response.status != 302 or "sessionid" not in jar:
        sys.exit(f"Log-in failed: {response.status}")
    return "; ".join(f"{key}={value}" for key, value in jar.items())


def _load(port: int, path: str, *, cookie: str, seconds: float, connections: int) -> dict:
    """CONNECTIONS threads, each requesting ``path`` back to back on its own connection
    (reconnecting when the server closes it, as gunicorn's sync workers do after each
    response); a warm-up of a second, then ``seconds`` measured."""
    headers = {"Cookie": cookie, "Accept-Encoding": "identity"}
    latencies: list[float] = []
    failures: list[str] = []
    sizes: list[int] = []
    lock = threading.Lock()
    warm_until = time.monotonic() + 1.0
    stop_at = warm_until + seconds

    def client() -> None:
        mine: list[float] = []
        connection = None
        while True:
            started = time.monotonic()
            if started >= stop_at or failures:
                break
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = None
                with lock:
                    failures.append(f"{type(error).__name__}: {error}")
                break
            took = time.monotonic() - started
            if response.status != 200:
                with lock:
                    failures.append(f"HTTP {response.status} {response.getheader('Location')}")
                break
            if started >= warm_until:
                mine.append(took)
                if not sizes:
                    sizes.append(len(body))
            if response.will_close:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"{path}: {failures[0]}")
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50_ms": _percentile(latencies, 50) * 1000,
        "p90_ms": _percentile(latencies, 90) * 1000,
        "p99_ms": _percentile(latencies, 99) * 1000,
        "bytes": sizes[0] if sizes else 0,
    }


# wrk's script: every response must be a 200 (a redirect would otherwise count as a fast
# page), and the first body's size is kept. Each wrk thread keeps its own counters; done()
# adds them up and prints one line of figures, latencies in microseconds.
_WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) other = 0; first = "" ; size = -1 end
function response(status, headers, body)
  if status ~= 200 then other = other + 1; if first == "" then first = tostring(status) end end
  if size < 0 then size = #body end
end
function done(summary, latency, requests)
  local other, size, first = 0, 0, ""
  for _, thread in ipairs(threads) do
    other = other + thread:get("other")
    size = math.max(size, thread:get("size"))
    if first == "" then first = thread:get("first") end
  end
  local e = summary.errors
  io.write(string.format("FIGURES %d %d %d %d %d %s %d %d %d\\n",
    summary.requests, summary.duration, other, e.connect + e.read + e.write + e.timeout, size,
    first == "" and "-" or first,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
"""


def _load_wrk(port: int, path: str, *, cookie: str, seconds: float, connections: int) -> dict:
    """The same load as ``_load``, made by wrk: a second of warm-up, then SECONDS measured."""
    script = BASE_DIR / "var" / "bench-wrk.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(_WRK_SCRIPT)
    url = f"http://127.0.0.1:{port}{path}"

    def run(duration: float) -> list[str]:
        command = [
            "wrk", "--threads", "1", "--connections", str(connections),
            "--duration", f"{max(1, round(duration))}s", "--timeout", "60s",
            "--header", f"Cookie: {cookie}", "--script", str(script), url,
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        lines = [line for line in done.stdout.splitlines() if line.startswith("FIGURES ")]
        if done.returncode != 0 or not lines:
            sys.exit(f"{path}: wrk failed: {done.stderr.strip() or done.stdout.strip()}")
        return lines[-1].split()[1:]

    run(1.0)
    requests, duration_us, other, socket_errors, size, first, p50, p90, p99 = run(seconds)
    if int(other):
        sys.exit(f"{path}: {other} responses were not 200 (the first: HTTP {first})")
    if int(socket_errors):
        sys.exit(f"{path}: {socket_errors} connection errors")
    return {
        "requests": int(requests),
        "rps": int(requests) / (int(duration_us) / 1e6),
        "p50_ms": int(p50) / 1000,
        "p90_ms": int(p90) / 1000,
        "p99_ms": int(p99) / 1000,
        "bytes": int(size),
    }


def _percentile(ordered: list[float], percent: int) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def _format_row(name: str, f: dict) -> str:
    return (
        f"{name:<15} {f['rps']:>8,.1f} {f['p50_ms']:>8.1f} {f['p90_ms']:>8.1f} "
        f"{f['p99_ms']:>8.1f} {f['bytes'] / 1024:>8.1f} {f['queries']:>7} "
        f"{f['in_process_ms']:>8.1f} {f['cpu_ms']:>7.1f}"
    )


def _print_table(rows: list[tuple[str, dict]], args: argparse.Namespace) -> None:
    header = (
        f"{'page':<15} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} "
        f"{'KiB':>8} {'queries':>7} {'proc ms':>8} {'cpu ms':>7}"
    )
    print()
    client = "wrk, 1 thread" if args.client == "wrk" else "Python threads"
    print(
        f"{args.connections} connections ({client}), {args.seconds:g} s per page, gunicorn "
        f"{args.workers} sync workers, PostgreSQL, DEBUG off, {os.cpu_count()} CPUs"
    )
    print(header)
    print("-" * len(header))
    for name, figures in rows:
        print(_format_row(name, figures))
    reference = dict(rows).get("bare")
    if reference:
        print()
        for name, figures in rows:
            if name != "bare" and figures["rps"]:
                print(f"{name:<15} 1/{reference['rps'] / figures['rps']:.1f} of bare")
    print()
    print("queries: SQL statements of one request; proc ms: one request in process, wall clock;")
    print("cpu ms: its CPU time in this process (database time excluded; best of 5 each).")
    print("On a shared machine cpu ms is the steadiest figure: p99 <= 50 ms at 8 connections")
    print("on 2 cores needs roughly cpu ms + database time <= 10 ms.")


def _print_probes(probes: dict[str, dict]) -> None:
    print(f"{'page':<15} {'queries':>7} {'proc ms':>8} {'cpu ms':>7}")
    for name, f in probes.items():
        print(f"{name:<15} {f['queries']:>7} {f['in_process_ms']:>8.1f} {f['cpu_ms']:>7.1f}")


# --- The child: migrate, seed, probe --------------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def _setup(pages: list[str]) -> dict:
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    ids = _seed()
    _analyze()
    return {"ids": ids, "probes": {name: _probe(PAGES[name].format(**ids)) for name in pages}}


def _analyze() -> None:
    """Do for the rows just seeded what autovacuum does in production: statistics, and the
    GIN indexes' pending entries moved into the index proper.

    Right after a bulk insert PostgreSQL knows nothing of the new rows, and a GIN index still
    holds them in its pending list, which makes a search by index dearer than reading the
    whole table: the planner then walks all 2,000 notes where the index answers in 0.1 ms.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def _probe(path: str, runs: int = 5) -> dict:
    """The query count of one request, and its best time of ``runs``, in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client()
    client.force_login(
        User.objects.get(email=BENCH_EMAIL), backend="django.contrib.auth.backends.ModelBackend"
    )
    best = best_cpu = float("inf")
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            best = min(best, time.perf_counter() - started)
            best_cpu = min(best_cpu, time.process_time() - started_cpu)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code} in process")
    return {"queries": len(queries), "in_process_ms": best * 1000, "cpu_ms": best_cpu * 1000}


def _profile(page: str) -> None:
    import cProfile
    import pstats

    _django()
    from django.test import Client

    from accounts.models import User

    user = User.objects.filter(email=BENCH_EMAIL).first()
    if user is None:
        sys.exit("Run the benchmark once first: it seeds the bench user.")
    path = PAGES[page].format(**_ids(user))
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.get(path)  # warm: templates, URL resolver, connection
    profiler = cProfile.Profile()
    profiler.enable()
    response = client.get(path)
    profiler.disable()
    print(f"{path}: {response.status_code}, {len(response.content):,} bytes")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(20)


def _seed() -> dict:
    """Replace the bench user with a fresh one and its search of 200 applications."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from accounts.models import User
    from interviews.models import Application, Company, Contact, Interview, Note
    from outreach.models import Draft, Occasion, Outreach
    from reminders.models import Reminder

    _cleanup()
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.create(
            email=BENCH_EMAIL,
            password=make_password(BENCH_PASSWORD),
            full_name="Bench User",
            timezone="Europe/Berlin",
            email_verified_at=now,
            # A returning user: their last visit to the dashboard was yesterday.
            dashboard_seen_at=now - timedelta(days=1),
            dashboard_replies_since=now - timedelta(days=2),
        )
        companies = Company.objects.bulk_create(
            Company(user=user, name=f"Company {i:03}", website=f"https://c{i}.example.com")
            for i in range(APPLICATIONS)
        )
        contacts = Contact.objects.bulk_create(
            Contact(
                user=user,
                company=company,
                name=f"{('Ada', 'Grace', 'Alan', 'Barbara')[(i + j) % 4]} Person{i}x{j}",
                given_name=("Ada", "Grace", "Alan", "Barbara")[(i + j) % 4],
                family_name=f"Person{i}x{j}",
                job_title="Engineering manager" if j == 0 else "Recruiter",
                email=f"person{i}x{j}@c{i}.example.com",
            )
            for i, company in enumerate(companies)
            for j in range(CONTACTS_PER_COMPANY)
        )
        stages = [s for s in Application.Stage if s != Application.Stage.CLOSED]
        applications = Application.objects.bulk_create(
            Application(
                user=user,
                company=company,
                role=("Backend engineer", "Data engineer", "Staff engineer")[i % 3],
                # A quarter closed, the rest spread over the open stages.
                stage=Application.Stage.CLOSED if i % 4 == 3 else stages[i % len(stages)],
                closed_reason=Application.ClosedReason.REJECTED if i % 4 == 3 else "",
                closed_at=now - timedelta(days=i % 30) if i % 4 == 3 else None,
                applied_on=(now - timedelta(days=30 + i % 120)).date(),
            )
            for i, company in enumerate(companies)
        )
        # Interviews from five months ago to a month ahead, an hour each.
        interviews = Interview.objects.bulk_create(
            Interview(
                application=application,
                starts_at=now + timedelta(days=-150 + (i * 7 + k * 20) % 180, hours=k),
                ends_at=now + timedelta(days=-150 + (i * 7 + k * 20) % 180, hours=k + 1),
                timezone="Europe/Berlin",
                format=("video", "phone", "onsite")[k % 3],
                location="https://meet.example.com/x" if k % 3 == 0 else "",
            )
            for i, application in enumerate(applications)
            for k in range(INTERVIEWS_PER_APPLICATION)
        )
        by_company = {}
        for contact in contacts:
            by_company.setdefault(contact.company_id, []).append(contact)
        Through = Interview.interviewers.through
        Through.objects.bulk_create(
            Through(interview_id=interview.pk, contact_id=contact.pk)
            for interview in interviews
            for contact in by_company[interview.application.company_id]
        )
        kinds = list(Note.Kind)
        Note.objects.bulk_create(
            Note(
                interview=interviews[i % len(interviews)],
                contact=by_company[interviews[i % len(interviews)].application.company_id][i % 2],
                kind=kinds[i % len(kinds)],
                text=f"Note {i}: talked about distributed systems and the team's roadmap.",
                question="How would you shard it?" if i % len(kinds) == 3 else "",
            )
            for i in range(NOTES)
        )
        outreaches = Outreach.objects.bulk_create(
            Outreach(
                user=user,
                application=application,
                contact=by_company[application.company_id][k % 2],
                direction="out" if k % 3 else "in",
                purpose=("thank_you", "follow_up", "check_in", "other")[k % 4]
                if k % 3
                else "reply",
                channel="email",
                subject=f"Re: the {application.role} role",
                body="Thank you for your time today.",
                occurred_at=now - timedelta(days=(i * 3 + k * 9) % 160 + 1),
            )
            for i, application in enumerate(applications)
            for k in range(OUTREACHES_PER_APPLICATION)
        )
        del outreaches
        # Each recorded when it happened, as the inbound webhook and the composer record them.
        Outreach.objects.filter(user=user).update(created_at=F("occurred_at"))
        reminder_kinds = [k for k in Reminder.Kind if k != Reminder.Kind.CLOSE_SUGGESTION]
        reminders = []
        for i in range(REMINDERS):
            application = applications[i % APPLICATIONS]
            interview = interviews[(i % APPLICATIONS) * INTERVIEWS_PER_APPLICATION + i % 3]
            kind = reminder_kinds[i % len(reminder_kinds)]
            is_open = i % 3 == 0 and application.stage != Application.Stage.CLOSED
            # Open tasks from two months overdue to four months ahead; the rest done or
            # cancelled in the past.
            due_at = now + (
                timedelta(days=-60 + (i * 11) % 180, hours=i % 24)
                if is_open
                else timedelta(days=-(i % 170) - 1, hours=-(i % 24))
            )
            state = (
                ("pending", "notified", "snoozed")[i % 3]
                if is_open
                else ("done", "done", "skipped", "cancelled")[i % 4]
            )
            reminders.append(
                Reminder(
                    user=user,
                    kind=kind,
                    state=state,
                    application=application,
                    interview=interview if kind == Reminder.Kind.THANK_YOU else None,
                    contact=by_company[application.company_id][i % 2],
                    custom_title=f"Bench task {i}" if kind == Reminder.Kind.CUSTOM else "",
                    due_at=due_at,
                    notify_at=due_at - timedelta(hours=1) if state == "pending" else None,
                    notified_at=due_at - timedelta(hours=1) if state == "notified" else None,
                    completed_at=due_at if state in ("done", "skipped") else None,
                    occurrence=f"bench:{i}",
                )
            )
        Reminder.objects.bulk_create(reminders, batch_size=1000)
        Draft.objects.bulk_create(
            Draft(
                user=user,
                application=application,
                contact=by_company[application.company_id][1],
                occasion=Occasion.TOPIC_FOLLOW_UP,
                subject=f"Following up on the {application.role} role",
                body="Hello,\n\nI wanted to follow up on our conversation.\n",
            )
            for i, application in enumerate(applications)
            if i % DRAFT_EVERY_N_APPLICATIONS == 0
        )
    return _ids(user)


def _ids(user) -> dict:
    """The rows the page paths name: the busiest open application and its rows."""
    from interviews.models import Application
    from outreach.models import Draft
    from reminders.models import Reminder

    application = (
        Application.objects.filter(user=user)
        .exclude(stage=Application.Stage.CLOSED)
        .exclude(drafts__isnull=False)
        .order_by("pk")
        .first()
    )
    interview = application.interviews.order_by("pk").first()
    contact = interview.interviewers.order_by("pk").first()
    open_tasks = Reminder.objects.filter(user=user, state__in=Reminder.OPEN_STATES)
    return {
        "application": application.pk,
        "interview": interview.pk,
        "contact": contact.pk,
        "task": open_tasks.filter(application=application).order_by("pk").first().pk,
        "call_task": open_tasks.filter(kind=Reminder.Kind.PHONE_CALL).order_by("pk").first().pk,
        "draft": Draft.objects.filter(user=user).order_by("pk").first().pk,
        "calendar_token": user.calendar_token,
    }


def _cleanup() -> None:
    from accounts.models import User
    from interviews.models import Application, Company

    bench_users = User.objects.filter(email=BENCH_EMAIL)
    Application.objects.filter(user__in=bench_users).delete()
    Company.objects.filter(user__in=bench_users).delete()
    bench_users.delete()


if __name__ == "__main__":
    main()
