"""Celery entry points of the interviews app: thin, taking ids; the work is in services."""

from __future__ import annotations

from celery import shared_task

from interviews.spreadsheet_import import spreadsheet_import_run, spreadsheet_imports_expire


@shared_task(ignore_result=True)
def spreadsheet_import(import_id: int) -> str:
    """Import a large spreadsheet a batch at a time (the progress bar reads the counter)."""
    return spreadsheet_import_run(import_id=import_id)


@shared_task(ignore_result=True)
def spreadsheet_imports_expire_sweep() -> int:
    """Delete uploaded spreadsheets nobody finished importing in time (beat, hourly)."""
    return spreadsheet_imports_expire()
