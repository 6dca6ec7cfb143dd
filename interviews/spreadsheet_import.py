"""Importing a spreadsheet of applications (and their contacts), step by step.

1. ``spreadsheet_import_start`` parses the upload (``interviews.spreadsheet``) and keeps the
   cells on a ``SpreadsheetImport`` row of the user's, with a guess at which column is what.
2. ``spreadsheet_import_map`` takes the user's column choices and checks every row, keeping
   one error per bad cell for the preview.
3. ``spreadsheet_import_confirm`` imports every row (only when none has an error) or, if the
   user said so, the valid ones. A small file is imported at once in one transaction; a
   larger one by the worker (``interviews.tasks.spreadsheet_import``), which commits a batch
   of rows at a time with the progress counter, so the progress bar can read it, a crash
   resumes where it stopped, and a failure takes back every row the import had created.

Rows become applications through ``application_create`` and ``application_close`` and
contacts through ``contact_create``, so they are planned and behave like hand-made ones.
Companies are matched by name ignoring case, contacts by email address (or, without one,
by name at the same company), and a row naming an application the user already has (same
company and role, same date if both have one) adds nothing, so a file imported twice does
not double the user's applications.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import User
from interviews import services
from interviews.models import Application, Company, Contact, SpreadsheetImport
from interviews.spreadsheet import (
    REQUIRED_KEYS,
    TARGET_KEYS,
    TARGET_LABELS,
    CleanRow,
    csv_read,
    date_order_guess,
    mapping_guess,
    row_clean,
)

logger = logging.getLogger(__name__)

State = SpreadsheetImport.State
# Rows the worker commits at once: small enough that the progress bar moves every second or
# so, large enough that the commits cost little.
BATCH_ROWS = 50


def _expires_at() -> datetime:
    return timezone.now() + timedelta(hours=settings.SPREADSHEET_IMPORT_KEEP_HOURS)


def spreadsheet_imports_expire(*, now: datetime | None = None) -> int:
    """Delete the uploads nobody finished importing in time (and finished imports' rows)."""
    now = now or timezone.now()
    deleted, _ = (
        SpreadsheetImport.objects.filter(expires_at__lt=now)
        .exclude(state__in=[State.QUEUED, State.RUNNING])
        .delete()
    )
    return deleted


# An import whose row has not moved for this long lost its worker or its broker message.
STALLED_AFTER = timedelta(minutes=10)


def spreadsheet_imports_stalled(*, now: datetime | None = None) -> list[int]:
    """The imports queued or running whose counter has not moved for ``STALLED_AFTER``.

    Queuing one again is safe even if a worker is still on it: each batch locks the import
    row and starts from its committed counter, so no row is imported twice.
    """
    now = now or timezone.now()
    return list(
        SpreadsheetImport.objects.filter(
            state__in=[State.QUEUED, State.RUNNING], updated_at__lt=now - STALLED_AFTER
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def spreadsheet_import_start(*, user: User, data: bytes, file_name: str) -> SpreadsheetImport:
    """Parse the upload and keep it for the next steps; raises ``SpreadsheetError``."""
    parsed = csv_read(data, max_rows=settings.SPREADSHEET_IMPORT_MAX_ROWS)
    mapping = mapping_guess(parsed.header)
    dates = (
        [cells[mapping["applied_on"]] for _, cells in parsed.rows]
        if "applied_on" in mapping
        else []
    )
    SpreadsheetImport.objects.filter(user=user, expires_at__lt=timezone.now()).exclude(
        state__in=[State.QUEUED, State.RUNNING]
    ).delete()
    return SpreadsheetImport.objects.create(
        user=user,
        # Shown back to the user only; no file is ever stored under this name.
        file_name=" ".join(file_name.split())[:200],
        encoding=parsed.encoding,
        header=parsed.header,
        rows=[[number, cells] for number, cells in parsed.rows],
        mapping=mapping,
        date_order=SpreadsheetImport.DateOrder.DAY_FIRST
        if date_order_guess(dates)
        else SpreadsheetImport.DateOrder.MONTH_FIRST,
        summary={"notice": parsed.notice} if parsed.notice else {},
        total=len(parsed.rows),
        expires_at=_expires_at(),
    )


def _cleaned(job: SpreadsheetImport) -> Iterable[CleanRow | list]:
    day_first = job.date_order == SpreadsheetImport.DateOrder.DAY_FIRST
    mapping = {key: int(index) for key, index in job.mapping.items()}
    for number, cells in job.rows:
        yield row_clean(
            number=number, cells=cells, header=job.header, mapping=mapping, day_first=day_first
        )


@transaction.atomic
def spreadsheet_import_map(
    *, job: SpreadsheetImport, mapping: dict[str, int], date_order: str
) -> SpreadsheetImport:
    """Use these columns (field -> column index) and check every row against them."""
    # Locked and read afresh: an import confirmed in another tab meanwhile is not re-mapped.
    job = SpreadsheetImport.objects.select_for_update().get(pk=job.pk)
    if job.state not in (State.MAPPING, State.PREVIEW):
        raise ValidationError("This import has already started.")
    missing = [TARGET_LABELS[key] for key in REQUIRED_KEYS if key not in mapping]
    if missing:
        raise ValidationError(f"Choose the column that holds: {', '.join(missing)}.")
    if any(
        key not in TARGET_KEYS or not 0 <= index < len(job.header) for key, index in mapping.items()
    ):
        raise ValidationError("That column is not in the file.")
    job.mapping = mapping
    job.date_order = date_order
    errors, valid = [], 0
    for result in _cleaned(job):
        if isinstance(result, CleanRow):
            valid += 1
        else:
            errors.extend(asdict(error) for error in result)
    job.errors = errors
    job.valid_count = valid
    job.state = State.PREVIEW
    job.save()
    return job


def spreadsheet_import_confirm(*, job: SpreadsheetImport, only_valid: bool) -> SpreadsheetImport:
    """Import the rows: all of them (only if none has an error) or, if asked, the valid ones.

    A double click, or a second tab, confirms nothing twice: the state moves on from
    "preview" by a conditional update, and only the request that moved it goes on.
    """
    if job.errors and not only_valid:
        raise ValidationError(
            "Some rows have errors: fix them in the file and upload it again, "
            "or import only the valid rows."
        )
    if job.valid_count == 0:
        raise ValidationError("No row can be imported: every row has an error.")
    background = job.valid_count > settings.SPREADSHEET_IMPORT_BACKGROUND_ROWS
    claimed = SpreadsheetImport.objects.filter(pk=job.pk, state=State.PREVIEW).update(
        state=State.QUEUED if background else State.RUNNING,
        only_valid=only_valid,
        total=job.valid_count,
        done=0,
        expires_at=_expires_at(),
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    if not claimed:
        return job
    if background:
        # Imported here: the task module imports this one.
        from interviews.tasks import spreadsheet_import

        spreadsheet_import.delay_on_commit(job.pk)
        return job
    _import_at_once(job)
    job.refresh_from_db()
    return job


class _Importer:
    """Turns clean rows into applications and contacts, remembering what it created.

    It looks each company and contact up once and keeps what it found for the rest of the
    run (an import is one user's, and the rows it created are not deleted while it runs).
    """

    def __init__(self, job: SpreadsheetImport) -> None:
        self.user = job.user
        self.row_number = 0
        self.companies: dict[str, Company] = {}
        self.contacts: dict[tuple[str, object], Contact | None] = {}
        self.resume(job)
        self.known = self._known_applications()

    def _known_applications(self) -> dict[tuple[int, str], list[object]]:
        """The application dates of the user's applications by (company, role), as they were
        before this import: a row that names one of them is the same application again."""
        known: dict[tuple[int, str], list[object]] = {}
        rows = (
            Application.objects.filter(user=self.user)
            .exclude(pk__in=self.created["applications"])
            .values_list("company_id", "role", "applied_on")
        )
        for company_id, role, applied_on in rows:
            known.setdefault((company_id, _role_key(role)), []).append(applied_on)
        return known

    def _already_known(self, company: Company, row: CleanRow) -> bool:
        """True when the user already has this application: same company and role, and the
        same application date unless either has none. A file imported twice then adds
        nothing; a second application to the same role on another date is still its own
        application."""
        dates = self.known.get((company.pk, _role_key(row.role)), [])
        return any(day is None or row.applied_on is None or day == row.applied_on for day in dates)

    def resume(self, job: SpreadsheetImport) -> None:
        """Carry on from what the committed batches recorded on the import row."""
        self.created = {key: list(job.created.get(key, [])) for key in _CREATED_KINDS}
        self.counts = {key: job.summary.get(key, 0) for key in _COUNTS}

    def row(self, row: CleanRow) -> None:
        self.row_number = row.number
        company = self._company(row.company)
        if self._already_known(company, row):
            self.counts["applications_matched"] += 1
            if row.contact_name:
                self._contact(row, company)
            return
        application = services.application_create(
            user=self.user,
            company_name=company.name,
            role=row.role,
            posting_url=row.posting_url,
            stage=Application.Stage.APPLIED if row.closed_reason else row.stage,
            applied_on=row.applied_on,
            notes=row.notes,
        )
        self.created["applications"].append(application.pk)
        self.counts["applications"] += 1
        if row.closed_reason:
            services.application_close(application=application, reason=row.closed_reason)
        if row.contact_name:
            self._contact(row, company)

    def _company(self, name: str) -> Company:
        key = " ".join(name.split()).lower()
        company = self.companies.get(key)
        if company is None:
            company = Company.objects.filter(user=self.user, name__iexact=key).first()
            if company is None:
                company = services.company_get_or_create(user=self.user, name=name)
                self.created["companies"].append(company.pk)
                self.counts["companies"] += 1
            self.companies[key] = company
        return company

    def _contact(self, row: CleanRow, company: Company) -> None:
        """The contact with this email address (any company), or without one, this name at
        this company; created if there is none."""
        email = row.contact_email.lower()
        key = ("email", email) if email else (row.contact_name.lower(), company.pk)
        if key not in self.contacts:
            mine = Contact.objects.filter(user=self.user)
            if email:
                self.contacts[key] = mine.filter(email__iexact=email).order_by("pk").first()
            else:
                self.contacts[key] = (
                    mine.filter(name__iexact=row.contact_name, company=company)
                    .order_by("pk")
                    .first()
                )
        if self.contacts[key] is not None:
            self.counts["contacts_matched"] += 1
            return
        contact = services.contact_create(
            user=self.user,
            name=row.contact_name,
            company_name=company.name,
            job_title=row.contact_title,
            email=row.contact_email,
            phone=row.contact_phone,
        )
        self.contacts[key] = contact
        self.created["contacts"].append(contact.pk)
        self.counts["contacts"] += 1


_CREATED_KINDS = ("applications", "contacts", "companies")
_COUNTS = ("applications", "applications_matched", "companies", "contacts", "contacts_matched")


def _role_key(role: str) -> str:
    """A role as rows are matched on it: case and runs of spaces do not count."""
    return " ".join(role.split()).casefold()


# What a row can fail with once it has passed the checks: a service's refusal, or the
# database's (a value it will not hold, a constraint).
_ROW_FAILURES = (ValidationError, DatabaseError)


def _valid_rows(job: SpreadsheetImport) -> list[CleanRow]:
    return [row for row in _cleaned(job) if isinstance(row, CleanRow)]


def _skipped(job: SpreadsheetImport) -> int:
    """The rows left out for their errors (only when the user asked to import the rest)."""
    return job.error_count if job.only_valid else 0


def _summary(job: SpreadsheetImport, importer: _Importer, *, skipped: int) -> dict[str, object]:
    summary = {key: value for key, value in job.summary.items() if key not in _COUNTS}
    summary.update(importer.counts)
    summary["skipped"] = skipped
    return summary


def _failure_text(importer: _Importer | None, error: BaseException) -> str:
    where = f"Row {importer.row_number}" if importer and importer.row_number else "The import"
    if isinstance(error, ValidationError):
        reason = "; ".join(error.messages)
    elif isinstance(error, DatabaseError):
        reason = "the database refused one of its values"
    else:
        reason = str(error)
    return (
        f"{where} could not be imported ({reason.strip()[:300]}), so nothing was imported. "
        "Fix the row in the file and upload it again."
    )


def _import_at_once(job: SpreadsheetImport) -> None:
    """A small file: every row in one transaction, so it imports whole or not at all."""
    importer = None
    try:
        with transaction.atomic():
            importer = _Importer(job)
            for row in _valid_rows(job):
                importer.row(row)
            SpreadsheetImport.objects.filter(pk=job.pk).update(
                state=State.DONE,
                done=job.total,
                rows=[],
                summary=_summary(job, importer, skipped=_skipped(job)),
                updated_at=timezone.now(),
            )
    except _ROW_FAILURES as error:
        logger.info(
            "spreadsheet import %s failed at row %s", job.pk, importer and importer.row_number
        )
        _fail(job.pk, _failure_text(importer, error))
    except Exception:
        # Not left "running" for ever behind a page that failed; the error still surfaces.
        _fail(job.pk, _failure_text(importer, RuntimeError("an internal error")))
        raise


def _fail(job_id: int, failure: str) -> None:
    SpreadsheetImport.objects.filter(pk=job_id).update(
        state=State.FAILED, failure=failure, rows=[], updated_at=timezone.now()
    )


def spreadsheet_import_run(*, import_id: int) -> str:
    """The worker's side: import a queued file a batch at a time; returns the final state.

    1. Claim the row: queued, or running if a worker died part-way (the broker hands the
       message out again, since tasks are acknowledged late).
    2. Each batch is one transaction that locks the import row, starts from its ``done``
       counter, creates the batch's rows and moves the counter and the record of what was
       created. A second worker on the same import therefore never imports a row twice.
    3. A row that fails (or anything unexpected) takes back every row the import created,
       and the import is marked failed with the row and the reason; the worker goes on.
    """
    if not SpreadsheetImport.objects.filter(
        pk=import_id, state__in=[State.QUEUED, State.RUNNING]
    ).update(state=State.RUNNING, updated_at=timezone.now()):
        return "gone"
    job = SpreadsheetImport.objects.select_related("user").get(pk=import_id)
    rows = _valid_rows(job)
    skipped = _skipped(job)
    importer = _Importer(job)
    try:
        while True:
            with transaction.atomic():
                # The cells are already in ``rows``: not read (nor written) again per batch.
                job = (
                    SpreadsheetImport.objects.select_for_update()
                    .defer("rows", "errors")
                    .get(pk=import_id)
                )
                if job.state != State.RUNNING:
                    return job.state
                batch = rows[job.done : job.done + BATCH_ROWS]
                importer.resume(job)
                for row in batch:
                    importer.row(row)
                job.done += len(batch)
                job.created = importer.created
                job.summary = _summary(job, importer, skipped=skipped)
                fields = ["done", "created", "summary", "updated_at"]
                if job.done >= len(rows):
                    job.state = State.DONE
                    job.rows = []
                    fields += ["state", "rows"]
                job.save(update_fields=fields)
                if job.state == State.DONE:
                    return job.state
    except Exception as error:  # recorded and undone, never retried blindly
        logger.exception("spreadsheet import %s failed", import_id)
        reason = error if isinstance(error, _ROW_FAILURES) else RuntimeError("an internal error")
        _undo(import_id)
        _fail(import_id, _failure_text(importer, reason))
        return State.FAILED


@transaction.atomic
def _undo(import_id: int) -> None:
    """Delete what the committed batches of a failed import created."""
    job = SpreadsheetImport.objects.select_for_update().get(pk=import_id)
    created = job.created
    Application.objects.filter(user_id=job.user_id, pk__in=created.get("applications", [])).delete()
    Contact.objects.filter(user_id=job.user_id, pk__in=created.get("contacts", [])).delete()
    Company.objects.filter(
        user_id=job.user_id,
        pk__in=created.get("companies", []),
        applications__isnull=True,
        contacts__isnull=True,
    ).delete()
    job.created = {}
    job.done = 0
    job.save(update_fields=["created", "done", "updated_at"])
