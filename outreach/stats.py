"""The figures of the stats page, each from one aggregate query whatever the number of rows.

Definitions (what the page means by each figure):

- Funnel. *Applied*: every application logged, in any stage. *Interviewed*: those with at
  least one interview that has started. *Offers*: those at the Offer stage, or closed because
  the user took the offer.
- Reply rate. Each outreach the user made (email, card, call; any purpose) is *answered* when
  a reply on the same application comes after it and before the user's next outreach to the
  same person (or, for an outreach to no one in particular, to no one in particular). Replies
  are the incoming rows of the timeline, logged by hand or by the inbound webhook.
- Days to a reply: for answered outreaches, from the outreach to that first reply; the median
  (of an even number, the mean of the middle two).
- Thank-yous within 24 hours: of the interviews whose 24-hour window has closed (ended more
  than 24 hours ago), those followed by a thank-you (any channel) on the same application
  between the interview's start and 24 hours after its end.
- Outreaches per week: the user's outreaches, counted by week (Monday to Sunday) in the user's
  time zone, for the current week and the eleven before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import DurationField

from accounts.models import User
from followup_site.raw_sql import constants, planned_cursor
from interviews.models import Application, Interview
from outreach.models import Outreach

WEEKS_SHOWN = 12
THANK_YOU_WITHIN = timedelta(hours=24)
# Stand-ins for "no earlier outreach" and "no later one" in the reply window.
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)

# The choice values the statement names, written in as constants (see planned_cursor).
_OUTGOING = constants([Outreach.Direction.OUTGOING])
_INCOMING = constants([Outreach.Direction.INCOMING])
_THANK_YOU = constants([Outreach.Purpose.THANK_YOU])
_OFFER_STAGE = constants([Application.Stage.OFFER])
_TOOK_OFFER = constants([Application.ClosedReason.OFFER])


@dataclass
class Bar:
    """One bar of a chart: its label, its count, and its share of the chart's largest bar."""

    label: str
    value: int
    of: int = 0
    percent: float = 0.0
    # Where the chart draws it, in the SVG's units (set by ``_scaled``).
    x: float = 0.0
    y: float = 0.0
    length: float = 0.0

    @property
    def rate(self) -> int | None:
        """``value`` as a whole percentage of ``of`` (for reply rates), None without any."""
        return round(100 * self.value / self.of) if self.of else None


@dataclass
class Stats:
    funnel: list[Bar]
    reply_by_purpose: list[Bar]
    reply_by_channel: list[Bar]
    median_days_to_reply: float | None
    answered: int
    thank_yous_in_time: int
    interviews_due_thanks: int
    weeks: list[Bar] = field(default_factory=list)

    @property
    def thank_you_rate(self) -> int | None:
        if not self.interviews_due_thanks:
            return None
        return round(100 * self.thank_yous_in_time / self.interviews_due_thanks)


# The charts' geometry, in SVG units (templates/outreach/includes/*_chart.html).
ROW_HEIGHT = 30  # a horizontal bar chart's row
BAR_START = 120  # where its bars start, after the labels
BAR_MAX = 150  # its longest bar
COLUMN_WIDTH = 30  # a column chart's column
COLUMN_MAX = 120  # its tallest column
COLUMN_BASE = 140  # its baseline


def _scaled(bars: list[Bar], *, by_rate: bool = False, columns: bool = False) -> list[Bar]:
    """Set each bar's ``percent`` (of 100 % for rates, else of the largest bar) and where the
    chart draws it: rows from the top, or columns from the left standing on the baseline."""
    top = max((bar.value for bar in bars), default=0)
    for index, bar in enumerate(bars):
        if by_rate:
            bar.percent = 100 * bar.value / bar.of if bar.of else 0.0
        else:
            bar.percent = 100 * bar.value / top if top else 0.0
        if columns:
            bar.length = round(COLUMN_MAX * bar.percent / 100, 1)
            bar.x = index * COLUMN_WIDTH
            bar.y = COLUMN_BASE - bar.length
        else:
            bar.length = round(BAR_MAX * bar.percent / 100, 1)
            bar.x = BAR_START
            bar.y = index * ROW_HEIGHT
    return bars


def chart_height(bars: list[Bar]) -> int:
    return len(bars) * ROW_HEIGHT


