"""Replies the inbound webhook kept while the user's account was deactivated."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from outreach.services.timeline import inactive_replies_acknowledge


@login_required
@require_POST
def inactive_replies_seen(request: HttpRequest) -> HttpResponse:
    inactive_replies_acknowledge(user=request.user)
    messages.info(request, "Noted. The replies stay on each application's timeline.")
    return redirect("dashboard")
