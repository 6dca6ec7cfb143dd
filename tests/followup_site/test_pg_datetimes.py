"""Timestamps from PostgreSQL are read by ``datetime.fromisoformat`` and come back exactly as
Django's own loader gives them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg import DataError

from followup_site.pg_datetimes import UtcTimestamptzLoader
from tests.factories import UserFactory


class DjangosUtcLoader(BaseTzLoader):
    timezone = UTC


TEXTS = [
    b"2026-11-27 06:03:34.036965+00",
    b"2026-11-27 06:03:34+00",  # no fraction
    b"2026-11-27 06:03:34.5+00",  # a short one
    b"2026-03-29 01:30:00.000001+00",
    b"2026-11-27 07:03:34.25+01",  # another offset, should a session ever have one
    b"2026-11-27 01:33:34.25-04:30",
    b"0001-01-01 00:00:00+00",
    b"9999-12-31 23:59:59.999999+00",
]


@pytest.mark.parametrize("text", TEXTS)
def test_reads_each_text_as_djangos_loader_does(text):
    ours = UtcTimestamptzLoader(0, None).load(text)
    theirs = DjangosUtcLoader(0, None).load(text)
    assert ours == theirs
    assert ours.utcoffset() == timedelta(0)
    assert ours.tzinfo is UTC
    assert (ours.year, ours.microsecond) == (theirs.year, theirs.microsecond)


@pytest.mark.parametrize("text", [b"infinity", b"-infinity", b"2026-11-27 06:03:34+00 BC"])
def test_leaves_what_fromisoformat_cannot_read_to_djangos_loader(text):
    for loader in (UtcTimestamptzLoader(0, None), DjangosUtcLoader(0, None)):
        with pytest.raises(DataError):
            loader.load(text)


def test_every_postgresql_connection_reads_with_it(db):
    user = UserFactory()
    joined = datetime(2026, 3, 29, 1, 30, 0, 250, tzinfo=UTC)
    type(user).objects.filter(pk=user.pk).update(date_joined=joined)
    read = type(user).objects.values_list("date_joined", flat=True).get(pk=user.pk)
    assert read == joined
    assert read.tzinfo is UTC
    if connection.vendor == "postgresql":
        loader = connection.connection.adapters.get_loader(1184, 0)
        assert loader is UtcTimestamptzLoader
