"""Everything out, then leaving: the export is built by a real Celery worker, downloaded and
read; then the account is deleted through its pages.

The user asks for the export before any worker runs: the page says it is waiting, and says
so again after a reload. Then a worker starts (a subprocess on this test's own queue, see
tests/reminders/workers.py), builds the zip, the page (polling with htmx) offers it, the
browser downloads it and the test opens it. Last the user deletes the account: a wrong
password is refused with a clear message, the right one leads to the goodbye page.
"""

from __future__ import annotations

import email
import json
import re
import zipfile
from email import policy

import pytest
from django.conf import settings as django_settings

from accounts.models import DataExport, User
from followup_site.celery import app
from interviews.models import Application, Contact
from tests.accounts.test_user_deletion import full_graph
from tests.browser.support import log_in, watch_csp_violations
from tests.conftest import ARTIFACTS
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.reminders.workers import routed_to_own_queue, wait_for, worker, worker_env

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
READY_DEADLINE_SECONDS = 60
BUILD_DEADLINE_MS = 90_000


def _fits_the_phone(page) -> bool:
    page.set_viewport_size(PHONE)
    fits = page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    return fits


def test_a_user_exports_everything_then_deletes_the_account(
    browser, live_server, screenshot, tmp_path
):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(15_000)
    violations = watch_csp_violations(context)
    page = context.new_page()
    seeker = UserFactory(email="ada@seeker.example", full_name="Ada Lovelace")
    full_graph(seeker)
    bystander = UserFactory(email="bo@seeker.example")
    full_graph(bystander)

    env = worker_env(django_settings.VAR_DIR, broker_url=app.conf.broker_url)
    env["USER_FILES_DIR"] = str(django_settings.USER_FILES_DIR)
    log = tmp_path / "worker.log"
    # The export's task goes to a queue of this test's own (the broker may be shared), where
    # it waits until the worker starts.
    with routed_to_own_queue("accounts.tasks.data_export_build_task") as queue:
        log_in(page, seeker)
        page.goto("/accounts/settings/#your-data")
        page.get_by_role("button", name="Export all my data").click()
        page.get_by_text("Waiting for the worker").wait_for()
        page.reload()  # the state is the database's: a reload shows it again
        page.get_by_text("Waiting for the worker").wait_for()
        page.locator("#your-data").scroll_into_view_if_needed()
        screenshot(page, "data-export-waiting")

        with worker(log, env, "--queues", queue.name) as process:
            ready = wait_for(
                process, lambda: " ready." in log.read_text(), deadline=READY_DEADLINE_SECONDS
            )
            assert ready, log.read_text()[-4000:]
            download_link = page.get_by_role("link", name="Download the zip")
            download_link.wait_for(timeout=BUILD_DEADLINE_MS)
    assert re.search(
        r"Task accounts\.tasks\.data_export_build_task\[[^]]+\] succeeded", log.read_text()
    )
    assert "is ready" in page.inner_text("#your-data")
    screenshot(page, "data-export-ready")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#your-data").screenshot(path=str(ARTIFACTS / "data-export-ready-section.png"))

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert re.fullmatch(r"followup-export-\d{4}-\d\d-\d\d\.zip", download.suggested_filename)
    saved = tmp_path / "export.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        applications = json.loads(archive.read("data/interviews.application.json"))
        user_rows = json.loads(archive.read("data/accounts.user.json"))
        cards = archive.read("contacts.vcf").decode()
        calendar = archive.read("calendar.ics").decode()
        emls = [archive.read(n) for n in names if n.startswith("emails/")]
    assert {"README.txt", "contacts.vcf", "calendar.ics"} <= names
    assert {row["pk"] for row in applications} == set(
        Application.objects.filter(user=seeker).values_list("pk", flat=True)
    )
    assert manifest["rows"]["interviews.contact"] == Contact.objects.filter(user=seeker).count()
    assert [row["fields"]["email"] for row in user_rows] == ["ada@seeker.example"]
    assert "password" not in user_rows[0]["fields"]
    assert cards.count("BEGIN:VCARD") == 3 and "Ana Ortiz" in cards
    assert calendar.count("BEGIN:VEVENT") == 2 and "BEGIN:VTODO" in calendar
    subjects = {email.message_from_bytes(m, policy=policy.default)["Subject"] for m in emls}
    assert subjects == {"Following up?", "Re: thanks"}
    assert "bo@seeker.example" not in " ".join(
        archive_text for archive_text in (cards, calendar, json.dumps(applications))
    )

    assert _fits_the_phone(page)
    screenshot(page, "data-export-ready-phone")
    page.set_viewport_size(DESKTOP)

    # Leaving.
    page.get_by_role("link", name="Delete my account…").click()
    page.get_by_role("heading", name="Delete your account").wait_for()
    screenshot(page, "account-delete-confirm")
    page.fill("[name=password]", "not-my-password")
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("That is not the password of this account. Nothing was deleted.").wait_for()
    assert _fits_the_phone(page)
    screenshot(page, "account-delete-wrong-password-phone")
    page.set_viewport_size(DESKTOP)
    assert User.objects.filter(pk=seeker.pk).exists()

    page.fill("[name=password]", DEFAULT_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_role("heading", name="Your account is deleted").wait_for()
    screenshot(page, "account-deleted-goodbye")
    assert not User.objects.filter(pk=seeker.pk).exists()
    assert not DataExport.objects.filter(user_id=seeker.pk).exists()
    assert not (django_settings.USER_FILES_DIR / str(seeker.pk)).exists()
    assert Application.objects.filter(user=bystander).count() == 2
    # Logged out: the app's pages ask for a log-in again.
    page.goto("/accounts/settings/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert violations == []
    context.close()