# The page's figures come from one statement: each part is a SELECT whose rows carry its tag
# first, then these columns (NULL where the part has none), so that the parts can be joined
# with UNION ALL. One round trip instead of four, and the weeks are counted from the
# outreaches the reply rates read already.
COLUMNS = ("tag", "purpose", "channel", "n1", "n2", "n3", "delay", "week")
# PostgreSQL types a column of ``a UNION ALL b UNION ALL c`` by ``a`` and ``b`` first, where a
# NULL alone is text: the counts' NULLs are cast, and the weeks and the delays come first
# (see ``stats_for``), so that their columns take those parts' types.
_COUNTS = ("n1", "n2", "n3")


def _part(tag: str, columns: dict[str, str], rest: str) -> str:
    """``SELECT '<tag>', <columns in the order of COLUMNS, NULL for those not given> <rest>``."""
    unknown = set(columns) - set(COLUMNS)
    assert not unknown, unknown  # noqa: S101 - a typo in this module
    listed = ", ".join(
        columns.get(name, "CAST(NULL AS BIGINT)" if name in _COUNTS else "NULL")
        for name in COLUMNS[1:]
    )
    return f"SELECT '{tag}', {listed} {rest}"


def funnel_part(*, user: User, now: datetime) -> tuple[str, list]:
    """The funnel's three counts (applied, interviewed, offers, as ``n1``-``n3``), from one
    pass over the user's applications."""
    sql = _part(
        "funnel",
        {
            "n1": "COUNT(*)",
            "n2": "COUNT(CASE WHEN EXISTS (SELECT 1 FROM "  # noqa: S608 - ours
            f"{Interview._meta.db_table} i WHERE i.application_id = a.id "
            "AND i.starts_at <= %s) THEN 1 END)",
            "n3": f"COUNT(CASE WHEN a.stage = {_OFFER_STAGE} "
            f"OR a.closed_reason = {_TOOK_OFFER} THEN 1 END)",
        },
        f"FROM {Application._meta.db_table} a WHERE a.user_id = %s",
    )
    params = [connection.ops.adapt_datetimefield_value(now), user.pk]
    return sql, params


def funnel(row: tuple) -> list[Bar]:
    applied, interviewed, offers = row
    return _scaled(
        [Bar("Applied", applied), Bar("Interviewed", interviewed), Bar("Offers", offers)]
    )


def outreaches_with_reply(*, user: User) -> tuple[str, list]:
    """The SQL and parameters of the user's outreaches (``purpose``, ``channel``,
    ``occurred_at``), each with ``reply_at``: the first reply that answers it (see the
    module's definition), or None.

    Written out rather than built with the ORM: its nested subqueries cost the ORM some
    1.5 ms to assemble and compile. The indexed
    columns of ``outreach_app_direction_idx`` (application, direction, time) serve both
    lookups.
    """
    table = Outreach._meta.db_table
    sql = (
        "SELECT o.id, o.purpose, o.channel, o.occurred_at, ("  # noqa: S608 - ours
        f"SELECT r.occurred_at FROM {table} r "
        f"WHERE r.application_id = o.application_id AND r.direction = {_INCOMING} "
        "AND r.occurred_at > o.occurred_at AND r.occurred_at < COALESCE(("
        # The user's next outreach to the same person (or to no one in particular).
        f"SELECT n.occurred_at FROM {table} n "
        f"WHERE n.application_id = o.application_id AND n.direction = {_OUTGOING} "
        "AND n.occurred_at > o.occurred_at "
        "AND COALESCE(n.contact_id, 0) = COALESCE(o.contact_id, 0) "
        "ORDER BY n.occurred_at LIMIT 1), %s) "
        "ORDER BY r.occurred_at LIMIT 1) AS reply_at "
        f"FROM {table} o WHERE o.user_id = %s AND o.direction = {_OUTGOING}"
    )
    params = [connection.ops.adapt_datetimefield_value(_FAR_FUTURE), user.pk]
    return sql, params


@dataclass
class Replies:
    """The reply figures of the user's outreaches (see the module's definitions)."""

    by_purpose: list[Bar]
    by_channel: list[Bar]
    answered: int
    median_days: float | None


