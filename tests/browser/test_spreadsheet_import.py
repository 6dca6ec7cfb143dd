"""Importing spreadsheets in the browser: a small file through columns and preview, and a
large one on a real Celery worker behind a progress bar that survives a reload.

The worker is a subprocess on the broker this process (and its live server thread)
publishes to, consuming only a queue of this test's own (tests/reminders/workers.py).
"""

from __future__ import annotations

import re

import pytest

from followup_site.celery import app
from interviews.models import Application, Contact, SpreadsheetImport
from tests.browser.support import log_in, watch_csp_violations
from tests.factories import UserFactory
from tests.interviews.spreadsheets import csv_bytes, many_rows
from tests.reminders.workers import routed_to_own_queue, wait_for, worker, worker_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
SMALL = csv_bytes(
    [
        "Acme Robotics,Senior backend engineer,Applied,04/03/2025,jobs.acme.example/123,"
        "Referred by Bo,Anna Berg,anna@acme.example,+49 30 1234567",
        "acme robotics,Platform engineer,Phone screen,06/03/2025,,,Anna Berg,anna@acme.example,",
        "Globex,SRE,Someday,2025-02-30,,,,,",
        "Initech,QA lead,Rejected,2025-02-20,,Too far away,,,",
    ]
)


def choose_file(page, path) -> None:
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and choose columns").click()


def test_a_small_spreadsheet_imports_through_columns_and_preview(
    page, live_server, screenshot, tmp_path
):
    seeker = UserFactory()
    violations = watch_csp_violations(page.context)
    log_in(page, seeker)
    page.goto("/applications/")
    page.get_by_role("link", name="Import a spreadsheet").click()
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b'Company,Role\r\nAcme,Dev\r\n"Globex,Ops\r\n')
    choose_file(page, broken)
    page.get_by_text('Row 3: a quote (") opened there is never closed').wait_for()
    screenshot(page, "import-refused")
    path = tmp_path / "applications.csv"
    path.write_bytes(SMALL)
    choose_file(page, path)

    page.get_by_role("heading", name="Which column is which?").wait_for()
    assert page.get_by_label("Role").input_value() == "1"
    assert page.get_by_label("Contact email").input_value() == "7"
    screenshot(page, "import-columns")
    page.get_by_role("button", name="Check the rows").click()

    page.get_by_role("heading", name="Check before importing").wait_for()
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 2
    assert errors.nth(0).inner_text().split("\t") == [
        "4",
        "Status",
        "“Someday” is not a stage we know; use applied, screening, interviewing, offer, "
        "rejected, withdrawn, no response or accepted.",
    ]
    assert "“2025-02-30” is not a real date." in errors.nth(1).inner_text()
    assert page.get_by_role("button", name=re.compile("Import all")).count() == 0
    screenshot(page, "import-preview")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "import-preview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Import the 3 valid rows").click()

    page.get_by_text("Import finished.").wait_for()
    summary = page.locator("#import-summary").inner_text()
    assert "3 applications added" in summary
    assert "1 row with errors left out" in summary
    screenshot(page, "import-done")
    assert Application.objects.filter(user=seeker).count() == 3
    assert list(Contact.objects.filter(user=seeker).values_list("name", flat=True)) == ["Anna Berg"]
    page.get_by_role("link", name="See your applications").click()
    page.get_by_role("link", name="Platform engineer").wait_for()
    assert violations == []


def test_a_large_spreadsheet_shows_its_progress_on_the_worker(
    page, live_server, screenshot, tmp_path, settings
):
    settings.SPREADSHEET_IMPORT_BACKGROUND_ROWS = 100
    seeker = UserFactory()
    violations = watch_csp_violations(page.context)
    log_in(page, seeker)
    path = tmp_path / "many.csv"
    path.write_bytes(many_rows(600))
    page.goto("/applications/import/")
    choose_file(page, path)
    page.get_by_role("button", name="Check the rows").click()
    page.get_by_text("imported in the background").wait_for()

    log = tmp_path / "worker.log"
    env = worker_env(settings.VAR_DIR, broker_url=app.conf.broker_url)
    with (
        routed_to_own_queue("interviews.tasks.spreadsheet_import") as queue,
        worker(log, env, "--queues", queue.name) as running,
    ):
        ready = wait_for(running, lambda: " ready." in log.read_text(), deadline=60)
        assert ready, log.read_text()[-4000:]
        page.get_by_role("button", name="Import all 600 rows").click()

        bar = page.locator("progress.import-progress")
        bar.wait_for()
        job = SpreadsheetImport.objects.get(user=seeker)
        assert wait_for(running, lambda: 100 <= _done(job) < 500, deadline=120), _done(job)
        # htmx polls every second: the bar in the page moves without a reload.
        page.wait_for_function(
            "() => Number(document.querySelector('progress.import-progress').value) > 0",
            timeout=10_000,
        )
        assert 0 < int(bar.get_attribute("value")) < 600
        screenshot(page, "import-progress")

        page.reload()
        assert "of 600 rows" in page.locator("#import-progress").inner_text()

        page.get_by_text("Import finished.").wait_for(timeout=240_000)
    assert "600 applications added" in page.locator("#import-summary").inner_text()
    assert bar.get_attribute("value") == "600"
    screenshot(page, "import-progress-done")
    assert Application.objects.filter(user=seeker).count() == 600
    assert violations == []


def _done(job: SpreadsheetImport) -> int:
    return SpreadsheetImport.objects.values_list("done", flat=True).get(pk=job.pk)
