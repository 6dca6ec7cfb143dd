"""CSV downloads that spreadsheet programs open safely and correctly.

1. Every cell that starts with a character a spreadsheet reads as the start of a formula
   (=, +, -, @) or that it strips or splits on (tab, carriage return) gets a leading
   apostrophe, so "=HYPERLINK(...)" typed into a note shows as text instead of running
   when the export is opened (OWASP's "CSV injection").
2. The file starts with a UTF-8 byte-order mark: without it Excel reads UTF-8 as the
   local code page and "Zoë" arrives as "ZoÃ«".
3. The rows are streamed as they are read, so a large export neither waits for every row
   nor holds them all in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from django.http import StreamingHttpResponse

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: object) -> str:
    """The cell as text a spreadsheet shows and never evaluates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        # The caller puts it in the user's zone; the offset says which that was.
        text = value.isoformat(sep=" ", timespec="minutes")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


class _Line:
    """A file-like object whose write() hands back the line, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([cell_safe(name) for name in header])
    for row in rows:
        yield writer.writerow([cell_safe(value) for value in row])


def csv_download(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """A streamed CSV attachment; ``filename`` is ours (ASCII, no path), never the user's."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
