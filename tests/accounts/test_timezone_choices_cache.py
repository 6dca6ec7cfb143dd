"""The time-zone choices are built once per quarter hour, and still show the offset in force."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest

from accounts.selectors import known_timezones, timezone_choices


def _offsets_at(at: datetime) -> dict[str, timedelta]:
    return {zone: at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() for zone in known_timezones()}


def _label_offset(label: str) -> timedelta:
    if "(UTC" not in label or "Coordinated" in label:
        return timedelta(0)
    sign, hours, minutes = label[-7], int(label[-6:-4]), int(label[-3:-1])
    offset = timedelta(hours=hours, minutes=minutes)
    return offset if sign == "+" else -offset


@pytest.mark.parametrize(
    "at",
    [
        # Europe's spring change at 01:00 UTC, a second before and the instant of it.
        datetime(2025, 3, 30, 0, 59, 59, tzinfo=UTC),
        datetime(2025, 3, 30, 1, 0, tzinfo=UTC),
        # Lord Howe Island moves by half an hour at 02:00 local (15:00 UTC the day before).
        datetime(2025, 4, 5, 14, 59, 59, tzinfo=UTC),
        datetime(2025, 4, 5, 15, 0, tzinfo=UTC),
        # And forward by half an hour at 02:00 local (+10:30), so at 15:30 UTC.
        datetime(2025, 10, 4, 15, 29, 59, tzinfo=UTC),
        datetime(2025, 10, 4, 15, 30, tzinfo=UTC),
        # Chatham (UTC+12:45 / +13:45) changes at 02:45 local, 14:00 UTC.
        datetime(2025, 4, 5, 13, 59, 59, tzinfo=UTC),
        datetime(2025, 4, 5, 14, 0, 1, tzinfo=UTC),
        # The US change, in another zone than the caller's.
        datetime(2025, 11, 2, 5, 59, 59, tzinfo=UTC),
        datetime(2025, 11, 2, 6, 0, tzinfo=UTC).astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")),
    ],
)
def test_every_label_shows_the_offset_in_force_at_that_instant(at):
    truth = _offsets_at(at)

    shown = {zone: label for _, group in timezone_choices(at=at) for zone, label in group}

    assert set(shown) == set(truth)
    wrong = {z: shown[z] for z in truth if _label_offset(shown[z]) != truth[z]}
    assert wrong == {}


def test_a_caller_changing_its_copy_changes_no_one_elses():
    at = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    first = timezone_choices(at=at)
    first[0][1].clear()

    assert timezone_choices(at=at)[0][1] == [("UTC", "UTC (Coordinated Universal Time)")]
