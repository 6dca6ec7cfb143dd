"""The product's URLs plus two reference views, for bench/pages.py only (bench/settings.py).

- ``/bench/bare/``: a response with no database, session or template work beyond what the
  middleware does for an anonymous request: the ceiling of a page served this way.
- ``/bench/trivial/``: the same behind ``login_required``: what being logged in costs
  (session, user, middleware) before a page does anything of its own.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("", include("followup_site.urls")),
]
