"""One page of a long list, from the ``page`` query parameter."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from followup_site.ids import id_or_none

# Rows per page of the application and contact lists: enough to scan, few enough to render
# in milliseconds for a search of hundreds of applications.
LIST_PAGE_SIZE = 50


class BadPageNumber(ValueError):
    """The ``page`` parameter is not a whole number from 1: the view answers 400."""

    message = "The page must be a whole number from 1."


def page_of(request: HttpRequest, items: QuerySet, *, per_page: int) -> Page:
    """Page ``?page=N`` (1 when absent) of ``items``: a count and one LIMIT query.

    A malformed number raises BadPageNumber; a page past the last raises Http404. An empty
    list still has its (empty) first page.
    """
    number = id_or_none(request.GET.get("page", "1"))
    if number is None or number < 1:
        raise BadPageNumber(BadPageNumber.message)
    try:
        return Paginator(items, per_page).page(number)
    except EmptyPage as error:
        raise Http404(f"There is no page {number} of this list.") from error
