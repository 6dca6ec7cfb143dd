"""The list of drafts not sent yet: the way back to a message started and left."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from outreach import selectors


@login_required
@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    drafts = list(selectors.open_drafts_of(user=request.user).only(*selectors.DRAFT_ROW_FIELDS))
    to_check = [d for d in drafts if d.is_interrupted]
    return render(request, "outreach/draft_list.html", {"drafts": drafts, "to_check": to_check})
