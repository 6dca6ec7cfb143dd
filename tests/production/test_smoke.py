"""The production stack end to end, as `docker compose up` runs it, without Docker.

1. ``scripts/build-release`` (the image's own steps) collects static files under production
   settings and migrates a fresh PostgreSQL database of the smoke test's own.
2. gunicorn, a Celery worker and Celery beat start as subprocesses with DEBUG off, against
   that database and Redis, sending mail with Django's SMTP backend to an aiosmtpd sink this
   test runs on a free port: real SMTP over a socket.
3. In Chromium a new user signs up, adds an application and logs an interview that ended
   two hours ago, in a zone where it is early afternoon now: outside the default quiet hours
   (21:00-08:00), so the thank-you reminder (due an hour after the interview) goes out at
   beat's next sweep, which runs every minute. No clock is moved and no task is called by hand.
4. The reminder arrives at the sink; its links name the served SITE_URL, and its "Mark done"
   link works in the browser against gunicorn. A static file is fetched by its hashed name
   from gunicorn (whitenoise), and /healthz reports database, broker and beat healthy.

The site is served on plain http, so the two switches production turns on for HTTPS are
turned off, as the README documents for trying it on localhost: SECURE_SSL_REDIRECT=false,
SECURE_COOKIES=false.

Needs DATABASE_URL (PostgreSQL; the test creates and drops ``<name>_smoke`` beside it) and
REDIS_URL (or SMOKE_REDIS_URL: give it a Redis database no other run's worker consumes, or
their workers may take this run's sweeps). Run with ``make smoke``; CI runs it in .ci/run.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import environ
import pytest

from tests.browser.support import watch_csp_violations
from tests.conftest import ARTIFACTS, require_service
from tests.mail_servers import free_port
from tests.production.smtp_sink import ReceivedMail, SmtpSink, smtp_sink

pytestmark = pytest.mark.smoke

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "casey.smoke@example.com"
PASSWORD = "a-smoke-test-passphrase-of-some-length-71"
# Beat's first sweep comes one interval (60 s) after it starts; the sign-up runs meanwhile.
MAIL_DEADLINE_SECONDS = 150
READY_DEADLINE_SECONDS = 60
# One zone per UTC offset, so that one of them is in the early afternoon at any moment.
ZONES = (
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Atlantic/South_Georgia",
    "Atlantic/Cape_Verde",
    "Africa/Abidjan",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Pacific/Noumea",
    "Pacific/Tarawa",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
)


# --- The stack ------------------------------------------------------------------------------


def _services() -> tuple[dict, str]:
    """The PostgreSQL settings and Redis URL to run against; skipped (failed in CI) without."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("SMOKE_REDIS_URL") or os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        require_service("the production smoke test needs DATABASE_URL=postgres://...")
    if not redis_url:
        require_service("the production smoke test needs REDIS_URL (or SMOKE_REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        require_service(f"Redis at {redis_url} is not reachable")
    return environ.Env.db_url_config(database_url), redis_url


@contextmanager
def _own_database(config: dict) -> Iterator[str]:
    """A fresh PostgreSQL database named after the configured one; dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = f"{config['NAME']}_smoke"
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }

    def admin(statement: sql.Composed) -> None:
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
                conn.execute(statement)
        except psycopg.OperationalError as error:
            require_service(f"PostgreSQL is not reachable: {error}")

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    admin(drop)
    admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    auth = params["user"] or ""
    if params["password"]:
        auth += f":{params['password']}"
    try:
        yield f"postgres://{auth}@{params['host']}:{params['port']}/{name}"
    finally:
        admin(drop)


def _production_env(*, tmp: Path, database_url: str, redis_url: str, site_url: str, sink) -> dict:
    """The environment of every process: production settings on plain http."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "VIRTUAL_ENV"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        PYTHON=sys.executable,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=urlsplit(site_url).hostname,
        SITE_URL=site_url,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        FOLLOWUP_VAR_DIR=str(tmp / "var"),
        STATIC_ROOT=str(tmp / "static"),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=sink.host,
        EMAIL_PORT=str(sink.port),
        DEFAULT_FROM_EMAIL="Followup <followup@smoke.example>",
        # Plain http on localhost: no https redirect, cookies not limited to https.
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        LOG_LEVEL="INFO",
    )
    return env


