"""Rate limits for what an attacker repeats: failed log-ins, reset and sign-up emails.

The counts live in the shared cache (see CACHES) through django-ratelimit, in fixed windows
of the configured period. Each throttle is keyed by a client address (as django-axes sees
it, so both agree behind a proxy) or by a target address. Helpers here take plain values,
not requests, so services can throttle what they send.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage


def client_ip(request: HttpRequest) -> str:
    """The client's address, as django-axes resolves it from the trusted proxies.

    Falls back to REMOTE_ADDR when the forwarded header is missing or too short (a request
    that reached us without passing every trusted proxy).
    """
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"


def _usage(*, scope: str, value: str, rate: str, increment: bool) -> tuple[int, int]:
    usage = get_usage(
        None,
        group=f"followup.{scope}",
        key=lambda _group, _request: value,
        rate=rate,
        increment=increment,
    )
    if usage is None:  # RATELIMIT_ENABLE is off
        return 0, 1
    return usage["count"], usage["limit"]


def throttle_hit(*, scope: str, value: str, rate: str) -> bool:
    """Count one more for ``value``; True while the count is within the rate.

    When the cache could not count, django-ratelimit answers a limit of 0: refuse, as
    ``throttle_exhausted`` does, rather than let an unknown number through.
    """
    count, limit = _usage(scope=scope, value=value, rate=rate, increment=True)
    return 0 < count <= limit


def throttle_exhausted(*, scope: str, value: str, rate: str) -> bool:
    """True when ``value`` has used up its rate; counts nothing."""
    count, limit = _usage(scope=scope, value=value, rate=rate, increment=False)
    return count >= limit


def _login_failures(request: HttpRequest) -> dict[str, str]:
    """The throttle of failed log-ins from one client address, any account."""
    return {
        "scope": "login-failures",
        "value": client_ip(request),
        "rate": settings.THROTTLE_LOGIN_FAILURES_PER_ADDRESS,
    }


def login_blocked_for(request: HttpRequest) -> bool:
    """Has this client address failed to log in too often (password spraying)?"""
    return throttle_exhausted(**_login_failures(request))


def on_login_failed(
    sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: object
) -> None:
    """Count a failed log-in (Django's user_login_failed) against the client address."""
    if request is None:
        return
    throttle_hit(**_login_failures(request))


def password_reset_allowed(request: HttpRequest, *, email: str) -> bool:
    """Count a reset request against the client and the target; True if both allow it.

    Both counters move on every request, whether or not an account uses the address, so
    what a requester sees never depends on it.
    """
    by_address = throttle_hit(
        scope="password-reset-address",
        value=client_ip(request),
        rate=settings.THROTTLE_PASSWORD_RESETS_PER_ADDRESS,
    )
    by_target = throttle_hit(
        scope="password-reset-target",
        value=email.strip().lower(),
        rate=settings.THROTTLE_PASSWORD_RESETS_PER_TARGET,
    )
    return by_address and by_target


def signup_allowed(request: HttpRequest) -> bool:
    """Count a sign-up from this client address; each one emails an address someone typed."""
    return throttle_hit(
        scope="signup-address",
        value=client_ip(request),
        rate=settings.THROTTLE_SIGNUPS_PER_ADDRESS,
    )
