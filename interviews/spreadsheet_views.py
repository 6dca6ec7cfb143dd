"""Pages of the spreadsheet import (upload, columns, preview, progress) and the CSV exports.

The import keeps the parsed file on a ``SpreadsheetImport`` row of the user's between the
steps; each page finds it by id among the user's own (404 otherwise, or once it expired).
A file too large is refused from its Content-Length, before its body is read.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from followup_site.csv_export import csv_download
from interviews import selectors
from interviews.models import SpreadsheetImport
from interviews.spreadsheet import SpreadsheetError
from interviews.spreadsheet_forms import SpreadsheetMappingForm, SpreadsheetUploadForm
from interviews.spreadsheet_import import (
    spreadsheet_import_confirm,
    spreadsheet_import_map,
    spreadsheet_import_start,
)
from interviews.views import GET_POST

State = SpreadsheetImport.State
# The form's own fields and multipart boundaries on top of the file itself.
_ENVELOPE_BYTES = 16 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _upload_page(
    request: HttpRequest, form: SpreadsheetUploadForm, *, status: int = 200, refusal: str = ""
) -> HttpResponse:
    return render(
        request,
        "interviews/import_upload.html",
        {
            "form": form,
            "refusal": refusal,
            "max_size": _megabytes(settings.SPREADSHEET_IMPORT_MAX_BYTES),
            "max_rows": f"{settings.SPREADSHEET_IMPORT_MAX_ROWS:,}",
        },
        status=status,
    )


def _too_large(request: HttpRequest) -> HttpResponse:
    refusal = (
        f"The file is larger than {_megabytes(settings.SPREADSHEET_IMPORT_MAX_BYTES)}, the most "
        "one import takes. Split it into smaller files, or leave out columns you do not need."
    )
    return _upload_page(request, SpreadsheetUploadForm(), status=413, refusal=refusal)


# The size is checked before the CSRF check, which would read (and store) the whole body
# first; the CSRF check then runs as usual. See Django's "modifying upload handlers".
@csrf_exempt
@login_required
@GET_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.SPREADSHEET_IMPORT_MAX_BYTES + _ENVELOPE_BYTES:
            return _too_large(request)
    return _import_upload(request)


@csrf_protect
def _import_upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, SpreadsheetUploadForm())
    form = SpreadsheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > settings.SPREADSHEET_IMPORT_MAX_BYTES:
        return _too_large(request)
    try:
        job = spreadsheet_import_start(
            user=request.user, data=upload.read(), file_name=upload.name or ""
        )
    except SpreadsheetError as error:
        form.add_error("file", str(error))
        return _upload_page(request, form, status=400)
    return redirect("interviews:import_mapping", pk=job.pk)


def _not_mapping_any_more(job: SpreadsheetImport) -> HttpResponse | None:
    if job.state in (State.MAPPING, State.PREVIEW):
        return None
    return redirect("interviews:import_status", pk=job.pk)


@login_required
@GET_POST
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.spreadsheet_import_get(user=request.user, pk=pk)
    if (moved_on := _not_mapping_any_more(job)) is not None:
        return moved_on
    form = SpreadsheetMappingForm(request.POST or None, job=job)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                spreadsheet_import_map(
                    job=job, mapping=form.mapping(), date_order=form.cleaned_data["date_order"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("interviews:import_preview", pk=job.pk)
        status = 400
    return render(
        request,
        "interviews/import_mapping.html",
        {"job": job, "form": form, "sample": job.rows[:5]},
        status=status,
    )


# The preview lists at most this many errors; the count says how many there are in all.
ERRORS_SHOWN = 200


@login_required
@GET_POST
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.spreadsheet_import_get(user=request.user, pk=pk)
    if job.state == State.MAPPING:
        return redirect("interviews:import_mapping", pk=job.pk)
    if (moved_on := _not_mapping_any_more(job)) is not None:
        return moved_on
    problem = ""
    if request.method == "POST":
        try:
            job = spreadsheet_import_confirm(
                job=job, only_valid=request.POST.get("only_valid") == "1"
            )
        except ValidationError as error:
            problem = error.messages[0]
        else:
            return _after_confirm(request, job)
    return render(
        request,
        "interviews/import_preview.html",
        {
            "job": job,
            "sample": selectors.spreadsheet_import_sample(job=job),
            "errors": job.errors[:ERRORS_SHOWN],
            "more_errors": max(0, len(job.errors) - ERRORS_SHOWN),
            "background": job.valid_count > settings.SPREADSHEET_IMPORT_BACKGROUND_ROWS,
            "problem": problem,
        },
        status=400 if problem else 200,
    )


def _after_confirm(request: HttpRequest, job: SpreadsheetImport) -> HttpResponse:
    # The status page says how it went: a summary, the progress bar, or why it failed.
    return redirect("interviews:import_status", pk=job.pk)


@login_required
@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.spreadsheet_import_get(user=request.user, pk=pk)
    if job.state in (State.MAPPING, State.PREVIEW):
        return redirect("interviews:import_mapping", pk=job.pk)
    return render(request, "interviews/import_status.html", {"job": job})


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, which the status page asks for every second while it runs."""
    job = selectors.spreadsheet_import_get(user=request.user, pk=pk)
    return render(request, "interviews/includes/import_progress.html", {"job": job})


# --- Exports --------------------------------------------------------------------------------


@login_required
@require_GET
def applications_export(request: HttpRequest) -> StreamingHttpResponse:
    zone = request.user.zone
    rows = (
        (
            application.company.name,
            application.role,
            # A closed application's stage is why it closed ("Rejected"), which reads back in.
            application.get_closed_reason_display()
            if application.closed_reason
            else application.get_stage_display(),
            application.applied_on,
            application.posting_url,
            application.notes,
            application.created_at.astimezone(zone),
        )
        for application in selectors.applications_for_export(user=request.user).iterator(
            chunk_size=500
        )
    )
    return csv_download(
        filename="followup-applications.csv",
        header=(
            "Company",
            "Role",
            "Stage",
            "Date applied",
            "Job posting",
            "Notes",
            "Added",
        ),
        rows=rows,
    )


@login_required
@require_GET
def contacts_export(request: HttpRequest) -> StreamingHttpResponse:
    rows = (
        (
            contact.name,
            contact.honorific,
            contact.given_name,
            contact.family_name,
            contact.job_title,
            contact.company.name if contact.company else "",
            contact.email,
            contact.phone,
            contact.profile_url,
            contact.interests,
            contact.notes,
        )
        for contact in selectors.contacts_for_export(user=request.user).iterator(chunk_size=500)
    )
    return csv_download(
        filename="followup-contacts.csv",
        header=(
            "Name",
            "Honorific",
            "First name",
            "Last name",
            "Job title",
            "Company",
            "Email",
            "Phone",
            "Profile link",
            "Interests",
            "Notes",
        ),
        rows=rows,
    )
