"""The search page: one box across applications, people, notes, emails and drafts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reminders.forms import SearchForm
from reminders.search import search as search_everything


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search with the query string's words and filters; a bad value answers 400 with the
    form and its errors, keeping what was typed."""
    form = SearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "reminders/search.html", {"form": form}, status=400)
    results = None
    query = ""
    if form.is_bound:
        query = form.cleaned_data["q"]
        results = search_everything(
            user=request.user, query=query, filters=form.filters(), now=timezone.now()
        )
    return render(
        request, "reminders/search.html", {"form": form, "results": results, "query": query}
    )
