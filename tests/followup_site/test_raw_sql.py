from datetime import UTC, datetime, timedelta, timezone

from django.db import connection

from followup_site.raw_sql import in_list, utc_moment


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
