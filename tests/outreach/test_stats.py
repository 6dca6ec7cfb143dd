"""The stats page's figures on a small known history, in two time zones.

The story (times UTC; "now" is Wednesday 12 March 2025, 12:00):
- Acme: interview Sun 2 Mar 09:00 to 10:00; thank-you email to Dana at 23:30 the same day
  (Monday 00:30 in Berlin, still Sunday in New York); her reply 36 hours later; a follow-up
  email on Sun 9 Mar, unanswered. A second interview ended two hours ago: its 24 hours are
  not over, so it is not counted yet.
- Globex (offer stage): interview Thu 20 Feb 09:00 to 10:00; a card to Bo 30 hours later (too
  late for "within 24 hours"); a follow-up email on Mon 24 Feb, answered two days later
  (before any reply, so the card counts as unanswered); a call on Thu 27 Feb, called back
  12 hours later.
- Initech: closed, rejected, never interviewed. Hooli: closed, took the offer. Umbrella:
  applied, with an interview still ahead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction

from interviews.models import Application
from outreach.models import Outreach
from outreach.stats import stats_for
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    OutreachFactory,
    UserFactory,
)
from tests.planning import generic_plan

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 12, 12, 0, tzinfo=UTC)
OUT, IN = Outreach.Direction.OUTGOING, Outreach.Direction.INCOMING
EMAIL, CARD, CALL = Outreach.Channel.EMAIL, Outreach.Channel.CARD, Outreach.Channel.CALL
P = Outreach.Purpose


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def history(zone: str):
    user = UserFactory(timezone=zone)
    acme = ApplicationFactory(user=user, company__name="Acme")
    globex = ApplicationFactory(user=user, company__name="Globex", stage=Application.Stage.OFFER)
    ApplicationFactory(
        user=user,
        company__name="Initech",
        stage=Application.Stage.CLOSED,
        closed_reason=Application.ClosedReason.REJECTED,
    )
    ApplicationFactory(
        user=user,
        company__name="Hooli",
        stage=Application.Stage.CLOSED,
        closed_reason=Application.ClosedReason.OFFER,
    )
    umbrella = ApplicationFactory(
        user=user, company__name="Umbrella", stage=Application.Stage.APPLIED
    )
    InterviewFactory(application=acme, starts_at=at(2, 9), ends_at=at(2, 10))
    InterviewFactory(
        application=acme, starts_at=NOW - timedelta(hours=3), ends_at=NOW - timedelta(hours=2)
    )
    InterviewFactory(application=globex, starts_at=at(20, 9, month=2), ends_at=at(20, 10, month=2))
    InterviewFactory(
        application=umbrella,
        starts_at=NOW + timedelta(days=2),
        ends_at=NOW + timedelta(days=2, hours=1),
    )
    dana = ContactFactory(user=user, company=acme.company, name="Dana")
    bo = ContactFactory(user=user, company=globex.company, name="Bo")

    def log(application, contact, direction, channel, purpose, when):
        OutreachFactory(
            user=user,
            application=application,
            contact=contact,
            direction=direction,
            channel=channel,
            purpose=purpose,
            occurred_at=when,
        )

    log(acme, dana, OUT, EMAIL, P.THANK_YOU, at(2, 23, 30))
    log(acme, dana, IN, EMAIL, P.REPLY, at(4, 11, 30))
    log(acme, dana, OUT, EMAIL, P.FOLLOW_UP, at(9, 12))
    log(globex, bo, OUT, CARD, P.THANK_YOU, at(21, 16, month=2))
    log(globex, bo, OUT, EMAIL, P.FOLLOW_UP, at(24, 16, month=2))
    log(globex, None, IN, EMAIL, P.REPLY, at(26, 16, month=2))
    log(globex, bo, OUT, CALL, P.CALL, at(27, 16, month=2))
    log(globex, bo, IN, CALL, P.REPLY, at(28, 4, month=2))
    # Someone else's history changes nothing.
    other = OutreachFactory(occurred_at=at(10, 9))
    OutreachFactory(
        user=other.user, application=other.application, direction=IN, occurred_at=at(10, 10)
    )
    return user


def rates(bars) -> dict[str, tuple[int, int]]:
    return {bar.label: (bar.value, bar.of) for bar in bars}


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_the_figures_of_a_known_history(zone):
    stats = stats_for(user=history(zone), now=NOW)

    assert [(bar.label, bar.value) for bar in stats.funnel] == [
        ("Applied", 5),
        ("Interviewed", 2),
        ("Offers", 2),
    ]
    assert rates(stats.reply_by_purpose) == {
        "Thank-you": (1, 2),
        "Follow-up": (1, 2),
        "Phone call": (1, 1),
    }
    assert rates(stats.reply_by_channel) == {
        "Email": (2, 3),
        "Handwritten card": (0, 1),
        "Phone call": (1, 1),
    }
    assert [bar.rate for bar in stats.reply_by_channel] == [67, 0, 100]
    # 1.5, 2 and 0.5 days.
    assert stats.median_days_to_reply == 1.5
    assert stats.answered == 3
    assert (stats.thank_yous_in_time, stats.interviews_due_thanks) == (1, 2)
    assert stats.thank_you_rate == 50


@pytest.mark.parametrize(
    ("delays", "median"),
    [([3], 3.0), ([1, 2, 4, 10], 3.0), ([10, 1, 4], 4.0), ([0.5, 7, 2, 1, 9, 3], 2.5)],
)
def test_the_median_time_to_a_reply_is_the_middle_delay_or_the_mean_of_the_middle_two(
    delays, median
):
    user = UserFactory()
    for days in delays:
        application = ApplicationFactory(user=user)
        sent = OutreachFactory(
            user=user, application=application, occurred_at=NOW - timedelta(days=20)
        )
        OutreachFactory(
            user=user,
            application=application,
            direction=IN,
            occurred_at=sent.occurred_at + timedelta(days=days),
        )

    stats = stats_for(user=user, now=NOW)

    assert stats.answered == len(delays)
    assert stats.median_days_to_reply == median


@pytest.mark.parametrize(
    ("zone", "counts"),
    [
        # The thank-you at 23:30 UTC on Sunday 2 March is Monday 00:30 in Berlin...
        ("Europe/Berlin", {"17 Feb": 1, "24 Feb": 2, "03 Mar": 2, "10 Mar": 0}),
        # ...and Sunday 18:30 in New York, the week before.
        ("America/New_York", {"17 Feb": 1, "24 Feb": 3, "03 Mar": 1, "10 Mar": 0}),
    ],
)
def test_outreaches_per_week_count_in_the_users_weeks(zone, counts):
    with time_machine.travel(NOW, tick=False):
        weeks = stats_for(user=history(zone), now=NOW).weeks

    assert len(weeks) == 12
    assert weeks[0].label == "23 Dec"
    assert {bar.label: bar.value for bar in weeks[-4:]} == counts
    assert sum(bar.value for bar in weeks) == 5
    # The tallest column is full height; an empty week has none.
    assert max(bar.length for bar in weeks) == 120
    assert weeks[-1].length == 0


@time_machine.travel(NOW, tick=False)
def test_the_page_draws_each_chart_with_a_table_beside_it(client_for):
    response = client_for(history("Europe/Berlin")).get("/stats/")

    assert response.status_code == 200
    body = response.content.decode()
    for chart in ("chart-funnel", "chart-reply-kind", "chart-reply-channel", "chart-weekly"):
        assert f'<figure class="chart-figure mb-0" id="{chart}">' in body
    assert body.count("<svg") == 4
    assert body.count("<figcaption") == 4
    assert body.count('<div class="visually-hidden chart-table"><table>') == 4
    assert '<th scope="row">Handwritten card</th><td>0</td><td>1</td><td>0%</td>' in body
    assert "1.5 days" in body
    assert "1 of 2" in body


def test_a_new_user_sees_empty_charts_without_errors(client_for):
    response = client_for(UserFactory()).get("/stats/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "no replies yet" in body
    assert "Nothing sent yet." in body


def test_an_interview_still_within_its_24_hours_is_not_reported_as_no_interview(client_for):
    user = UserFactory()
    ended = datetime.now(UTC) - timedelta(hours=3)
    InterviewFactory(
        application=ApplicationFactory(user=user, stage="interviewing"),
        starts_at=ended - timedelta(hours=1),
        ends_at=ended,
    )

    body = client_for(user).get("/stats/").content.decode()

    assert "no interviews yet" not in body
    assert '<dd class="col-5 fs-5" id="thank-yous-in-time">none counted yet</dd>' in body
    assert "An interview counts for thank-yous once its 24 hours are over." in body


@pytest.mark.parametrize("rows", [1, 50])
def test_the_query_count_does_not_grow_with_the_applications(
    rows, client_for, django_assert_num_queries, session_queries
):
    user = UserFactory()
    for _ in range(rows):
        application = ApplicationFactory(user=user)
        InterviewFactory(application=application, starts_at=NOW - timedelta(days=3))
        OutreachFactory(user=user, application=application, occurred_at=NOW - timedelta(days=2))
        OutreachFactory(
            user=user, application=application, direction=IN, occurred_at=NOW - timedelta(days=1)
        )
    client = client_for(user)
    client.get("/stats/")
    # Session (unless Redis holds it), user, then every figure in one statement.
    with django_assert_num_queries(2 + session_queries):
        response = client.get("/stats/")
    assert response.context["stats"].funnel[0].value == rows


def test_unanswered_outreaches_do_not_move_the_median():
    user = UserFactory()
    for days in (1, 2, 4, 10):
        application = ApplicationFactory(user=user)
        sent = OutreachFactory(
            user=user, application=application, occurred_at=NOW - timedelta(days=20)
        )
        OutreachFactory(
            user=user,
            application=application,
            direction=IN,
            occurred_at=sent.occurred_at + timedelta(days=days),
        )
    # More outreaches without a reply than with one: they sort after every delay.
    for _ in range(5):
        OutreachFactory(
            user=user,
            application=ApplicationFactory(user=user),
            occurred_at=NOW - timedelta(days=3),
        )

    stats = stats_for(user=user, now=NOW)

    assert stats.answered == 4
    assert stats.median_days_to_reply == 3.0


@pytest.mark.parametrize(
    ("after_start", "thanked"),
    [
        (timedelta(minutes=-1), False),
        (timedelta(0), True),
        (timedelta(hours=25), True),
        (timedelta(hours=25, microseconds=1), False),
    ],
)
def test_a_thank_you_counts_from_the_interviews_start_to_24_hours_after_its_end(
    after_start, thanked
):
    """The window's two edges, on both databases (SQLite adds the 24 hours to a timestamp
    stored as text)."""
    user = UserFactory()
    interview = InterviewFactory(
        application__user=user,
        starts_at=NOW - timedelta(days=5),
        ends_at=NOW - timedelta(days=5) + timedelta(hours=1),
    )
    OutreachFactory(
        user=user,
        application=interview.application,
        purpose=Outreach.Purpose.THANK_YOU,
        occurred_at=interview.starts_at + after_start,
    )

    stats = stats_for(user=user, now=NOW)

    assert (stats.thank_yous_in_time, stats.interviews_due_thanks) == (int(thanked), 1)


def test_the_thanked_interviews_are_matched_with_the_thank_yous_in_one_pass():
    """The thanked interviews are counted by a query where the thank-you is a condition, so
    that PostgreSQL can join the interviews with the thank-yous (a semi-join) instead of
    looking one up for each interview; checked in the plan the page keeps (the statement is
    prepared, with one generic plan). Also the figures, with another user's thank-you on
    the same application, which counts as the statement always counted it."""
    user = UserFactory()
    interviews = [
        InterviewFactory(
            application__user=user,
            starts_at=NOW - timedelta(days=days),
            ends_at=NOW - timedelta(days=days) + timedelta(hours=1),
        )
        for days in (3, 4, 5)
    ]
    for interview in interviews[:2]:
        OutreachFactory(
            user=user,
            application=interview.application,
            purpose=Outreach.Purpose.THANK_YOU,
            occurred_at=interview.ends_at,
        )
    OutreachFactory(
        application=interviews[2].application,  # another user's
        purpose=Outreach.Purpose.THANK_YOU,
        occurred_at=interviews[2].ends_at,
    )
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        stats = stats_for(user=user, now=NOW)

    assert (stats.thank_yous_in_time, stats.interviews_due_thanks) == (3, 3)
    if connection.vendor != "postgresql":
        return
    ((sql, params),) = statements
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE outreach_outreach")
        cursor.execute("ANALYZE interviews_interview")
        plan = generic_plan(sql, params)
    assert "Semi Join" in plan, plan


def test_chart_labels_are_escaped_and_long_ones_cut():
    from outreach.stats import Bar, _scaled
    from outreach.templatetags.charts import bar_chart, column_chart

    hostile = '<script>alert("x")</script>'
    bars = [
        Bar(hostile, 3, 4),
        Bar("Café étude: a label well past eighteen characters", 1, 2),
        Bar("Email", 0, 0),
    ]
    rates = bar_chart(
        _scaled(bars, by_rate=True), chart_id="c", caption="Sent & answered", rates=True
    )
    columns = column_chart(_scaled(list(bars), columns=True), chart_id="w", caption="<weeks>")

    assert "<script>" not in rates + columns
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    # The chart's label is cut to 18 characters; the table beside it keeps the whole text.
    assert 'text-anchor="end">&lt;script&gt;alert(&quot;x&quot;…</text>' in rates
    assert f'<th scope="row">{escaped}</th><td>3</td><td>4</td><td>75%</td>' in rates
    assert ">Café étude: a lab…</text>" in rates
    assert "<td>0</td><td>0</td><td>none sent</td>" in rates
    assert "<caption>Sent &amp; answered</caption>" in rates
    assert "<caption>&lt;weeks&gt;</caption>" in columns
    assert f'text-anchor="middle">{escaped}</text>' in columns
