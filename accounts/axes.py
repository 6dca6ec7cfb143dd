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
    return raw.strip().lower() if isinstance(raw, str) else None
