"""Everything out: a zip of all the user's data, built by a worker, downloadable for a while.

Where this lives, and why here: the export needs every app (interviews, outreach, reminders),
and the apps are layered so that accounts imports none of them. Rather than put the export
in the highest app (reminders, which would then know about accounts' pages) or in the
project package (which no layer rule covers), each app declares its part in
``accounts.user_data`` from its ``AppConfig.ready()``: its models with the path to the user,
and writers for the files only it knows how to make (vCards, a calendar, .eml messages).
This module only walks that registry, so it stays in the app that owns the user, the
settings page and the deletion, and a model added later is caught by the registry's test.

Building one export (``data_export_build``, in the worker):

1. Claim the row: QUEUED to BUILDING in one conditional UPDATE (or a BUILDING row whose
   build started more than ``STALE_BUILD`` ago: its worker died and the broker handed the
   task out again). Only the worker whose UPDATE took the row builds.
2. Write the zip to a temporary name in the user's folder: a README, a manifest with the row
   counts, one JSON file per model (Django's serialization format, streamed in chunks,
   secrets such as the password hash left out), then each app's files. The progress is
   saved after each step, for the page's progress bar.
3. Move the file into place and record READY with its expiry, if the row is still ours;
   if the account went meanwhile, delete the file instead. On an error: FAILED, a message
   for the page, and no file left behind.

The periodic cleanup (``data_exports_expire``, beat) deletes files past their expiry.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
import zipfile
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core import serializers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import DataExport, User
from accounts.user_data import OwnedModel, export_files, owned_models
from accounts.user_files import user_folder, user_folder_delete

logger = logging.getLogger(__name__)

# A build that has run this long without finishing belongs to a worker that died.
STALE_BUILD = timedelta(minutes=30)
CHUNK_ROWS = 500
_README = """Your data from Followup
=======================

Exported {exported_at} (UTC) for {email}.