def replies_parts(*, user: User) -> tuple[str, list, list[str]]:
    """The common table expressions the reply figures read (their SQL and parameters) and
    the reply figures' parts: the reply rates by purpose and channel (``rate``: sent as
    ``n1``, answered as ``n2``) and the middle one or two of the answered outreaches'
    delays (``delay``), numbered in order by the database, so no more than two of them come
    back however many were answered.

    Each outreach's reply is looked up once (``w``, which PostgreSQL materializes as several
    parts read it).
    """
    sql, params = outreaches_with_reply(user=user)
    if connection.vendor == "sqlite":
        # Django's own function for a difference of two timestamps there, in microseconds.
        delay = "django_timestamp_diff(w.reply_at, w.occurred_at)"
    else:
        delay = "w.reply_at - w.occurred_at"
    ctes = (
        f"w AS ({sql}), "  # noqa: S608 - ours
        f"d AS (SELECT {delay} AS delay, ROW_NUMBER() OVER (ORDER BY {delay}, w.id) AS n, "
        "COUNT(*) OVER () AS answered FROM w WHERE w.reply_at IS NOT NULL)"
    )
    # The delays first: see COLUMNS.
    parts = [
        _part(
            "delay",
            {"delay": "d.delay"},
            "FROM d WHERE d.n IN ((d.answered + 1) / 2, d.answered / 2 + 1)",
        ),
        _part(
            "rate",
            {
                "purpose": "w.purpose",
                "channel": "w.channel",
                "n1": "COUNT(*)",
                "n2": "COUNT(w.reply_at)",
            },
            "FROM w GROUP BY w.purpose, w.channel",
        ),
    ]
    return ctes, params, parts


def replies(rates: list[tuple], delays: list[object]) -> Replies:
    """The reply figures of the rows of ``replies_parts``: (purpose, channel, sent,
    answered) and the middle delays."""
    by_purpose, by_channel = _reply_rates(rates)
    waited = [
        (delay if isinstance(delay, timedelta) else timedelta(microseconds=delay))
        for delay in delays
    ]
    return Replies(
        by_purpose=by_purpose,
        by_channel=by_channel,
        # Every outreach has one purpose: the bars by purpose count each answered one once.
        answered=sum(bar.value for bar in by_purpose),
        # Of an even number, the mean of the middle two.
        median_days=sum(d.total_seconds() / 86400 for d in waited) / len(waited)
        if waited
        else None,
    )


def _reply_rates(rows: list[tuple]) -> tuple[list[Bar], list[Bar]]:
    """The bars by purpose and by channel of (purpose, channel, sent, answered) rows."""
    by_purpose: dict[str, Bar] = {}
    by_channel: dict[str, Bar] = {}
    purposes = dict(Outreach.Purpose.choices)
    channels = dict(Outreach.Channel.choices)
    for purpose, channel, sent, answered in rows:
        for key, bars, labels in (
            (purpose, by_purpose, purposes),
            (channel, by_channel, channels),
        ):
            bar = bars.setdefault(key, Bar(labels.get(key, key), 0, 0))
            bar.value += answered
            bar.of += sent
    # In the order of the choices, as the forms list them.
    return (
        _scaled([by_purpose[key] for key in purposes if key in by_purpose], by_rate=True),
        _scaled([by_channel[key] for key in channels if key in by_channel], by_rate=True),
    )


def thank_yous_part(*, user: User, now: datetime) -> tuple[str, list]:
    """Interviews thanked within 24 hours (``n1``) and interviews whose 24 hours are over
    (``n2``).

    The thanked ones are counted by a query of their own, where the thank-you is a
    condition (a semi-join: the database may match the interviews with the thank-yous in
    one pass) rather than an EXISTS looked up for every interview inside a CASE: 1.6 ms of
    the database's time became 1.0 on the bench user's 500 interviews.
    """
    ops = connection.ops
    window_end = ops.combine_duration_expression("+", ["i.ends_at", "%s"])
    interviews = (
        f"FROM {Interview._meta.db_table} i "
        f"JOIN {Application._meta.db_table} a ON a.id = i.application_id "
        "WHERE a.user_id = %s AND i.ends_at <= %s"
    )
    sql = _part(
        "thanks",
        {
            "n1": f"(SELECT COUNT(*) {interviews} AND EXISTS (SELECT 1 FROM "  # noqa: S608 - ours
            f"{Outreach._meta.db_table} o WHERE o.application_id = i.application_id "
            f"AND o.direction = {_OUTGOING} AND o.purpose = {_THANK_YOU} "
            f"AND o.occurred_at >= i.starts_at AND o.occurred_at <= {window_end}))",
            "n2": "COUNT(*)",
        },
        interviews,
    )
    due = [user.pk, ops.adapt_datetimefield_value(now - THANK_YOU_WITHIN)]
    params = [
        *due,
        DurationField().get_db_prep_value(THANK_YOU_WITHIN, connection),
        *due,
    ]
    return sql, params


