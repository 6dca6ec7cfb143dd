"""An authentication backend that refuses log-ins from a client address that sprays.

It comes first in AUTHENTICATION_BACKENDS, so it holds for every form that authenticates
(the log-in page and the admin's), not just one view.
"""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.throttle import login_blocked_for


class ClientAddressThrottleBackend(BaseBackend):
    def authenticate(self, request: HttpRequest | None, **credentials: object) -> None:
        """Stop authentication outright (PermissionDenied) for a blocked address; else pass."""
        if request is not None and login_blocked_for(request):
            raise PermissionDenied("Too many unsuccessful log-ins from this address.")
        return None
