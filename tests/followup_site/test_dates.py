"""followup_site.dates writes dates as the template's date filter does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from followup_site.dates import LocalDates

# The formats the pages write with LocalDates, and how they write them.
FORMATS = {
    "D j M Y, H:i": lambda d, x: f"{d.D(x)} {x.day} {d.M(x)} {x.year:04d}, {x:%H:%M}",
    "l j F Y, H:i": lambda d, x: f"{d.l(x)} {x.day} {d.F(x)} {x.year:04d}, {x:%H:%M}",
    "H:i T": lambda d, x: f"{x:%H:%M} {d.T(x)}",
}


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata"])
def test_local_dates_match_the_date_filter_across_a_year_and_its_dst_changes(zone):
    templates = {f: Template(f'{{{{ instant|date:"{f}" }}}}') for f in FORMATS}
    # Every 50 minutes for a year from 1 January 2025 (UTC): all the weekdays and months, and
    # the hours a DST change skips or repeats in the zones that have one.
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with timezone.override(ZoneInfo(zone)):
        dates = LocalDates()
        for step in range(0, 365 * 24 * 60, 50):
            instant = start + timedelta(minutes=step)
            for name, write in FORMATS.items():
                expected = templates[name].render(Context({"instant": instant}))
                assert write(dates, dates.local(instant)) == expected, (name, instant)


def test_names_are_translated_in_the_active_language():
    instant = datetime(2025, 3, 7, 12, 0, tzinfo=UTC)
    template = Template('{{ instant|date:"l j F Y, H:i" }}')
    with translation.override("de"), timezone.override(UTC):
        dates = LocalDates()
        local = dates.local(instant)
        expected = template.render(Context({"instant": instant}))
        assert FORMATS["l j F Y, H:i"](dates, local) == expected == "Freitag 7 März 2025, 12:00"
