"""Pages for taking everything out (the data export) and for leaving (account deletion)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import forms, throttle
from accounts.account_deletion import account_delete
from accounts.data_export import (
    ExportGone,
    ExportNotReady,
    data_export_file,
    data_export_latest,
    data_export_request,
)
from accounts.models import DataExport

_YOUR_DATA = "your-data"


@login_required
@require_POST
def data_export_start(request: HttpRequest) -> HttpResponse:
    export = data_export_request(user=request.user)
    if export.state == DataExport.State.QUEUED and export.progress == 0:
        messages.info(
            request, "We're putting your export together. This page shows when it's ready."
        )
    return redirect(f"{reverse('accounts:settings')}#{_YOUR_DATA}")


@login_required
@require_GET
@never_cache
def data_export_status(request: HttpRequest) -> HttpResponse:
    """The export's state alone, which the settings page polls while it is being built."""
    return render(
        request,
        "accounts/includes/data_export.html",
        {"export": data_export_latest(user=request.user)},
    )


@login_required
@require_GET
@never_cache
def data_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        export, path = data_export_file(user=request.user, pk=pk)
    except DataExport.DoesNotExist:
        return render(request, "accounts/data_export_missing.html", status=404)
    except ExportGone:
        return render(request, "accounts/data_export_gone.html", status=410)
    except ExportNotReady:
        return render(request, "accounts/data_export_not_ready.html", status=409)
    stamp = export.finished_at.strftime("%Y-%m-%d")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"followup-export-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def account_delete_confirm(request: HttpRequest) -> HttpResponse:
    form = forms.AccountDeleteForm(request=request, user=request.user)
    return render(request, "accounts/delete_confirm.html", {"form": form})


@login_required
@require_POST
def account_delete_view(request: HttpRequest) -> HttpResponse:
    """Delete the account once the password is right; then log out and say goodbye."""
    if throttle.login_blocked_for(request):
        return render(
            request,
            "accounts/throttled.html",
            {"what": "wrong passwords from your network"},
            status=429,
        )
    form = forms.AccountDeleteForm(request.POST, request=request, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/delete_confirm.html", {"form": form}, status=400)
    account_delete(user=request.user)
    logout(request)
    return redirect("accounts:goodbye")


@require_GET
def goodbye(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/goodbye.html")
