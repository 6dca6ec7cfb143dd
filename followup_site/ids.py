"""Reading a row id typed into a query string or a form, where no URL converter checked it."""

from __future__ import annotations

# Ids are bigint: 18 digits always fit, and a longer number is never one of ours.
_MAX_DIGITS = 18


def id_or_none(value: object) -> int | None:
    """The id as an int, or None when ``value`` is not a plain decimal number that fits.

    ``str.isdigit`` alone lets through characters ``int()`` refuses ("²") and numbers the
    database cannot hold, and either would surface as a 500.
    """
    text = str(value or "")
    if text.isascii() and text.isdigit() and len(text) <= _MAX_DIGITS:
        return int(text)
    return None