@contextmanager
def _process(name: str, args: list[str], env: dict, logs: Path) -> Iterator[subprocess.Popen]:
    """A subprocess logging to ``logs/<name>.log``; stopped with SIGTERM, killed if it hangs."""
    logs.mkdir(parents=True, exist_ok=True)
    with (logs / f"{name}.log").open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - this module's own commands
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _logs(logs: Path) -> str:
    """The last lines of every process's log, for a failure message."""
    return "\n".join(
        f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-40:])
        for path in sorted(logs.glob("*.log"))
    )


def _get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local http only
    try:
        return urllib.request.urlopen(request, timeout=10)  # noqa: S310
    except urllib.error.HTTPError as error:
        return error


def _wait_until_serving(site_url: str, processes: list[subprocess.Popen], logs: Path) -> None:
    deadline = time.monotonic() + READY_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        exited = [p.args for p in processes if p.poll() is not None]
        assert not exited, f"exited early: {exited}\n{_logs(logs)}"
        try:
            # 200, or 503 until beat's first tick: either way gunicorn answers.
            _get(f"{site_url}/healthz")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    pytest.fail(f"gunicorn did not answer within {READY_DEADLINE_SECONDS}s\n{_logs(logs)}")


@contextmanager
def production_stack(tmp: Path, sink: SmtpSink) -> Iterator[tuple[str, Path]]:
    """Build, migrate and start web, worker and beat; yield the site's URL and the log folder."""
    config, redis_url = _services()
    logs = ARTIFACTS / "smoke-logs"
    site_url = f"http://127.0.0.1:{free_port()}"
    with ExitStack() as stack:
        database_url = stack.enter_context(_own_database(config))
        env = _production_env(
            tmp=tmp, database_url=database_url, redis_url=redis_url, site_url=site_url, sink=sink
        )
        build = subprocess.run(  # noqa: S603 - the repository's own script
            [str(ROOT / "scripts" / "build-release")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert build.returncode == 0, build.stdout + build.stderr
        python = [sys.executable, "-m"]
        # Beat first: its first sweep is one interval after it starts.
        beat = stack.enter_context(
            _process(
                "beat",
                [*python, "celery", "-A", "followup_site", "beat", "--loglevel=INFO",
                 f"--schedule={tmp / 'celerybeat-schedule'}"],
                env,
                logs,
            )
        )  # fmt: skip
        worker = stack.enter_context(
            _process(
                "worker",
                [*python, "celery", "-A", "followup_site", "worker", "--loglevel=INFO",
                 "--concurrency=1", "--without-mingle", "--without-gossip"],
                env,
                logs,
            )
        )  # fmt: skip
        web = stack.enter_context(
            _process(
                "web",
                [*python, "gunicorn", "followup_site.wsgi:application",
                 "--bind", urlsplit(site_url).netloc, "--workers", "2", "--access-logfile", "-"],
                env,
                logs,
            )
        )  # fmt: skip
        _wait_until_serving(site_url, [beat, worker, web], logs)
        yield site_url, logs


# --- The user's steps -----------------------------------------------------------------------


def afternoon_zone(now: datetime) -> ZoneInfo:
    """The zone of ``ZONES`` whose wall clock is nearest 13:30 now: far from quiet hours."""

    def distance(name: str) -> float:
        local = now.astimezone(ZoneInfo(name))
        return abs(local.hour + local.minute / 60 - 13.5)

    return ZoneInfo(min(ZONES, key=distance))


def sign_up(page) -> None:
    page.goto("/accounts/signup/")
    page.fill("[name=email]", EMAIL)
    page.fill("[name=full_name]", "Casey Smoke")
    page.fill("[name=password1]", PASSWORD)
    page.fill("[name=password2]", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()


def verify_address_and_log_in(page, sink: SmtpSink) -> None:
    """Read the verification email from the sink, confirm the address, then log in."""
    [mail] = sink.wait_for(
        timeout=30, header="X-Followup-Purpose", value="email-verification", to=EMAIL
    )
    link = re.search(r"https?://\S+/accounts/verify/\S+/", mail.part("plain"))
    assert link, mail.part("plain")
    page.goto(link.group(0))
    page.get_by_role("button", name="Yes, confirm my address").click()
    page.get_by_text(f"{EMAIL} is confirmed").wait_for()

    page.goto("/accounts/login/")
    page.fill("[name=username]", EMAIL)
    page.fill("[name=password]", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("#verify-banner").count() == 0


def log_an_interview_that_ended_two_hours_ago(page, zone: ZoneInfo) -> None:
    page.get_by_role("link", name="Add your first application").click()
    page.fill("[name=company_name]", "Smoke Labs")
    page.fill("[name=role]", "Platform engineer")
    page.get_by_role("button", name="Save application").click()
    page.get_by_role("heading", name="Platform engineer").wait_for()

    ended = datetime.now(zone) - timedelta(hours=2)
    started = ended - timedelta(hours=1)
    page.get_by_role("link", name="Log an interview").click()
    page.fill("[name=date]", started.strftime("%Y-%m-%d"))
    page.fill("[name=start_time]", started.strftime("%H:%M"))
    page.fill("[name=end_time]", ended.strftime("%H:%M"))
    page.select_option("[name=timezone]", zone.key)
    page.fill("[name=interviewers-0-name]", "Robin Okafor")
    page.fill("[name=interviewers-0-email]", "robin@smokelabs.example")
    page.fill("[name=interviewers-0-topics]", "Their move to a cell-based architecture")
    page.get_by_role("button", name="Save interview").last.click()
    page.get_by_text("Interview saved.").wait_for()


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"')]+", text)


# --- The test -------------------------------------------------------------------------------


def test_production_stack_signs_up_logs_an_interview_and_mails_the_reminder(browser, tmp_path):
    started = time.monotonic()
    with smtp_sink() as sink, production_stack(tmp_path, sink) as (site_url, logs):
        zone = afternoon_zone(datetime.now(UTC))
        context = browser.new_context(base_url=site_url, timezone_id=zone.key)
        context.set_default_timeout(20_000)
        violations = watch_csp_violations(context)
        page = context.new_page()
        try:
            sign_up(page)
            verify_address_and_log_in(page, sink)
            log_an_interview_that_ended_two_hours_ago(page, zone)

            # 4. The reminder, by SMTP, from the worker, on beat's schedule.
            mails = [
                mail
                for mail in sink.wait_for(timeout=MAIL_DEADLINE_SECONDS, subject="Robin Okafor")
                if EMAIL in mail.rcpt_tos
            ]
            assert mails, f"no reminder within {MAIL_DEADLINE_SECONDS}s\n{_logs(logs)}"
            reminder: ReceivedMail = mails[0]
            assert "Robin Okafor" in reminder.subject
            assert "Platform engineer at Smoke Labs" in reminder.subject
            assert reminder.message["From"] == "Followup <followup@smoke.example>"
            text, html = reminder.part("plain"), reminder.part("html")
            assert "Hello Casey" in text
            assert "Their move to a cell-based architecture" in text
            links = links_in(text) + links_in(html)
            assert links
            assert [link for link in links if not link.startswith(f"{site_url}/")] == []

            done_link = re.search(r'href="([^"]+)"[^>]*>\s*Mark done', html)
            assert done_link, html
            page.goto(done_link.group(1).replace("&amp;", "&"))
            page.get_by_role("heading", name="Mark this task as done?").wait_for()
            page.get_by_role("button", name="Mark done").click()
            page.get_by_text(re.compile("done", re.IGNORECASE)).first.wait_for()
            assert violations == []
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "FAILED-smoke.png"), full_page=True)
            raise
        finally:
            context.close()

        # Static files by hashed name, from gunicorn through whitenoise.
        dashboard_html = _get(f"{site_url}/accounts/login/").read().decode()
        stylesheet = re.search(
            r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', dashboard_html
        )
        assert stylesheet, dashboard_html
        served = _get(f"{site_url}{stylesheet.group(1)}")
        assert served.status == 200
        assert "immutable" in served.headers["Cache-Control"]
        source = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
        # The same file, but for the reference to its source map, which names the hashed map.
        body = served.read()
        assert re.sub(rb"min\.css\.[0-9a-f]{12}\.map", b"min.css.map", body) == source.read_bytes()
        compressed = _get(f"{site_url}{stylesheet.group(1)}", **{"Accept-Encoding": "gzip"})
        assert compressed.headers["Content-Encoding"] == "gzip"

        health = _get(f"{site_url}/healthz")
        assert health.status == 200, health.read().decode()

    print(f"smoke test: {time.monotonic() - started:.0f}s")
