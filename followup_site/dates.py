"""Dates written as the template's ``date`` filter writes them, for pages that write many.

The filter (``django.utils.formats.date_format``) parses its format and looks each day's and
month's name up through the translation machinery again for every date: some 80 µs a date,
the larger part of a timeline entry's time. ``LocalDates`` translates each name once (when
first needed, in the active language) and writes the fields the pages' formats use, with
the filter's own rules (``"%04d"`` years, a zone's name left out of a time the clock shows
twice or skips).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR


class LocalDates:
    """The ``date`` filter's names and fields for many instants, in one time zone (the active
    one, the signed-in user's, unless given). Each method takes a datetime already in that
    zone (``local``) and returns the filter's field of the same letter."""

    def __init__(self, zone: tzinfo | None = None) -> None:
        self.zone = zone or timezone.get_current_timezone()
        self._names: dict[tuple[str, int], str] = {}

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def _name(self, letter: str, index: int) -> str:
        name = self._names.get((letter, index))
        if name is None:
            if letter == "D":
                name = str(WEEKDAYS_ABBR[index])
            elif letter == "l":
                name = str(WEEKDAYS[index])
            elif letter == "M":
                name = str(MONTHS_3[index]).title()
            else:
                name = str(MONTHS[index])
            self._names[(letter, index)] = name
        return name

    def D(self, local: datetime) -> str:
        """ "Fri"."""
        return self._name("D", local.weekday())

    def l(self, local: datetime) -> str:  # noqa: E743 - the filter's letters
        """ "Friday"."""
        return self._name("l", local.weekday())

    def M(self, local: datetime) -> str:
        """ "Jan"."""
        return self._name("M", local.month)

    def F(self, local: datetime) -> str:
        """ "January"."""
        return self._name("F", local.month)

    @staticmethod
    def T(local: datetime) -> str:
        """The zone's name ("CET"), or nothing for a time the clock shows twice or skips
        around a DST change, as the filter leaves it out then."""
        zone = local.tzinfo
        if zone.utcoffset(local.replace(fold=not local.fold)) != zone.utcoffset(local):
            return ""
        return str(zone.tzname(local))
