"""Small helpers shared by the hand-written SQL of the hottest reads (the board, the task
list, the search, the timelines and the reminder sweep), which run on PostgreSQL and SQLite
alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime


def utc_moment(value: datetime | str | None) -> datetime | None:
    """A timestamp read by raw SQL, as an aware datetime. PostgreSQL gives aware datetimes;
    SQLite gives naive ones in UTC for a table's column and UTC text for a computed one."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def in_list(name: str, values: Iterable[object], params: dict) -> str:
    """``%(name0)s, %(name1)s, ...`` for an IN list, its values added to ``params``; ``NULL``
    for no values, so that ``x IN (NULL)`` matches nothing rather than failing to parse."""
    names = []
    for index, value in enumerate(values):
        params[f"{name}{index}"] = value
        names.append(f"%({name}{index})s")
    return ", ".join(names) or "NULL"
