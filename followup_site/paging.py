"""One page of a long list, from the ``page`` query parameter."""

from __future__ import annotations

from collections.abc import Sequence

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


# No list has this many rows: an offset past it (a bigint's range) is a page past the last.
_MAX_OFFSET = 2**62


def page_offset(number: int, per_page: int) -> int | None:
    """The offset of the first row of page ``number``, or None past any list: an offset the
    database's integers could not hold (a LIMIT's OFFSET fails on it, a 500)."""
    offset = (number - 1) * per_page
    return offset if offset <= _MAX_OFFSET else None


def _page_number(request: HttpRequest) -> int:
    number = id_or_none(request.GET.get("page", "1"))
    if number is None or number < 1:
        raise BadPageNumber(BadPageNumber.message)
    return number


def _not_found(number: int) -> Http404:
    return Http404(f"There is no page {number} of this list.")


def page_of(request: HttpRequest, items: QuerySet, *, per_page: int) -> Page:
    """Page ``?page=N`` (1 when absent) of ``items``: a count and one LIMIT query.

    A malformed number raises BadPageNumber; a page past the last raises Http404. An empty
    list still has its (empty) first page.
    """
    number = _page_number(request)
    try:
        return Paginator(items, per_page).page(number)
    except EmptyPage as error:
        raise _not_found(number) from error


def page_window(request: HttpRequest, *, per_page: int) -> tuple[int, int]:
    """The number of page ``?page=N`` (1 when absent) and the offset of its first row, for a
    list that reads one page's rows and their total in one query (:func:`counted_page`).

    A malformed number raises BadPageNumber; an offset past any list (one the database's
    integers could not hold) raises Http404, as a page past the last.
    """
    number = _page_number(request)
    offset = page_offset(number, per_page)
    if offset is None:
        raise _not_found(number)
    return number, offset


def counted_page(*, number: int, rows: Sequence, count: int, per_page: int) -> Page:
    """Page ``number`` of a list of ``count`` rows, holding ``rows``: what page_of gives,
    without a query of its own to count them (the rows' query counted them with its page).

    A page past the last (no rows, so no count read) raises Http404; an empty list still has
    its (empty) first page.
    """
    paginator = Paginator(rows, per_page)
    paginator.count = count  # a cached_property: the count is known, not to be read again
    try:
        paginator.validate_number(number)
    except EmptyPage as error:
        raise _not_found(number) from error
    return Page(rows, number, paginator)
