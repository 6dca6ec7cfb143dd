"""The stats page: funnel, reply rates, days to a reply, thank-yous in time, outreaches a week."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from outreach.stats import stats_for


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outreach/stats.html",
        {"stats": stats_for(user=request.user, now=timezone.now())},
    )
