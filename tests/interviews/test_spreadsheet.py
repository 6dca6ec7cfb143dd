"""Reading a spreadsheet of applications: decoding, delimiters, bad files, columns, cells."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from interviews.spreadsheet import (
    CleanRow,
    SpreadsheetError,
    csv_read,
    date_order_guess,
    date_parse,
    mapping_guess,
    row_clean,
    stage_parse,
)

HEADER = "Company,Job title,Status,Date applied,Job URL,Notes,Recruiter,Email,Phone\r\n"


def read(text: str | bytes, *, max_rows: int = 100):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return csv_read(data, max_rows=max_rows)


def test_utf8_with_a_byte_order_mark_reads_without_the_mark():
    parsed = read(b"\xef\xbb\xbf" + (HEADER + "Zoë GmbH,Dev,applied,,,,,,\r\n").encode())
    assert parsed.header[0] == "Company"
    assert parsed.rows == [(2, ["Zoë GmbH", "Dev", "applied", "", "", "", "", "", ""])]
    assert (parsed.encoding, parsed.notice) == ("utf-8-sig", "")


def test_windows_1252_is_read_with_a_notice():
    parsed = read("Company;Role\r\nCafé Müller;Barista\r\n".encode("cp1252"))
    assert parsed.rows == [(2, ["Café Müller", "Barista"])]
    assert parsed.encoding == "cp1252"
    assert "Windows-1252" in parsed.notice


def test_utf16_with_a_byte_order_mark_as_excel_saves_unicode_text():
    parsed = read("Company\tRole\r\nÅre AB\tChef\r\n".encode("utf-16"))
    assert parsed.rows == [(2, ["Åre AB", "Chef"])]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \r\n\r\n", "The file is empty."),
        (b"Company,Role\r\n", "a header row but no rows"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"Company,Role\r\nA\x01\x02,B\r\n", "not a text file"),
        # 0x81 is undefined in Windows-1252 and no UTF-8 either.
        (b"Company,Role\r\nA\x81B,C\r\n", "encoding we cannot read"),
        (b"\xef\xbb\xbfCompany,Role\r\nA\xffB,C\r\n", "says it is UTF-8"),
        (b'Company,Role\r\nAcme,Dev\r\n"Globex,Ops\r\nInitech,QA\r\n', "Row 3: a quote"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(data, message):
    with pytest.raises(SpreadsheetError, match=message):
        read(data)


def test_too_many_rows_are_refused_whole():
    text = "Company,Role\r\n" + "Acme,Dev\r\n" * 11
    with pytest.raises(SpreadsheetError, match="more than 10 rows"):
        read(text, max_rows=10)
    assert len(read(text, max_rows=11).rows) == 11


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed(delimiter):
    text = delimiter.join(["Company", "Role", "Stage"]) + "\n"
    text += delimiter.join(["Acme", "Dev, backend", "applied"]) + "\n"
    if delimiter == ",":
        text = 'Company,Role,Stage\n"Acme","Dev, backend",applied\n'
    parsed = read(text)
    assert parsed.rows == [(2, ["Acme", "Dev, backend", "applied"])]


def test_row_numbers_skip_blank_lines_and_count_lines_inside_quotes():
    parsed = read('Company,Notes\r\n\r\nAcme,"two\r\nlines"\r\nGlobex,x\r\n')
    assert [number for number, _ in parsed.rows] == [3, 5]
    assert parsed.rows[0][1] == ["Acme", "two\r\nlines"]


def test_short_rows_are_padded_and_nameless_columns_named():
    parsed = read("Company,,Role\r\nAcme\r\n")
    assert parsed.header == ["Company", "Column 2", "Role"]
    assert parsed.rows == [(2, ["Acme", "", ""])]


def test_the_mapping_is_guessed_from_common_header_names():
    header = ["Organisation", "Position", "Status", "Applied on", "Link", "Comments"]
    header += ["Contact", "E-mail", "Telephone", "Contact title"]
    assert mapping_guess(header) == {
        "company": 0,
        "role": 1,
        "stage": 2,
        "applied_on": 3,
        "posting_url": 4,
        "notes": 5,
        "contact_name": 6,
        "contact_email": 7,
        "contact_phone": 8,
        "contact_title": 9,
    }


def test_a_specific_header_wins_and_each_column_is_used_once():
    assert mapping_guess(["Title", "Contact title", "Company name (legal)"]) == {
        "company": 2,
        "role": 0,
        "contact_title": 1,
    }


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", ("applied", "")),
        ("Applied", ("applied", "")),
        ("Phone screen", ("screening", "")),
        ("ON-SITE", ("interviewing", "")),
        ("Final round", ("interviewing", "")),
        ("offer received", ("offer", "")),
        ("Rejected", ("closed", "rejected")),
        ("rejected after onsite", ("closed", "rejected")),
        ("no reply yet", ("closed", "no_response")),
        ("Ghosted", ("closed", "no_response")),
        ("Withdrew", ("closed", "withdrawn")),
        ("Accepted", ("closed", "offer")),
    ],
)
def test_stage_names_are_read_leniently(cell, expected):
    assert stage_parse(cell) == expected


def test_an_unknown_stage_names_the_ones_we_know():
    with pytest.raises(ValidationError, match="“Maybe” is not a stage we know; use applied"):
        stage_parse("Maybe")


@pytest.mark.parametrize(
    ("cell", "day_first", "expected"),
    [
        ("2025-03-04", True, date(2025, 3, 4)),
        ("2025/03/04", False, date(2025, 3, 4)),
        ("2025-03-04T09:30:00Z", True, date(2025, 3, 4)),
        ("2025-03-04 09:30", True, date(2025, 3, 4)),
        ("04/03/2025", True, date(2025, 3, 4)),
        ("03/04/2025", False, date(2025, 3, 4)),
        ("4.3.25", True, date(2025, 3, 4)),
        ("4 Mar 2025", True, date(2025, 3, 4)),
        ("4 March 2025", True, date(2025, 3, 4)),
        ("March 4, 2025", True, date(2025, 3, 4)),
        ("Mar 4 2025", False, date(2025, 3, 4)),
    ],
)
def test_dates_in_common_formats(cell, day_first, expected):
    assert date_parse(cell, day_first=day_first) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("31/02/2025", "not a real date"),
        ("someday", "not a date we can read"),
        ("1899-01-01", "between 2000 and 2100"),
    ],
)
def test_bad_dates_say_why(cell, message):
    with pytest.raises(ValidationError, match=message):
        date_parse(cell, day_first=True)


def test_the_date_order_is_guessed_from_a_date_only_one_order_can_read():
    assert date_order_guess(["03/04/2025", "12/31/2025"]) is False
    assert date_order_guess(["03/04/2025", "31/12/2025"]) is True
    assert date_order_guess(["03/04/2025"]) is True


MAPPING = {"company": 0, "role": 1, "stage": 2, "applied_on": 3, "posting_url": 4}
MAPPING |= {"contact_name": 5, "contact_email": 6}
ROW_HEADER = ["Company", "Role", "Status", "Applied", "URL", "Recruiter", "Email"]


def clean(cells: list[str]):
    return row_clean(number=7, cells=cells, header=ROW_HEADER, mapping=MAPPING, day_first=True)


def test_a_good_row_becomes_the_values_the_services_take():
    row = clean(
        ["  Acme  Corp ", "Dev", "Rejected", "04/03/2025", "acme.example/jobs/1", "Ann", ""]
    )
    assert row == CleanRow(
        number=7,
        company="Acme Corp",
        role="Dev",
        stage="closed",
        closed_reason="rejected",
        applied_on=date(2025, 3, 4),
        posting_url="https://acme.example/jobs/1",
        contact_name="Ann",
    )


def test_a_bad_row_gives_one_error_per_bad_cell_with_row_and_column():
    errors = clean(["", "Dev", "Maybe", "31/02/2025", "not a url", "", "ann@"])
    assert [(e.row, e.column) for e in errors] == [
        (7, "Status"),
        (7, "Applied"),
        (7, "URL"),
        (7, "Email"),
        (7, "Company"),
    ]
    assert errors[4].message == "The company is missing."
    assert "not an email address" in errors[3].message


def test_contact_details_without_a_name_are_an_error():
    [error] = clean(["Acme", "Dev", "", "", "", "", "ann@acme.example"])
    assert (error.column, error.message) == (
        "Recruiter",
        "A contact needs a name as well as an email, phone or title.",
    )


def test_an_overlong_cell_is_an_error_not_a_database_failure():
    [error] = clean(["A" * 201, "Dev", "", "", "", "", ""])
    assert (error.column, error.message) == ("Company", "Longer than 200 characters.")
