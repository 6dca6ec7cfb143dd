"""CSV cells a spreadsheet would run as formulas are neutralised; the file opens in Excel."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from followup_site.csv_export import BOM, cell_safe, csv_lines


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+49 30 1234567", "'+49 30 1234567"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Acme = good", "Acme = good"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (date(2025, 3, 4), "2025-03-04"),
        (datetime(2025, 3, 4, 9, 30, tzinfo=UTC), "2025-03-04 09:30+00:00"),
    ],
)
def test_a_cell_is_text_a_spreadsheet_never_evaluates(value, expected):
    assert cell_safe(value) == expected


def test_the_file_starts_with_a_byte_order_mark_and_quotes_as_csv_does():
    lines = list(csv_lines(["Name", "=Header"], [["Zoë", 'say "hi", ok'], ["=1+1", None]]))
    assert lines == [
        BOM + "Name,'=Header\r\n",
        'Zoë,"say ""hi"", ok"\r\n',
        "'=1+1,\r\n",
    ]
