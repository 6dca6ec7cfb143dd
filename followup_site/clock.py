"""Calendar arithmetic for reminders: wall clocks, quiet hours and business days.

Pure functions, no database. Every instant is an aware datetime; results are in UTC. Wall-clock
arithmetic ("the same local hour 30 days later") is done on the naive local time and then
localised again, so a DST change between the two moments moves nothing by an hour. A local
time that does not exist (the hour skipped in spring) is moved forward by the size of the gap;
an ambiguous one (the hour repeated in autumn) takes its first occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


def localize(*, wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant at which the clocks in ``zone`` show the naive ``wall`` time."""
    # fold=0: an ambiguous autumn time is its first occurrence; a spring-gap time is read with
    # the offset before the gap, which lands that far past the gap: a real, later instant.
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def wall_clock_add(*, instant: datetime, days: int, zone: ZoneInfo) -> datetime:
    """``days`` calendar days after ``instant`` at the same local time in ``zone``."""
    local = instant.astimezone(zone).replace(tzinfo=None)
    return localize(wall=local + timedelta(days=days), zone=zone)


def at_local_time(*, day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of ``at`` on ``day`` in ``zone``."""
    return localize(wall=datetime.combine(day, at), zone=zone)


@dataclass(frozen=True)
class QuietHours:
    """A daily window, in local time, during which no email goes to the user.

    ``start`` > ``end`` means the window spans midnight (the usual 21:00 to 08:00);
    ``start`` == ``end`` means no quiet hours at all.
    """

    start: time
    end: time

    def contains(self, *, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


def in_quiet_hours(*, instant: datetime, quiet: QuietHours, zone: ZoneInfo) -> bool:
    return quiet.contains(local=instant.astimezone(zone).time().replace(tzinfo=None))


def quiet_hours_end_after(*, instant: datetime, quiet: QuietHours, zone: ZoneInfo) -> datetime:
    """``instant`` itself if it is outside quiet hours, else the moment the window ends."""
    if not in_quiet_hours(instant=instant, quiet=quiet, zone=zone):
        return instant.astimezone(UTC)
    local = instant.astimezone(zone)
    day = local.date()
    if quiet.start > quiet.end and local.time().replace(tzinfo=None) >= quiet.start:
        # Late evening: the window ends tomorrow morning.
        day += timedelta(days=1)
    return at_local_time(day=day, at=quiet.end, zone=zone)


def quiet_hours_start_before(*, instant: datetime, quiet: QuietHours, zone: ZoneInfo) -> datetime:
    """``instant`` if outside quiet hours, else a little before the window began.

    Used for a nudge that must come before a deadline: rather than waking the user, remind
    them in the last half hour before their quiet hours start.
    """
    if not in_quiet_hours(instant=instant, quiet=quiet, zone=zone):
        return instant.astimezone(UTC)
    local = instant.astimezone(zone)
    day = local.date()
    if quiet.start > quiet.end and local.time().replace(tzinfo=None) < quiet.end:
        # Small hours: the window began yesterday evening.
        day -= timedelta(days=1)
    return at_local_time(day=day, at=quiet.start, zone=zone) - timedelta(minutes=30)


@lru_cache(maxsize=64)
def _holiday_calendar(country: str) -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:
        # An unknown country still has weekends; the accounts form rejects such codes anyway.
        return holidays.HolidayBase()


def is_business_day(*, day: date, country: str) -> bool:
    return day.weekday() < 5 and day not in _holiday_calendar(country)


def business_days_add(*, instant: datetime, days: int, zone: ZoneInfo, country: str) -> datetime:
    """``days`` business days after ``instant``, at the same local time.

    Weekends and the public holidays of ``country`` are skipped: an email sent on Friday
    afternoon with three business days to wait is due on Wednesday afternoon.
    """
    local = instant.astimezone(zone).replace(tzinfo=None)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day=day, country=country):
            remaining -= 1
    return localize(wall=datetime.combine(day, local.time()), zone=zone)


def next_local_hour(*, instant: datetime, hour: int, zone: ZoneInfo) -> datetime:
    """The first moment at or after ``instant`` when the local clock shows ``hour``:00."""
    local = instant.astimezone(zone)
    candidate = at_local_time(day=local.date(), at=time(hour), zone=zone)
    if candidate < instant:
        candidate = at_local_time(day=local.date() + timedelta(days=1), at=time(hour), zone=zone)
    return candidate


def format_local(*, instant: datetime, zone: ZoneInfo) -> str:
    """How a deadline reads in an email: 'Tuesday 10 March 2026, 15:00 CET (Europe/Berlin)'."""
    local = instant.astimezone(zone)
    text = f"{local:%A} {local.day} {local:%B %Y, %H:%M} {local.tzname()}"
    # "UTC (UTC)" says nothing twice; a named zone helps where the abbreviation is ambiguous.
    return text if local.tzname() == zone.key else f"{text} ({zone.key})"


def business_day_on_or_after(*, instant: datetime, zone: ZoneInfo, country: str) -> datetime:
    """``instant`` if it falls on a business day in ``zone``, else the same local time on the
    next one: a task dated by business days, or a check-in, never lands on a weekend or on a
    public holiday of ``country``."""
    local = instant.astimezone(zone).replace(tzinfo=None)
    day = local.date()
    while not is_business_day(day=day, country=country):
        day += timedelta(days=1)
    if day == local.date():
        return instant.astimezone(UTC)
    return localize(wall=datetime.combine(day, local.time()), zone=zone)
