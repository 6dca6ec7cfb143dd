"""Quiet hours, business days and digest times. Zones are stated in each test."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import time_machine

from followup_site.clock import (
    QuietHours,
    business_days_add,
    format_local,
    in_quiet_hours,
    is_business_day,
    quiet_hours_end_after,
)
from reminders import notify_times, planner
from tests.reminders.support import BERLIN, NEW_YORK, local

QUIET = QuietHours(start=time(21, 0), end=time(8, 0))
NOW = local(BERLIN, 2026, 6, 1, 12, 0)


@time_machine.travel(NOW, tick=False)
def test_quiet_hours_span_midnight_in_the_users_zone():
    # Europe/Berlin
    assert in_quiet_hours(instant=local(BERLIN, 2026, 6, 1, 21, 0), quiet=QUIET, zone=BERLIN)
    assert in_quiet_hours(instant=local(BERLIN, 2026, 6, 2, 7, 59), quiet=QUIET, zone=BERLIN)
    assert not in_quiet_hours(instant=local(BERLIN, 2026, 6, 2, 8, 0), quiet=QUIET, zone=BERLIN)
    # 22:00 in New York is 04:00 in Berlin: quiet for one user, not the other.
    assert not in_quiet_hours(instant=local(BERLIN, 2026, 6, 2, 15, 0), quiet=QUIET, zone=NEW_YORK)


@time_machine.travel(NOW, tick=False)
def test_a_time_in_quiet_hours_moves_to_their_end():
    # Europe/Berlin: evening moves to the next morning, small hours to this morning.
    assert quiet_hours_end_after(
        instant=local(BERLIN, 2026, 6, 1, 23, 10), quiet=QUIET, zone=BERLIN
    ) == local(BERLIN, 2026, 6, 2, 8, 0)
    assert quiet_hours_end_after(
        instant=local(BERLIN, 2026, 6, 2, 3, 0), quiet=QUIET, zone=BERLIN
    ) == local(BERLIN, 2026, 6, 2, 8, 0)
    noon = local(BERLIN, 2026, 6, 2, 12, 0)
    assert quiet_hours_end_after(instant=noon, quiet=QUIET, zone=BERLIN) == noon


@time_machine.travel(NOW, tick=False)
def test_equal_start_and_end_mean_no_quiet_hours():
    never = QuietHours(start=time(0, 0), end=time(0, 0))
    assert not in_quiet_hours(instant=local(BERLIN, 2026, 6, 2, 3, 0), quiet=never, zone=BERLIN)


@time_machine.travel(NOW, tick=False)
def test_business_days_skip_weekends():
    # America/New_York, US calendar: Friday 15:00 + 3 business days = Wednesday 15:00.
    friday = local(NEW_YORK, 2026, 5, 15, 15, 0)
    assert business_days_add(instant=friday, days=3, zone=NEW_YORK, country="US") == local(
        NEW_YORK, 2026, 5, 20, 15, 0
    )


@time_machine.travel(NOW, tick=False)
def test_business_days_skip_the_public_holidays_of_the_users_country():
    # America/New_York: Independence Day is observed on Friday 3 July 2026.
    assert not is_business_day(day=local(NEW_YORK, 2026, 7, 3).date(), country="US")
    wednesday = local(NEW_YORK, 2026, 7, 1, 9, 30)
    assert business_days_add(instant=wednesday, days=3, zone=NEW_YORK, country="US") == local(
        NEW_YORK, 2026, 7, 7, 9, 30
    )
    # Europe/Berlin: 3 July is a working day in Germany, so the same email is due a day earlier.
    assert business_days_add(
        instant=local(BERLIN, 2026, 7, 1, 9, 30), days=3, zone=BERLIN, country="DE"
    ) == local(BERLIN, 2026, 7, 6, 9, 30)


@time_machine.travel(NOW, tick=False)
def test_german_easter_holidays_are_not_business_days():
    # Europe/Berlin: Thursday 2 April 2026 + 3 business days skips Good Friday and Easter Monday.
    assert business_days_add(
        instant=local(BERLIN, 2026, 4, 2, 10, 0), days=3, zone=BERLIN, country="DE"
    ) == local(BERLIN, 2026, 4, 9, 10, 0)


@time_machine.travel(NOW, tick=False)
def test_digest_users_are_notified_at_their_digest_hour():
    # Europe/Berlin, digest at 08:00.
    prefs = planner.Preferences(zone=BERLIN, digest=True, digest_hour=8)
    assert notify_times.notify_time(wanted=local(BERLIN, 2026, 6, 1, 14, 0), prefs=prefs) == local(
        BERLIN, 2026, 6, 2, 8, 0
    )
    assert notify_times.notify_time(wanted=local(BERLIN, 2026, 6, 1, 6, 0), prefs=prefs) == local(
        BERLIN, 2026, 6, 1, 8, 0
    )


@time_machine.travel(NOW, tick=False)
def test_a_digest_hour_inside_quiet_hours_waits_for_them_to_end():
    # Europe/Berlin, digest at 07:00 but quiet until 08:00.
    prefs = planner.Preferences(zone=BERLIN, digest=True, digest_hour=7)
    assert notify_times.digest_time(after=local(BERLIN, 2026, 6, 1, 12, 0), prefs=prefs) == local(
        BERLIN, 2026, 6, 2, 8, 0
    )


@time_machine.travel(NOW, tick=False)
def test_deadlines_read_in_the_users_zone_with_its_name():
    # Europe/Berlin in summer time.
    text = format_local(instant=local(BERLIN, 2026, 6, 2, 15, 0), zone=BERLIN)
    assert text == "Tuesday 2 June 2026, 15:00 CEST (Europe/Berlin)"
    winter = local(BERLIN, 2026, 6, 2, 15, 0) + timedelta(days=180)
    assert "CET (Europe/Berlin)" in format_local(instant=winter, zone=BERLIN)


def test_a_utc_deadline_does_not_name_its_zone_twice():
    text = format_local(instant=local(ZoneInfo("UTC"), 2026, 6, 2, 15, 0), zone=ZoneInfo("UTC"))
    assert text == "Tuesday 2 June 2026, 15:00 UTC"