def week_starts(*, user: User, now: datetime) -> list[date]:
    """The Mondays of the weeks shown, oldest first, in the user's zone."""
    today = now.astimezone(user.zone).date()
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=n) for n in range(WEEKS_SHOWN - 1, -1, -1)]


def weeks_part(*, user: User, mondays: list[date]) -> tuple[str, list]:
    """The user's outreaches of each week shown (``n1``, the week's start as ``week``),
    counted by the database from those the reply rates read (``w``: every outreach the
    user made): the week each starts is the backend's own truncation in the user's zone
    (``DATE_TRUNC`` on PostgreSQL, Django's function on SQLite), as ``TruncWeek`` writes
    it."""
    since = datetime.combine(mondays[0], datetime.min.time(), tzinfo=user.zone)
    week, week_params = connection.ops.datetime_trunc_sql(
        "week", "w.occurred_at", (), user.timezone
    )
    sql = _part(
        "week",
        {"n1": "COUNT(*)", "week": week},
        # The week, by its position: its expression's parameters are given once.
        f"FROM w WHERE w.occurred_at >= %s GROUP BY {len(COLUMNS)}",
    )
    return sql, [*week_params, connection.ops.adapt_datetimefield_value(since)]


def outreaches_per_week(rows: list[tuple], mondays: list[date]) -> list[Bar]:
    """The bars of the weeks shown, of (week start, count) rows: the week's start in the
    user's zone is a naive timestamp, or its text on SQLite."""
    counts = {
        (start if isinstance(start, datetime) else datetime.fromisoformat(start)).date(): count
        for start, count in rows
    }
    return _scaled(
        [Bar(f"{monday:%d %b}", counts.get(monday, 0)) for monday in mondays], columns=True
    )


def stats_for(*, user: User, now: datetime) -> Stats:
    """Every figure of the page, from one statement (see ``COLUMNS``).

    On PostgreSQL the statement is prepared and keeps one generic plan (planned_cursor):
    planning it cost 0.8 ms a request. Its choice values are constants; the user, the
    times and the user's time zone are parameters."""
    mondays = week_starts(user=user, now=now)
    ctes, params, reply_parts = replies_parts(user=user)
    # The weeks, then the delays, first: see COLUMNS.
    weeks_sql, weeks_params = weeks_part(user=user, mondays=mondays)
    parts = [weeks_sql, *reply_parts]
    params += weeks_params
    for sql, part_params in (funnel_part(user=user, now=now), thank_yous_part(user=user, now=now)):
        parts.append(sql)
        params += part_params
    with planned_cursor() as cursor:
        cursor.execute(f"WITH {ctes} " + " UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    by_tag: dict[str, list[tuple]] = {}
    for row in rows:
        by_tag.setdefault(row[0], []).append(row)
    reply = replies(
        [row[1:5] for row in by_tag.get("rate", [])], [row[6] for row in by_tag.get("delay", [])]
    )
    median = reply.median_days
    (funnel_row,) = by_tag["funnel"]
    (thanks_row,) = by_tag["thanks"]
    return Stats(
        funnel=funnel(funnel_row[3:6]),
        reply_by_purpose=reply.by_purpose,
        reply_by_channel=reply.by_channel,
        median_days_to_reply=round(median, 1) if median is not None else None,
        answered=reply.answered,
        thank_yous_in_time=thanks_row[3],
        interviews_due_thanks=thanks_row[4],
        weeks=outreaches_per_week([(row[7], row[3]) for row in by_tag.get("week", [])], mondays),
    )
