"""Celery entry points of the interviews app: thin, taking ids; the work is in services."""

from __future__ import annotations

from celery import shared_task

from interviews.spreadsheet_import import (
    spreadsheet_import_run,
    spreadsheet_imports_expire,
    spreadsheet_imports_stalled,
)


@shared_task(ignore_result=True)
def spreadsheet_import(import_id: int) -> str:
    """Import a large spreadsheet a batch at a time (the progress bar reads the counter)."""
    return spreadsheet_import_run(import_id=import_id)


@shared_task(ignore_result=True)
def spreadsheet_imports_sweep() -> int:
    """Every few minutes (beat): queue again the imports whose message was lost (a broker
    flushed, a worker killed past its retries), and delete the uploads nobody finished
    importing in time. Returns how many imports were queued again."""
    stalled = spreadsheet_imports_stalled()
    for import_id in stalled:
        spreadsheet_import.delay(import_id)
    spreadsheet_imports_expire()
    return len(stalled)
