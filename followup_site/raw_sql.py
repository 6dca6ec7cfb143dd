"""Small helpers shared by the hand-written SQL of the hottest reads (the board, the task
list, the search, the timelines and the reminder sweep), which run on PostgreSQL and SQLite
alike."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import psycopg
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
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


# What a constant written into the SQL text may look like: a model's choice value.
_CONSTANT = re.compile(r"[A-Za-z0-9_~]+")


def constants(values: Iterable[str]) -> str:
    """``'a', 'b'``: choice values for an IN list, written into the SQL text as literals.

    For the statements of :func:`planned_cursor`: PostgreSQL plans those once, for any
    parameters, and a partial index (the open tasks') can serve such a plan only when the
    query repeats the index's condition in constants. Only the models' own choice values go
    in this way, checked to be plain words; anything from a request goes in as a parameter.
    """
    written = []
    for value in values:
        if not _CONSTANT.fullmatch(value):
            raise ValueError(f"Not a plain choice value: {value!r}")
        written.append(f"'{value}'")
    return ", ".join(written) or "NULL"


class _PreparingCursor(psycopg.Cursor):
    """A psycopg cursor that binds on the server and prepares every statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class _PlannedDebugCursor(CursorDebugWrapper):
    """The query log's wrapper for a preparing cursor: it logs each statement with its values
    written in, as Django logs statements bound on the server (psycopg keeps no text of a
    statement run by name)."""

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        if use_last_executed_query and sql is not None:
            sql = self.db.ops.compose_sql(sql, params)
        return super().debug_sql(sql, params, use_last_executed_query=False, many=many)


@contextmanager
def planned_cursor(connection: BaseDatabaseWrapper | None = None) -> Iterator[CursorWrapper]:
    """A cursor for the hottest pages' hand-written reads that PostgreSQL plans once per
    connection and then only executes.

    Planning those statements cost PostgreSQL as much as running them (about 5 ms of the
    dashboard's 10). A prepared statement keeps its plan: the settings ask for the generic
    plan, made for any parameters (``plan_cache_mode``), so it is made once. Only this
    cursor prepares: the ORM's cursors bind on the client and never do. A statement read
    here must therefore plan well without its values: its choice values are written in
    as :func:`constants`, and a parameter whose type PostgreSQL cannot infer (``%(x)s IS
    NULL``) needs a cast. The cursor is Django's own wrapper, so the query log, the
    execute wrappers and the error translation work as for any other. On SQLite it is the
    ordinary cursor.
    """
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = _PreparingCursor(connection.connection)
    if connection.queries_logged:
        cursor = _PlannedDebugCursor(raw, connection)
    else:
        cursor = connection.make_cursor(raw)
    with cursor:
        yield cursor


T = TypeVar("T")
U = TypeVar("U")
Rows = list[tuple]
Params = Mapping[str, Any] | Sequence[Any]


@dataclass(frozen=True, slots=True)
class Reads(Generic[T]):
    """Hand-written SELECTs (run by :func:`planned_cursor`) and how their rows become one
    result: ``build`` is called with each statement's rows, in order. Reads that a page
    needs together are run together (:func:`run_together`), in one round trip on
    PostgreSQL."""

    statements: tuple[tuple[str, Params], ...]
    build: Callable[..., T]

    @classmethod
    def one(cls, sql: str, params: Params, build: Callable[[Rows], T]) -> Reads[T]:
        return cls(((sql, params),), build)

    @classmethod
    def combined(cls, *parts: Reads, build: Callable[..., T]) -> Reads[T]:
        """The statements of ``parts``, their results handed in order to ``build``."""

        def built(*rows: Rows) -> T:
            results, start = [], 0
            for part in parts:
                end = start + len(part.statements)
                results.append(part.build(*rows[start:end]))
                start = end
            return build(*results)

        return cls(tuple(statement for part in parts for statement in part.statements), built)

    def then(self, after: Callable[[T], U]) -> Reads[U]:
        build = self.build
        return Reads(self.statements, lambda *rows: after(build(*rows)))

    def run(self) -> T:
        return run_together(self)[0]


def run_together(*reads: Reads) -> list:
    """Each of ``reads``' results, in order, its statements run as one batch.

    On PostgreSQL the batch goes out in a pipeline: every statement is sent before the
    first answer is read, and the server answers them in order, so the batch takes one
    round trip instead of one a statement (each costs some 0.1 ms of client and server
    time beyond its own work). A failing statement raises Django's database error, as on
    its own. On SQLite the statements run one after the other.
    """
    batch = Reads.combined(*reads, build=lambda *results: list(results))
    return batch.build(*_fetch_all(batch.statements, default_connection))


def _fetch_all(
    statements: Sequence[tuple[str, Params]], connection: BaseDatabaseWrapper
) -> list[Rows]:
    if connection.vendor != "postgresql" or len(statements) < 2 or not _PIPELINES:
        fetched = []
        for sql, params in statements:
            with planned_cursor(connection) as cursor:
                cursor.execute(sql, params)
                fetched.append(cursor.fetchall())
        return fetched
    with ExitStack() as cursors_open:
        cursors = [cursors_open.enter_context(planned_cursor(connection)) for _ in statements]
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
            return [cursor.fetchall() for cursor in cursors]


# Pipelines need libpq 14 or later; psycopg's binary package brings its own.
_PIPELINES = psycopg.Pipeline.is_supported()


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
