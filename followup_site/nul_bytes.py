"""Turn away requests no page could store or look up, before any view sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

NUL = "\x00"
NUL_MESSAGE = (
    "This request contains a NUL character (%00) in its {where}. Followup never uses one "
    "and cannot store it; remove it and try again.\n"
)


class RefuseNulBytesMiddleware:
    """Answer 400 to a NUL byte in the path, the query string or a form field.

    PostgreSQL cannot hold a NUL in a text value, and psycopg refuses to send one even in a
    lookup: a secret token in the path (the calendar feed) or a form field with one answered
    500, and SQLite would store what PostgreSQL refuses. No browser sends one unprompted,
    so one check here covers every page. A cookie with one is dropped instead of refused,
    so a tampered cookie cannot lock the browser out of every page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = self._nul_in(request)
        if where:
            return HttpResponseBadRequest(
                NUL_MESSAGE.format(where=where), content_type="text/plain; charset=utf-8"
            )
        for name in [n for n, v in request.COOKIES.items() if NUL in n or NUL in v]:
            del request.COOKIES[name]
        return self.get_response(request)

    @staticmethod
    def _nul_in(request: HttpRequest) -> str:
        if NUL in request.path_info or NUL in request.path:
            return "address"
        if _has_nul(request.GET.lists()):
            return "query string"
        if request.method == "POST" and _has_nul(request.POST.lists()):
            return "form fields"
        return ""


def _has_nul(items) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in items)