data/*.json     Every row Followup kept for you, one file per kind of row, in Django's
                serialization format: [{{"model": ..., "pk": ..., "fields": {{...}}}}].
                Rows point at each other by "pk" (an application's "company" is the pk of
                a row in data/interviews.company.json). Your password and secret
                addresses are not included.
{files}manifest.json   How many rows of each kind the export holds.
"""


def _export_path(export: DataExport) -> Path:
    return user_folder(user_id=export.user_id) / "exports" / export.file_name


def ttl() -> timedelta:
    return timedelta(hours=settings.DATA_EXPORT_TTL_HOURS)


# --- Asking for an export (web) -------------------------------------------------------------


def data_export_request(*, user: User, now: datetime | None = None) -> DataExport:
    """Start an export of everything the user keeps here; the worker builds it.

    While one is waiting or being built it is returned as it is (a second click starts
    nothing). Otherwise the previous export, and its file, make way for the new one.
    """
    from accounts.tasks import data_export_build_task

    now = now or timezone.now()
    with transaction.atomic():
        # Lock the user's row: two clicks at once must not start two builds.
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = DataExport.objects.filter(user=user).first()
        if current is not None and _running(current, now=now):
            return current
        for old in DataExport.objects.filter(user=user):
            _delete_file(old)
            old.delete()
        export = DataExport.objects.create(user=user, requested_at=now)
        pk = export.pk
        transaction.on_commit(lambda: data_export_build_task.delay(pk))
    return export


def _running(export: DataExport, *, now: datetime) -> bool:
    if export.state == DataExport.State.QUEUED:
        return True
    return export.state == DataExport.State.BUILDING and (
        export.started_at is not None and export.started_at > now - STALE_BUILD
    )


# --- Building it (worker) -------------------------------------------------------------------


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build the export's zip (see the module's steps); None when there is nothing to do:
    the row is gone (the account was deleted), built already, or another worker builds it."""
    now = timezone.now()
    claimed = DataExport.objects.filter(
        Q(state=DataExport.State.QUEUED)
        | Q(state=DataExport.State.BUILDING, started_at__lte=now - STALE_BUILD),
        pk=export_id,
    ).update(state=DataExport.State.BUILDING, started_at=now, progress=0, error="")
    if claimed != 1:
        return None
    export = DataExport.objects.select_related("user").get(pk=export_id)
    export.file_name = f"followup-{secrets.token_urlsafe(16)}.zip"
    folder = user_folder(user_id=export.user_id, create=True) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{export.file_name}.partial"
    try:
        _write_zip(export, partial, now=now)
        final = _export_path(export)
        partial.replace(final)
    except Exception as error:
        partial.unlink(missing_ok=True)
        logger.exception("Data export %s of user %s failed", export.pk, export.user_id)
        DataExport.objects.filter(pk=export.pk, started_at=now).update(
            state=DataExport.State.FAILED,
            finished_at=timezone.now(),
            error=f"{error.__class__.__name__}: {error}"[:2000],
        )
        return None
    finished = timezone.now()
    done = DataExport.objects.filter(
        pk=export.pk, state=DataExport.State.BUILDING, started_at=now
    ).update(
        state=DataExport.State.READY,
        progress=100,
        file_name=export.file_name,
        size_bytes=final.stat().st_size,
        finished_at=finished,
        expires_at=finished + ttl(),
    )
    if done != 1:
        # The account (or this export) was deleted while it was built: keep nothing.
        final.unlink(missing_ok=True)
        if not User.objects.filter(pk=export.user_id).exists():
            user_folder_delete(user_id=export.user_id)
        return None
    export.refresh_from_db()
    return export


def _write_zip(export: DataExport, path: Path, *, now: datetime) -> None:
    owned = owned_models()
    files = export_files()
    steps = len(owned) + len(files)
    user = export.user
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, entry in enumerate(owned, start=1):
            counts[entry.label] = _write_model(archive, entry, user_id=user.pk)
            _progress(export, done=done, steps=steps)
        written = []
        for done, export_file in enumerate(files, start=len(owned) + 1):
            for name, content in export_file.write(user.pk):
                archive.writestr(_safe_name(name), content)
            written.append(export_file)
            _progress(export, done=done, steps=steps)
        listing = "".join(f"{f.name:<15} {f.description}\n" for f in written)
        archive.writestr(
            "README.txt",
            _README.format(
                exported_at=now.strftime("%Y-%m-%d %H:%M"), email=user.email, files=listing
            ),
        )
        manifest = {
            "exported_at": now.isoformat(),
            "user_id": user.pk,
            "rows": counts,
            "files": [f.name for f in written],
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))


def _write_model(archive: zipfile.ZipFile, entry: OwnedModel, *, user_id: int) -> int:
    """Stream the user's rows of one model into data/<app>.<model>.json; returns the count."""
    meta = entry.model._meta
    fields = [
        f.name
        for f in [*meta.concrete_fields, *meta.many_to_many]
        if not f.primary_key and f.name not in entry.secret_fields
    ]
    rows = entry.rows_of(user_id)
    m2m = [f.name for f in meta.many_to_many]
    if m2m:
        rows = rows.prefetch_related(*m2m)
    count = rows.count()
    with archive.open(f"data/{entry.label}.json", "w") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        serializers.serialize(
            "json", rows.iterator(chunk_size=CHUNK_ROWS), stream=text, fields=fields, indent=2
        )
        text.flush()
        text.detach()
    return count


def _safe_name(name: str) -> str:
    """A writer's file name, refused if it could land outside the zip's own folders."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"Refusing to write {name!r} into an export.")
    return str(path)


def _progress(export: DataExport, *, done: int, steps: int) -> None:
    percent = min(99, round(100 * done / max(steps, 1)))
    DataExport.objects.filter(pk=export.pk, state=DataExport.State.BUILDING).update(
        progress=percent
    )


# --- Downloading and expiring ---------------------------------------------------------------


class ExportGone(Exception):
    """The export expired (its file is deleted, or about to be)."""


class ExportNotReady(Exception):
    """The export is still being built, or failed."""


def data_export_file(
    *, user: User, pk: int, now: datetime | None = None
) -> tuple[DataExport, Path]:
    """The user's export ``pk`` and its file. Raises DataExport.DoesNotExist for another
    user's (or no) export, ExportGone once it expired, ExportNotReady before it is built."""
    now = now or timezone.now()
    export = DataExport.objects.get(pk=pk, user=user)
    if export.state == DataExport.State.EXPIRED:
        raise ExportGone
    if export.state != DataExport.State.READY:
        raise ExportNotReady
    path = _export_path(export)
    if export.expires_at is None or export.expires_at <= now or not path.exists():
        raise ExportGone
    return export, path


def data_exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry; returns how many. The rows stay
    EXPIRED, so that an old download link answers that the file is gone."""
    now = now or timezone.now()
    expired = 0
    due = DataExport.objects.filter(state=DataExport.State.READY, expires_at__lte=now)
    for export in due.iterator():
        _delete_file(export)
        expired += DataExport.objects.filter(pk=export.pk, state=DataExport.State.READY).update(
            state=DataExport.State.EXPIRED, file_name="", size_bytes=0
        )
    # An export nobody built (no worker ran) or whose worker died is marked failed, so the
    # page offers to start again instead of waiting for ever.
    DataExport.objects.filter(
        Q(state=DataExport.State.QUEUED, requested_at__lte=now - ttl())
        | Q(state=DataExport.State.BUILDING, started_at__lte=now - ttl())
    ).update(
        state=DataExport.State.FAILED,
        finished_at=now,
        error="No worker finished this export.",
    )
    return expired


def _delete_file(export: DataExport) -> None:
    if not export.file_name:
        return
    try:
        _export_path(export).unlink(missing_ok=True)
    except OSError:
        logger.exception("Could not delete the file of data export %s", export.pk)


def data_export_latest(*, user: User) -> DataExport | None:
    return DataExport.objects.filter(user=user).first()
