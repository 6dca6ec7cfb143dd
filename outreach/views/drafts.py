"""The list of drafts not sent yet: the way back to a message started and left."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from outreach.draft_list_query import open_draft_rows


@login_required
@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    drafts = open_draft_rows(user_id=request.user.pk)
    to_check = [d for d in drafts if d.is_interrupted]
    return render(request, "outreach/draft_list.html", {"drafts": drafts, "to_check": to_check})
