"""Large spreadsheets import on a real Celery worker, behind a progress bar.

The worker is a subprocess against this test's database (PostgreSQL's ``test_<name>`` or the
SQLite test file) on the broker this process publishes to: Redis when REDIS_URL is set, else
the filesystem broker under ``settings.VAR_DIR``; the import task is routed to a queue of this
test's own (tests/reminders/workers.py). The web side is the test client: it confirms the
import, which queues the task on commit, and polls the progress fragment as htmx would.
"""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.urls import reverse

from followup_site.celery import app
from interviews.models import Application, Company, Contact, SpreadsheetImport
from tests.interviews.spreadsheets import database_refuses_role, many_rows
from tests.interviews.test_spreadsheet_import import previewed
from tests.reminders.workers import routed_to_own_queue, wait_for, worker, worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

READY_DEADLINE_SECONDS = 60
IMPORT_DEADLINE_SECONDS = 240
TASK = "interviews.tasks.spreadsheet_import"
PROGRESS = re.compile(r'<progress[^>]* value="(\d+)" max="(\d+)"')


def _state(job: SpreadsheetImport) -> str:
    return SpreadsheetImport.objects.values_list("state", flat=True).get(pk=job.pk)


def _ready_worker(log, queue):
    env = worker_env(settings.VAR_DIR, broker_url=app.conf.broker_url)
    return worker(log, env, "--queues", queue.name)


def test_a_large_file_imports_on_the_worker_with_progress_that_survives_a_reload(
    tmp_path, logged_in_client, user, settings
):
    settings.SPREADSHEET_IMPORT_BACKGROUND_ROWS = 100
    job = previewed(logged_in_client, many_rows(400))
    preview = reverse("interviews:import_preview", args=[job.pk])
    assert "imported in the background" in logged_in_client.get(preview).content.decode()
    log = tmp_path / "worker.log"
    seen: list[tuple[int, int]] = []
    with routed_to_own_queue(TASK) as queue, _ready_worker(log, queue) as running:
        ready = wait_for(running, lambda: " ready." in log.read_text(), deadline=60)
        assert ready, log.read_text()[-4000:]

        response = logged_in_client.post(preview)

        status = reverse("interviews:import_status", args=[job.pk])
        assert response.url == status
        page = logged_in_client.get(status).content.decode()
        assert 'hx-trigger="every 1s"' in page
        assert PROGRESS.search(page)
        progress = reverse("interviews:import_progress", args=[job.pk])
        started = time.monotonic()
        while time.monotonic() - started < IMPORT_DEADLINE_SECONDS and running.poll() is None:
            fragment = logged_in_client.get(progress).content.decode()
            seen.append(tuple(int(n) for n in PROGRESS.search(fragment).groups()))
            if "Import finished." in fragment:
                break
            time.sleep(0.2)

    output = log.read_text()
    job.refresh_from_db()
    assert job.state == SpreadsheetImport.State.DONE, (job.failure, output[-4000:])
    assert re.search(rf"Task {re.escape(TASK)}\[[^]]+\] succeeded", output)
    assert Application.objects.filter(user=user).count() == 400
    assert Company.objects.filter(user=user).count() == 40
    assert Contact.objects.filter(user=user).count() == 400
    assert job.summary == {
        "applications": 400,
        "applications_matched": 0,
        "companies": 40,
        "contacts": 400,
        "contacts_matched": 0,
        "skipped": 0,
    }
    assert all(total == 400 for _, total in seen)
    assert seen[-1] == (400, 400)
    assert any(0 < done < 400 for done, _ in seen), seen
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    # Reloading the page later shows the finished import and polls no more.
    final = logged_in_client.get(status).content.decode()
    assert "Import finished." in final and "hx-trigger" not in final


def test_a_row_the_database_refuses_undoes_the_import_and_the_worker_goes_on(
    tmp_path, logged_in_client, user, settings
):
    """Row 121 fails after two batches of 50 have committed: they are taken back, the import
    is marked failed with the row, and the same worker then imports the next file whole."""
    settings.SPREADSHEET_IMPORT_BACKGROUND_ROWS = 100
    failing = previewed(logged_in_client, many_rows(150, refused_at=120))
    log = tmp_path / "worker.log"
    with (
        database_refuses_role(),
        routed_to_own_queue(TASK) as queue,
        _ready_worker(log, queue) as running,
    ):
        ready = wait_for(running, lambda: " ready." in log.read_text(), deadline=60)
        assert ready, log.read_text()[-4000:]
        logged_in_client.post(reverse("interviews:import_preview", args=[failing.pk]))
        wait_for(
            running,
            lambda: _state(failing) == SpreadsheetImport.State.FAILED,
            deadline=IMPORT_DEADLINE_SECONDS,
        )
        assert _state(failing) == SpreadsheetImport.State.FAILED, log.read_text()[-4000:]
        assert not Application.objects.filter(user=user).exists()
        assert not Contact.objects.filter(user=user).exists()
        assert not Company.objects.filter(user=user).exists()

        good = previewed(logged_in_client, many_rows(120))
        logged_in_client.post(reverse("interviews:import_preview", args=[good.pk]))
        wait_for(
            running,
            lambda: _state(good) == SpreadsheetImport.State.DONE,
            deadline=IMPORT_DEADLINE_SECONDS,
        )
        assert running.poll() is None, "the worker is still running"

    failing.refresh_from_db()
    assert failing.failure.startswith("Row 121 could not be imported")
    assert (failing.done, failing.created) == (0, {})
    assert _state(good) == SpreadsheetImport.State.DONE, log.read_text()[-4000:]
    assert Application.objects.filter(user=user).count() == 120
    page = logged_in_client.get(reverse("interviews:import_status", args=[failing.pk]))
    assert "Row 121 could not be imported" in page.content.decode()
