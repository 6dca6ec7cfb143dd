"""The task rows rendered in Python write dates as the template's date filter does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from reminders.task_rows import RowDates


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"])
def test_row_dates_match_the_date_filter_across_a_year_and_its_dst_changes(zone):
    template = Template('{{ instant|date:"D j M, H:i T" }}')
    # Every 50 minutes for a year from 1 January 2025 (UTC): all the weekdays and months, and
    # the hours a DST change skips or repeats in the zones that have one.
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with timezone.override(ZoneInfo(zone)):
        dates = RowDates()
        for step in range(0, 365 * 24 * 60, 50):
            instant = start + timedelta(minutes=step)
            expected = template.render(Context({"instant": instant}))
            assert dates(dates.local(instant)) == expected, instant


def test_a_time_the_clock_shows_twice_has_no_zone_name():
    # 02:30 on 26 October 2025 happens twice in Berlin: the date filter leaves out "CET".
    with timezone.override(ZoneInfo("Europe/Berlin")):
        dates = RowDates()
        assert dates(dates.local(datetime(2025, 10, 26, 0, 30, tzinfo=UTC))) == "Sun 26 Oct, 02:30 "
        assert (
            dates(dates.local(datetime(2025, 10, 26, 2, 30, tzinfo=UTC))) == "Sun 26 Oct, 03:30 CET"
        )
