"""Reads for the accounts app: the choice lists the settings form offers, the reply address."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from functools import cache, lru_cache

import holidays
from django.conf import settings
from holidays.registry import COUNTRIES

from accounts.models import User

# Zones under these areas are the ones people look for; the rest (aliases such as
# "US/Eastern" and fixed offsets such as "Etc/GMT+5") stay selectable under "Other".
_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
_SMALL_WORDS = {"and", "of", "the", "da"}
_COUNTRY_NAME_FIXES = {"HK": "Hong Kong", "CD": "DR Congo"}

Choices = list[tuple[str, str]]
GroupedChoices = list[tuple[str, Choices]]


def _offset_label(zone: str, *, at: datetime) -> str:
    offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def known_timezones() -> frozenset[str]:
    """Every IANA zone name this system knows; read from disk once per process."""
    return _known_timezones()


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_choices(*, at: datetime | None = None) -> GroupedChoices:
    """Every IANA zone, grouped by area and sorted by place name, with today's UTC offset.

    Labels start with the place ("Berlin (UTC+01:00)") so that typing a city name in the
    select jumps to it; the offset is the one in force at ``at`` (now by default).

    Built once per quarter of an hour: every offset is a whole number of quarter hours and
    every change of offset falls on a local quarter hour, so on a UTC quarter hour too, and
    the offsets in force at the start of a quarter hour hold until its end.
    """
    at = (at or datetime.now(UTC)).astimezone(UTC)
    quarter = at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)
    return [(area, list(choices)) for area, choices in _timezone_choices_at(quarter)]


@lru_cache(maxsize=4)
def _timezone_choices_at(at: datetime) -> GroupedChoices:
    groups: dict[str, Choices] = {}
    for zone in sorted(_known_timezones()):
        area, _, place = zone.partition("/")
        if area not in _REGIONS or not place:
            area, place = "Other", zone
        label = f"{place.replace('_', ' ').replace('/', ' / ')} ({_offset_label(zone, at=at)})"
        groups.setdefault(area, []).append((zone, label))
    ordered = [("UTC", [("UTC", "UTC (Coordinated Universal Time)")])]
    ordered += [(area, sorted(groups[area], key=lambda c: c[1])) for area in _REGIONS]
    ordered.append(("Other", [c for c in groups.get("Other", []) if c[0] != "UTC"]))
    return [(area, choices) for area, choices in ordered if choices]


def _country_name(module_name: str, code: str) -> str:
    if code in _COUNTRY_NAME_FIXES:
        return _COUNTRY_NAME_FIXES[code]
    words = module_name.split("_")
    return " ".join(w if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words))


@cache
def country_choices() -> Choices:
    """The countries whose public holidays we know, by name, as two-letter codes."""
    return list(_country_choices())


@cache
def _country_choices() -> tuple[tuple[str, str], ...]:
    supported = holidays.list_supported_countries()
    choices = [
        (entry[1], f"{_country_name(module_name, entry[1])} ({entry[1]})")
        for module_name, entry in COUNTRIES.items()
        if entry[1] in supported
    ]
    return tuple(sorted(choices, key=lambda c: c[1]))


def inbound_address(*, user: User) -> str:
    """The per-user secret address replies are forwarded or BCC'd to; empty if not set up."""
    domain = getattr(settings, "INBOUND_DOMAIN", "")
    return f"reply+{user.inbound_token}@{domain}" if domain else ""
