from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from psycopg import pq

from accounts.models import User
from followup_site.raw_sql import (
    Reads,
    constants,
    in_list,
    planned_cursor,
    run_together,
    utc_moment,
)


def test_utc_moment_reads_every_form_the_two_databases_give():
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert utc_moment(None) is None
    assert utc_moment(moment) is moment
    assert utc_moment(datetime(2026, 3, 29, 1, 30)) == moment  # SQLite: a column, naive UTC
    assert utc_moment("2026-03-29 01:30:00") == moment  # SQLite: a computed value, text
    assert utc_moment("2026-03-29 01:30:00.250000").microsecond == 250_000
    paris = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    assert utc_moment(paris) == moment  # aware values keep their offset


def test_in_list_names_each_value_and_matches_nothing_when_empty(db):
    params: dict = {}
    assert in_list("stage", ["applied", "offer"], params) == "%(stage0)s, %(stage1)s"
    assert params == {"stage0": "applied", "stage1": "offer"}
    with connection.cursor() as cursor:
        found: dict = {}
        sql = f"SELECT 1 WHERE %(wanted)s IN ({in_list('stage', ['applied', 'offer'], found)})"
        cursor.execute(sql, {**found, "wanted": "offer"})
        assert cursor.fetchall() == [(1,)]
        none: dict = {"wanted": "offer"}
        cursor.execute(f"SELECT 1 WHERE %(wanted)s IN ({in_list('stage', [], none)})", none)
        assert cursor.fetchall() == []


def test_constants_writes_plain_choice_values_and_refuses_anything_else():
    assert constants(["pending", "notified"]) == "'pending', 'notified'"
    assert constants(["~done"]) == "'~done'"
    assert constants([]) == "NULL"
    for value in ("it's", "a b", "", "x'); DROP TABLE t; --", "é"):
        with pytest.raises(ValueError, match="Not a plain choice value"):
            constants([value])


def _prepared(sql_start: str) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            [sql_start + "%"],
        )
        return cursor.fetchall()


def test_the_planned_cursor_plans_once_and_logs_each_statement_with_its_values(db):
    letters = constants(["a", "b"])
    sql = (
        "SELECT %(word)s || '!', n FROM (SELECT 1 AS n UNION ALL SELECT 2) t "  # noqa: S608
        f"WHERE n >= %(least)s AND 'a' IN ({letters}) ORDER BY n"
    )
    with CaptureQueriesContext(connection) as log:
        for _ in range(3):
            with planned_cursor() as cursor:
                cursor.execute(sql, {"word": "hi", "least": 2})
                assert cursor.fetchall() == [("hi!", 2)]
    assert len(log.captured_queries) == 3
    assert "'hi'" in log.captured_queries[0]["sql"]
    assert ">= 2" in log.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        # Prepared once, and run by PostgreSQL's one plan for any values: never replanned.
        assert _prepared("SELECT $1 || '!', n") == [(3, 0)]


def test_the_planned_cursor_raises_djangos_errors_and_leaves_the_orm_unprepared(db):
    with pytest.raises(DatabaseError), transaction.atomic(), planned_cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM accounts_user WHERE id = %(id)s", {"id": 1})
    if connection.vendor == "postgresql":
        for _ in range(6):
            list(User.objects.filter(pk=1))
        assert _prepared('SELECT "accounts_user"') == []


def _numbers(first: int, last: int) -> Reads[list[int]]:
    sql = (
        "SELECT n FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) t "
        "WHERE n BETWEEN %(first)s AND %(last)s ORDER BY n"
    )
    return Reads.one(sql, {"first": first, "last": last}, lambda rows: [n for (n,) in rows])


def test_reads_run_together_give_each_its_own_result_in_order(db):
    pair = Reads.combined(_numbers(1, 1), _numbers(2, 3), build=lambda a, b: (a, b))
    total = _numbers(1, 3).then(sum)
    with CaptureQueriesContext(connection) as log:
        results = run_together(total, pair, _numbers(3, 3))

    assert results == [6, ([1], [2, 3]), [3]]
    assert len(log.captured_queries) == 4
    assert _numbers(2, 2).run() == [2]


def test_on_postgresql_a_batch_goes_out_in_one_pipeline(db):
    """Each statement of a batch is sent while the connection is in pipeline mode (so none
    waits for the answer to the one before); a read alone is sent as usual."""
    seen = []

    def note_pipeline(execute, sql, params, many, context):
        if connection.vendor == "postgresql":
            seen.append(connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF)
        else:
            seen.append(False)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note_pipeline):
        run_together(_numbers(1, 2), _numbers(2, 3))
        run_together(_numbers(1, 1))

    assert seen == ([True, True, False] if connection.vendor == "postgresql" else [False] * 3)


def test_a_failing_statement_in_a_batch_raises_djangos_error_and_the_connection_goes_on(db):
    broken = Reads.one("SELECT no_such_column FROM accounts_user", {}, list)
    with pytest.raises(DatabaseError), transaction.atomic():
        run_together(_numbers(1, 1), broken, _numbers(2, 2))

    assert run_together(_numbers(1, 2), _numbers(3, 3)) == [[1, 2], [3]]
