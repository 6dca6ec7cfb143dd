"""Small helpers shared by the hand-written SQL of the hottest reads (the board, the task
list, the search, the timelines and the reminder sweep), which run on PostgreSQL and SQLite
alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.db.models.expressions import Col
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


class ModelColumns:
    """One model's columns in a hand-written SELECT, and its instance built back from them
    as the ORM builds it (``Model.from_db``, the backend's and the fields' converters
    applied): for a page that reads one row and its relations, where the ORM spent more
    time assembling and compiling the joined read than the database took to answer it."""

    def __init__(self, model: type[Model], alias: str) -> None:
        self.model = model
        self.fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in self.fields]
        self.sql = ", ".join(f"{alias}.{field.column}" for field in self.fields)
        self._pk_position = self.attnames.index(model._meta.pk.attname)
        self._converters: dict[str, list[tuple[int, list, Col]]] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def _converters_for(self, connection: BaseDatabaseWrapper) -> list[tuple[int, list, Col]]:
        found = self._converters.get(connection.vendor)
        if found is None:
            found = []
            for position, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                converters = [
                    *connection.ops.get_db_converters(column),
                    *field.get_db_converters(connection),
                ]
                if converters:
                    found.append((position, converters, column))
            self._converters[connection.vendor] = found
        return found

    def build(self, values: Sequence[object], connection: BaseDatabaseWrapper) -> Model | None:
        """The instance of these columns' values; None for a LEFT JOIN that found no row."""
        if values[self._pk_position] is None:
            return None
        values = list(values)
        for position, converters, column in self._converters_for(connection):
            for converter in converters:
                values[position] = converter(values[position], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


def build_instances(
    row: Sequence[object], columns: Sequence[ModelColumns], connection: BaseDatabaseWrapper
) -> list[Model | None]:
    """The instances of a row that selects each ``columns``' ``sql`` in turn."""
    instances = []
    start = 0
    for model_columns in columns:
        instances.append(model_columns.build(row[start : start + len(model_columns)], connection))
        start += len(model_columns)
    return instances
