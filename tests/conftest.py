"""Fixtures shared by the whole suite: users, the browser, and the real services.

The suite runs on whatever DATABASE_URL / REDIS_URL say, and on the embedded default
(SQLite, filesystem broker) when they are unset. Under CI=true a test that would be
skipped for a missing service fails instead: CI must prove every path.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import DEFAULT_PASSWORD, UserFactory

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_service(reason: str) -> None:
    """Skip locally when a service is missing, but fail in CI, where every service must run."""
    if os.environ.get("CI"):
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _captured_mail_dir(tmp_path: Path, settings) -> None:
    # Each test reads only the mail it caused.
    settings.CAPTURED_MAIL_DIR = tmp_path / "mail"


@pytest.fixture(autouse=True)
def _user_files_dir(tmp_path: Path, settings) -> None:
    # Each test's data exports and uploads land in its own folder, never under var/.
    settings.USER_FILES_DIR = tmp_path / "user-files"


@pytest.fixture(autouse=True)
def _fresh_cache(tmp_path: Path, settings) -> None:
    # The throttles count in the cache: each test starts from zero. A key prefix of its own
    # (and, for the file cache, a directory of its own) rather than clear(), which on Redis
    # would flush the Celery broker's keys sharing that database.
    default = dict(settings.CACHES["default"])
    default["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    if default["BACKEND"] == "followup_site.cache.LockedFileCache":
        default["LOCATION"] = str(tmp_path / "cache")
    settings.CACHES = {**settings.CACHES, "default": default}


@pytest.fixture
def session_queries(settings) -> int:
    """Queries a logged-in request spends reading its session: none when Redis holds the
    sessions (cached_db, as with REDIS_URL), one from the database otherwise."""
    return 0 if settings.SESSION_ENGINE.endswith(".cached_db") else 1


@pytest.fixture
def mount_esp(settings):
    """Remount the project's URLs as if EMAIL_BACKEND named the given ESP.

    The webhooks mounted are chosen when followup_site.urls is imported (as in production);
    Django's test set-up replaces EMAIL_BACKEND with locmem, so tests name the ESP instead.
    """
    import importlib

    from django.urls import clear_url_caches

    import followup_site.urls

    original = settings.WEBHOOK_ESP

    def mount(esp: str) -> None:
        settings.WEBHOOK_ESP = esp
        importlib.reload(followup_site.urls)
        clear_url_caches()

    yield mount
    settings.WEBHOOK_ESP = original
    importlib.reload(followup_site.urls)
    clear_url_caches()


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def client_for(db):
    """A test client logged in as the given user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def logged_in_client(user, client_for) -> Client:
    return client_for(user)


# --- Browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        require_service(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, request) -> Iterator[object]:
    """A fresh browser page against the live server; a screenshot is kept if the test fails."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ (and, if asked, for the README)."""

    def take(page, name: str, *, readme: bool = False) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if readme:
            docs = Path(settings.BASE_DIR) / "docs" / "screenshots"
            docs.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(docs / f"{name}.png"), full_page=True)
        return path

    return take


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test means a path went unproven: fail the run."""
    if not os.environ.get("CI") or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped:
        names = ", ".join(report.nodeid for report in skipped[:10])
        reporter.write_line(
            f"CI: {len(skipped)} test(s) skipped, which CI counts as failure: {names}"
        )
        session.exitstatus = 1
