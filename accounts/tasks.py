"""Celery entry points of the accounts app: thin, by id; the services do the work."""

from __future__ import annotations

from celery import shared_task

from accounts.data_export import data_export_build, data_exports_expire


@shared_task(ignore_result=True)
def data_export_build_task(export_id: int) -> None:
    """Build one data export; a redelivered or duplicate task finds it claimed and stops."""
    data_export_build(export_id=export_id)


@shared_task(ignore_result=True)
def data_exports_expire_task() -> int:
    """Delete the files of data exports past their expiry (beat)."""
    return data_exports_expire()
