from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts import session_user


class UserTimezoneMiddleware:
    """Show every date and time in the signed-in user's own zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(user.zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class SessionUserAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, ``request.user`` loaded by
    ``accounts.session_user.get_user`` (the session's user read by hand)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))


def _cached_user(request: HttpRequest) -> object:
    """Django's ``auth.middleware.get_user``: once per request, in the same attribute."""
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user.get_user(request)
    return request._cached_user
