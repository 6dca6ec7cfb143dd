"""How django-axes names the account behind a log-in attempt."""

from __future__ import annotations

from django.http import HttpRequest


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The address typed into the log-in form, lower-cased.

    Log-in ignores letter case, so the lockout must too: otherwise ``Ada@x`` and ``ada@x``
    would each get their own five guesses. The form field is ``username`` even though the
    account is keyed on ``email``, which axes would otherwise look for.
    """
    if credentials is not None:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "data", request.POST).get("username")
    # No address is longer than 254 characters, and axes keeps the name in 255: PostgreSQL
    # refuses a longer one, which turned a junk log-in into a server error.
    return raw.strip().lower()[:254] if isinstance(raw, str) else None
