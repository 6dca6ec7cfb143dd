"""Reading a spreadsheet of applications: bytes to rows, headers to fields, cells to values.

Nothing here touches the database: ``interviews.spreadsheet_import`` keeps the parsed rows
between the steps and imports them through the usual services.

1. ``csv_read`` decodes the upload (UTF-8 with or without a byte-order mark, UTF-16 with
   one, else Windows-1252 with a notice), refuses what is not text, guesses the delimiter
   with ``csv.Sniffer`` and parses strictly, so that a quote never closed is an error that
   names its row instead of swallowing the rest of the file.
2. ``mapping_guess`` matches the header names to the fields an application and its contact
   have (company, role or title, stage or status, ...).
3. ``row_clean`` turns one row's cells into the values the services take, or into one error
   per bad cell (row number, column, message).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from interviews.models import Application

# --- Reading the file -----------------------------------------------------------------------


class SpreadsheetError(ValueError):
    """A file that cannot be imported at all; the message says why and what to do."""


@dataclass
class ParsedFile:
    header: list[str]
    # (row number in the file, cells); blank rows are left out.
    rows: list[tuple[int, list[str]]]
    encoding: str
    notice: str = ""


_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Characters no spreadsheet cell holds; finding them means the bytes are not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DELIMITERS = ",;\t|"
# The longest cell we read; the csv module's own limit, stated so that the error is ours.
_MAX_CELL = 100_000
SAVE_AS_CSV = "Save it from your spreadsheet program as “CSV UTF-8” and upload that file."


def _decode(data: bytes) -> tuple[str, str, str]:
    """The text, the name of its encoding, and a notice for the user if it was a guess."""
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        raise SpreadsheetError(f"This is an Excel workbook, not a CSV file. {SAVE_AS_CSV}")
    if data.startswith(_UTF8_BOM):
        try:
            return data[len(_UTF8_BOM) :].decode("utf-8"), "utf-8-sig", ""
        except UnicodeDecodeError as error:
            raise SpreadsheetError(
                f"The file says it is UTF-8 but byte {error.start + 3} is not. {SAVE_AS_CSV}"
            ) from None
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16", ""
        except UnicodeDecodeError:
            raise SpreadsheetError(
                f"The file says it is UTF-16 but cannot be read as such. {SAVE_AS_CSV}"
            ) from None
    if b"\x00" in data:
        raise SpreadsheetError(f"This is not a text file. {SAVE_AS_CSV}")
    try:
        return data.decode("utf-8"), "utf-8", ""
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            f"The file is in an encoding we cannot read (byte {error.start + 1} is neither "
            f"UTF-8 nor Windows-1252). {SAVE_AS_CSV}"
        ) from None
    notice = (
        "The file was not UTF-8, so it was read as Windows-1252 (Western European). "
        "Check that accented letters look right below; if not, save it as “CSV UTF-8”."
    )
    return text, "cp1252", notice


def _dialect(sample: str) -> type[csv.Dialect]:
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
        delimiter = sniffed.delimiter
    except csv.Error:
        delimiter = ","
    # Only the delimiter is taken from the sniffer: its guesses at quoting are unreliable,
    # and strict parsing is what turns an unclosed quote into an error.
    return type(
        "Sniffed",
        (csv.Dialect,),
        {
            "delimiter": delimiter,
            "quotechar": '"',
            "doublequote": True,
            "skipinitialspace": False,
            "lineterminator": "\r\n",
            "quoting": csv.QUOTE_MINIMAL,
            "strict": True,
        },
    )


def csv_read(data: bytes, *, max_rows: int) -> ParsedFile:
    """Parse an uploaded CSV, or raise ``SpreadsheetError`` saying what is wrong with it."""
    if not data.strip():
        raise SpreadsheetError("The file is empty.")
    text, encoding, notice = _decode(data)
    if _CONTROL.search(text):
        raise SpreadsheetError(f"This is not a text file. {SAVE_AS_CSV}")
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, dialect=_dialect("".join(lines[:50])))
    previous_limit = csv.field_size_limit(_MAX_CELL)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        while True:
            starts_at = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                raise SpreadsheetError(_parse_message(error, line=starts_at)) from None
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = [" ".join(cell.split()) for cell in cells]
                continue
            if len(rows) >= max_rows:
                raise SpreadsheetError(
                    f"The file has more than {max_rows:,} rows, the most one import takes. "
                    "Split it into smaller files."
                )
            rows.append((starts_at, cells))
    finally:
        csv.field_size_limit(previous_limit)
    if header is None:
        raise SpreadsheetError("The file is empty.")
    if not rows:
        raise SpreadsheetError("The file has a header row but no rows of data below it.")
    width = max(len(header), *(len(cells) for _, cells in rows))
    header = [name or f"Column {index + 1}" for index, name in enumerate(_padded(header, width))]
    return ParsedFile(
        header=header,
        rows=[(number, _padded(cells, width)) for number, cells in rows],
        encoding=encoding,
        notice=notice,
    )


def _padded(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))


def _parse_message(error: csv.Error, *, line: int) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return (
            f"Row {line}: a cell is longer than {_MAX_CELL:,} characters, which usually means a "
            'quote (") opened there is never closed. Fix that row and upload the file again.'
        )
    if "unexpected end of data" in text or "EOF" in text:
        return (
            f'Row {line}: a quote (") opened there is never closed, so the rest of the file '
            "would be read as one cell. Fix that row and upload the file again."
        )
    return f"Row {line} cannot be read as CSV ({text}). Fix that row and upload the file again."


# --- Matching columns to fields -------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    required: bool = False
    # Header names, normalised (lower case, words only), most specific first.
    names: tuple[str, ...] = field(default=())


TARGETS = (
    Target(
        "company",
        "Company",
        required=True,
        names=("company", "company name", "employer", "organisation", "organization", "firm"),
    ),
    Target(
        "role",
        "Role",
        required=True,
        names=("role", "job title", "title", "position", "job", "job role", "vacancy"),
    ),
    Target("stage", "Stage", names=("stage", "status", "state", "application status")),
    Target(
        "applied_on",
        "Date applied",
        names=(
            "date applied",
            "applied on",
            "applied",
            "application date",
            "applied date",
            "date",
        ),
    ),
    Target(
        "posting_url",
        "Job posting link",
        names=("job posting", "job url", "posting url", "url", "link", "job link", "posting"),
    ),
    Target("notes", "Notes", names=("notes", "note", "comments", "comment", "remarks")),
    Target(
        "contact_name",
        "Contact name",
        names=("contact name", "contact", "recruiter", "hiring manager", "contact person"),
    ),
    Target(
        "contact_email",
        "Contact email",
        names=("contact email", "email", "e mail", "recruiter email", "email address"),
    ),
    Target(
        "contact_phone",
        "Contact phone",
        names=("contact phone", "phone", "telephone", "mobile", "phone number", "tel"),
    ),
    Target(
        "contact_title",
        "Contact job title",
        names=("contact title", "contact job title", "contact role", "recruiter title"),
    ),
)
TARGET_KEYS = tuple(target.key for target in TARGETS)
REQUIRED_KEYS = tuple(target.key for target in TARGETS if target.required)
TARGET_LABELS = {target.key: target.label for target in TARGETS}


def _normalised(name: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.lower()).split())


def mapping_guess(header: list[str]) -> dict[str, int]:
    """Which column (index) holds each field, from the header names; a column is used once.

    Exact names win over names that merely contain a known one ("Company name (legal)"),
    and the more specific known name wins ("contact email" over "email").
    """
    normalised = [_normalised(name) for name in header]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for target in TARGETS:
            if target.key in mapping:
                continue
            for known in target.names:
                found = next(
                    (
                        index
                        for index, name in enumerate(normalised)
                        if index not in used
                        and (name == known if exact else f" {known} " in f" {name} ")
                    ),
                    None,
                )
                if found is not None:
                    mapping[target.key] = found
                    used.add(found)
                    break
    return mapping


# --- Cleaning one row -----------------------------------------------------------------------

Stage = Application.Stage
Reason = Application.ClosedReason

_OPEN_STAGE_WORDS = {
    Stage.APPLIED: "/applied/application sent/sent/submitted/apply/new/open",
    Stage.SCREENING: "screening/screen/phone screen/recruiter call/hr call/screened",
    Stage.INTERVIEWING: "interviewing/interview/interviews/interviewed/onsite/on site/"
    "technical interview/final round/second round/first round",
    Stage.OFFER: "offer/offered/offer received/got an offer",
}
_CLOSED_STAGE_WORDS = {
    Reason.REJECTED: "rejected/rejection/declined by them/turned down/no/not selected",
    Reason.WITHDRAWN: "withdrawn/withdrew/withdraw/declined/not interested",
    Reason.NO_RESPONSE: "no response/no reply/ghosted/no answer/closed/expired",
    Reason.OFFER: "accepted/hired/took offer/took an offer/offer accepted",
}
# Lower-case stage names as people write them, to (stage, reason for closing).
_STAGES: dict[str, tuple[str, str]] = {}
for _value, _words in _OPEN_STAGE_WORDS.items():
    _STAGES.update(dict.fromkeys(_words.split("/"), (_value, "")))
for _reason, _words in _CLOSED_STAGE_WORDS.items():
    _STAGES.update(dict.fromkeys(_words.split("/"), (Stage.CLOSED, _reason)))
_STAGE_PREFIXES = sorted((word for word in _STAGES if word), key=len, reverse=True)
STAGE_WORDS = (
    "applied, screening, interviewing, offer, rejected, withdrawn, no response or accepted"
)


def stage_parse(text: str) -> tuple[str, str]:
    """(stage, reason for closing) from a cell such as "Phone screen" or "Rejected"."""
    key = " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())
    if key in _STAGES:
        return _STAGES[key]
    for word in _STAGE_PREFIXES:
        # "Rejected after onsite": the longest known words it starts with decide.
        if re.match(rf"{re.escape(word)}\b", key):
            return _STAGES[word]
    raise ValidationError(f"“{text}” is not a stage we know; use {STAGE_WORDS}.")


_MONTH_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d %b %y", "%b %d %y")
YEARS = (2000, 2100)


def date_parse(text: str, *, day_first: bool) -> date:
    """A date written as 2025-03-31, 31/03/2025 (or 03/31/2025 with ``day_first`` off),
    31.03.25, 31 Mar 2025, March 31, 2025, or an ISO date and time."""
    value = " ".join(text.replace(",", " ").split())
    found = _numeric_date(value, day_first=day_first)
    if found is None:
        for pattern in _MONTH_FORMATS:
            try:
                found = datetime.strptime(value, pattern).date()
                break
            except ValueError:
                continue
    if found is None:
        raise ValidationError(
            f"“{text}” is not a date we can read; write it as 2025-03-31 or 31/03/2025."
        )
    first, last = YEARS
    if not first <= found.year <= last:
        raise ValidationError(f"“{text}” is not between {first} and {last}.")
    return found


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T][0-9:.]+(?:Z|[+-][0-9:]+)?)?$")
_LOCAL = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")


def _numeric_date(value: str, *, day_first: bool) -> date | None:
    match = _ISO.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _LOCAL.match(value)
        if not match:
            return None
        first, second, year = (int(part) for part in match.groups())
        day, month = (first, second) if day_first else (second, first)
        if len(match.group(3)) == 2:
            year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"“{value}” is not a real date.") from None


def date_order_guess(values: list[str]) -> bool:
    """Whether the dates are written day first: True unless one of them can only be
    month first (12/31/2025); a file that says nothing either way is read day first."""
    for value in values:
        match = _LOCAL.match(value.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return True


_EMAIL = EmailValidator()
_URL = URLValidator(schemes=["http", "https"])
_MAX_LENGTHS = {
    "company": 200,
    "role": 200,
    "posting_url": 1000,
    "notes": 5000,
    "contact_name": 200,
    "contact_email": 254,
    "contact_phone": 40,
    "contact_title": 200,
}


@dataclass
class CleanRow:
    number: int
    company: str
    role: str
    stage: str = Stage.APPLIED
    closed_reason: str = ""
    applied_on: date | None = None
    posting_url: str = ""
    notes: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    contact_title: str = ""


@dataclass
class RowError:
    row: int
    column: str
    message: str


def row_clean(
    *, number: int, cells: list[str], header: list[str], mapping: dict[str, int], day_first: bool
) -> CleanRow | list[RowError]:
    """The row's values, or every error in it: a row is imported whole or not at all."""
    errors: list[RowError] = []
    values: dict[str, object] = {}

    def error(key: str, message: str) -> None:
        column = header[mapping[key]] if key in mapping else TARGET_LABELS[key]
        errors.append(RowError(row=number, column=column, message=message))

    for key in TARGET_KEYS:
        raw = cells[mapping[key]] if key in mapping else ""
        text = raw.strip() if key == "notes" else " ".join(raw.split())
        if len(text) > _MAX_LENGTHS.get(key, 200):
            error(key, f"Longer than {_MAX_LENGTHS[key]:,} characters.")
            continue
        try:
            values[key] = _cell_value(key, text, day_first=day_first)
        except ValidationError as invalid:
            error(key, invalid.messages[0])
    for key in REQUIRED_KEYS:
        if key in values and not values[key]:
            error(key, f"The {TARGET_LABELS[key].lower()} is missing.")
    has_contact_details = any(
        values.get(key) for key in ("contact_email", "contact_phone", "contact_title")
    )
    if has_contact_details and not values.get("contact_name") and "contact_name" in values:
        error("contact_name", "A contact needs a name as well as an email, phone or title.")
    if errors:
        return errors
    stage, reason = values.pop("stage")
    return CleanRow(number=number, stage=stage, closed_reason=reason, **values)


def _cell_value(key: str, text: str, *, day_first: bool) -> object:
    if key == "stage":
        return stage_parse(text)
    if not text:
        return None if key == "applied_on" else ""
    if key == "applied_on":
        return date_parse(text, day_first=day_first)
    if key == "posting_url":
        url = text if "://" in text else f"https://{text}"
        try:
            _URL(url)
        except ValidationError:
            raise ValidationError(f"“{text}” is not a web address.") from None
        return url
    if key == "contact_email":
        try:
            _EMAIL(text)
        except ValidationError:
            raise ValidationError(f"“{text}” is not an email address.") from None
        return text
    return text
