"""Pages that turn a calendar invitation into an interview: upload, confirm, and the
forwarded invitations that wait for the user to pick an application.

A file that cannot be read answers 400 with the reason on the upload form; nothing is saved
until the user confirms. A later version of an invitation already imported (a new time, a
cancellation) is applied at once, since the user has nothing to choose.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.selectors import inbound_address
from interviews import invitation_services, selectors
from interviews.invitation_forms import (
    InvitationConfirmForm,
    InvitationUploadForm,
    invitation_read,
    invitation_sign,
)
from interviews.invitations import InvitationError, InvitationEvent
from interviews.views import GET_POST


def _result_redirect(request: HttpRequest, result: invitation_services.InvitationResult):
    messages.info(request, result.message)
    if result.interview is not None:
        return redirect(result.interview)
    return redirect("interviews:invitation_import")


def _confirm_form(request: HttpRequest, event: InvitationEvent | None = None, **kwargs: object):
    match = (
        selectors.invitation_match(user=request.user, event=event) if event is not None else None
    )
    initial = {}
    if match is not None:
        initial = {
            "invitation": invitation_sign(
                user_id=request.user.pk, calendar_text=event.calendar_text
            ),
            "application": match.applications[0].pk if match.applications else None,
            "company_name": match.company_name,
            "role": match.role,
        }
    form = InvitationConfirmForm(
        request.POST if request.method == "POST" and event is None else None,
        initial=initial,
        user_id=request.user.pk,
        user_zone=request.user.timezone,
        now=timezone.now(),
        applications=selectors.application_list_for_dashboard(user=request.user),
        **kwargs,
    )
    return form, match


def _confirm_page(
    request: HttpRequest, *, form: InvitationConfirmForm, event: InvitationEvent, status: int = 200
) -> HttpResponse:
    match = selectors.invitation_match(user=request.user, event=event)
    return render(
        request,
        "interviews/invitation_confirm.html",
        {
            "form": form,
            "event": event,
            "match": match,
            "people": event.people(user_email=request.user.email),
        },
        status=status,
    )


@login_required
@GET_POST
def invitation_import(request: HttpRequest) -> HttpResponse:
    bound = (request.POST, request.FILES) if request.method == "POST" else ()
    form = InvitationUploadForm(*bound, user_zone=request.user.timezone, now=timezone.now())
    if request.method == "POST":
        if not form.is_valid():
            return _import_page(request, form=form, status=400)
        event = form.cleaned_data["file"]
        result = invitation_services.invitation_apply_known(user=request.user, event=event)
        if result is not None:
            return _result_redirect(request, result)
        if event.cancelled:
            form.add_error(
                "file",
                "This file cancels an event that is not in Followup: there is nothing to cancel.",
            )
            return _import_page(request, form=form, status=400)
        confirm, _ = _confirm_form(request, event)
        return _confirm_page(request, form=confirm, event=event)
    return _import_page(request, form=form)


def _import_page(
    request: HttpRequest, *, form: InvitationUploadForm, problem: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "interviews/invitation_import.html",
        {
            "form": form,
            "waiting": selectors.invitations_waiting(user=request.user),
            "inbound_address": inbound_address(user=request.user),
            "problem": problem,
        },
        status=status,
    )


@login_required
@require_POST
def invitation_confirm(request: HttpRequest) -> HttpResponse:
    form, _ = _confirm_form(request)
    if not form.is_valid():
        if "invitation" in form.errors:
            upload = InvitationUploadForm(user_zone=request.user.timezone, now=timezone.now())
            return _import_page(
                request, form=upload, problem=form.errors["invitation"][0], status=400
            )
        return _confirm_page(request, form=form, event=form.cleaned_data["invitation"], status=400)
    data = form.cleaned_data
    try:
        result = invitation_services.invitation_import(
            user=request.user,
            event=data["invitation"],
            application=data["application"],
            company_name=data["company_name"],
            role=data["role"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _confirm_page(request, form=form, event=data["invitation"], status=400)
    return _result_redirect(request, result)


@login_required
def invitation_waiting(request: HttpRequest, pk: int) -> HttpResponse:
    """A forwarded invitation, shown on the same confirmation page as an uploaded one."""
    invitation = selectors.invitation_waiting_get(user=request.user, pk=pk)
    try:
        event = invitation_read(
            data=invitation.calendar.encode(), user_zone=request.user.timezone, now=timezone.now()
        )
    except InvitationError as error:
        messages.error(request, f"This forwarded invitation cannot be read any more: {error}")
        return redirect("interviews:invitation_import")
    form, _ = _confirm_form(request, event)
    return _confirm_page(request, form=form, event=event)


@login_required
@require_POST
def invitation_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_waiting_get(user=request.user, pk=pk)
    invitation_services.invitation_dismiss(invitation=invitation)
    messages.success(request, f"Dismissed the invitation “{invitation}”.")
    return redirect("interviews:invitation_import")
