"""The cadence rules (R6, R7): the pure module, the send guard, and their agreement with the
planner. Timezone: Europe/Berlin unless stated; the frozen clock is clear of DST changes."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from interviews.models import Note
from outreach.cadence import Cadence, allowed_from, not_before_at
from outreach.models import Occasion
from outreach.send_guard import (
    contact_history,
    gap_allowed_from,
    last_contact,
    last_outgoing_at,
    not_before_wish,
)
from outreach.services.timeline import outreach_record
from reminders.models import Reminder
from tests.factories import ApplicationFactory, NoteFactory
from tests.reminders.support import BERLIN, NEW_YORK, interview_logged, local, open_of, user_in

# Tuesday 10 March 2026, 14:00 in Berlin (CET).
NOW = local(BERLIN, 2026, 3, 10, 14, 0)


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


# --- The pure rules -------------------------------------------------------------------------


def test_no_earlier_outreach_and_no_wish_means_no_limit():
    assert (
        allowed_from(cadence=Cadence(), zone=BERLIN, last_outgoing_at=None, check_in=False) is None
    )


def test_the_gap_counts_days_on_the_users_wall_clock_across_dst():
    # Sent Friday 27 March 2026 at 10:00 in New York (EDT since 8 March) ... and Berlin
    # springs forward on 29 March: seven days later is still 10:00 local in each zone.
    sent = local(BERLIN, 2026, 3, 27, 10, 0)
    earliest = allowed_from(cadence=Cadence(), zone=BERLIN, last_outgoing_at=sent, check_in=False)
    assert earliest == local(BERLIN, 2026, 4, 3, 10, 0)
    sent_ny = local(NEW_YORK, 2026, 3, 6, 10, 0)
    earliest_ny = allowed_from(
        cadence=Cadence(), zone=NEW_YORK, last_outgoing_at=sent_ny, check_in=False
    )
    assert earliest_ny == local(NEW_YORK, 2026, 3, 13, 10, 0)


def test_a_check_in_waits_the_longer_check_in_gap():
    sent = local(BERLIN, 2026, 3, 2, 9, 0)
    cadence = Cadence(min_gap_days=7, checkin_min_gap_days=28)
    assert allowed_from(
        cadence=cadence, zone=BERLIN, last_outgoing_at=sent, check_in=True
    ) == local(BERLIN, 2026, 3, 30, 9, 0)


def test_the_later_of_the_gap_and_their_date_wins():
    sent = local(BERLIN, 2026, 3, 2, 9, 0)
    wish = date(2026, 3, 20)
    assert allowed_from(
        cadence=Cadence(), zone=BERLIN, last_outgoing_at=sent, check_in=False, not_before=wish
    ) == not_before_at(day=wish, zone=BERLIN)
    assert not_before_at(day=wish, zone=BERLIN) == local(BERLIN, 2026, 3, 20, 9, 0)


def test_the_cap_counts_unanswered_outreaches_in_a_row():
    cadence = Cadence(max_unanswered=4)
    assert not cadence.cap_reached(unanswered=3)
    assert cadence.cap_reached(unanswered=4)


# --- The send guard ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_send_guard_names_the_first_allowed_day():
    seeker = user_in(BERLIN)
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    outreach_record(
        user=seeker,
        application=interview.application,
        direction="out",
        channel="email",
        occurred_at=local(BERLIN, 2026, 3, 9, 10, 0),
        contact=anna,
    )
    follow_up = gap_allowed_from(user=seeker, contact=anna, occasion=Occasion.TOPIC_FOLLOW_UP)
    check_in = gap_allowed_from(user=seeker, contact=anna, occasion=Occasion.CHECK_IN)
    assert follow_up == date(2026, 3, 16)
    assert check_in == date(2026, 4, 6)
    later = local(BERLIN, 2026, 3, 16, 10, 0)
    assert (
        gap_allowed_from(user=seeker, contact=anna, occasion=Occasion.TOPIC_FOLLOW_UP, now=later)
        is None
    )


@pytest.mark.django_db
def test_the_send_guard_honours_their_date_for_a_follow_up_but_not_a_thank_you():
    seeker = user_in(BERLIN)
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 11, 0))
    NoteFactory(
        interview=interview,
        kind=Note.Kind.FOLLOW_UP,
        contact=anna,
        text="After the 20th",
        follow_up_not_before=date(2026, 3, 20),
    )
    assert gap_allowed_from(user=seeker, contact=anna, occasion=Occasion.TOPIC_FOLLOW_UP) == date(
        2026, 3, 20
    )
    # "Email me after the 20th" is about the follow-up; the thank-you within a day stays open.
    assert gap_allowed_from(user=seeker, contact=anna, occasion=Occasion.THANK_YOU) is None


@pytest.mark.django_db
def test_the_gap_holds_for_one_person_across_two_applications():
    seeker = user_in(BERLIN)
    interview, (recruiter,) = interview_logged(
        user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0)
    )
    other = ApplicationFactory(user=seeker, company=interview.application.company)
    outreach_record(
        user=seeker,
        application=other,
        direction="out",
        channel="email",
        occurred_at=local(BERLIN, 2026, 3, 9, 10, 0),
        contact=recruiter,
    )
    assert gap_allowed_from(
        user=seeker, contact=recruiter, occasion=Occasion.TOPIC_FOLLOW_UP
    ) == date(2026, 3, 16)


@pytest.mark.django_db
def test_the_planner_dates_a_follow_up_where_the_send_guard_opens():
    seeker = user_in(BERLIN)
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    NoteFactory(
        interview=interview,
        kind=Note.Kind.FOLLOW_UP,
        contact=anna,
        text="After the 20th",
        follow_up_not_before=date(2026, 3, 20),
    )
    outreach_record(
        user=seeker,
        application=interview.application,
        direction="out",
        channel="card",
        occurred_at=local(BERLIN, 2026, 3, 3, 10, 0),
        contact=anna,
    )
    (follow_up,) = open_of(interview.application, Reminder.Kind.FOLLOW_UP)
    guard_day = gap_allowed_from(user=seeker, contact=anna, occasion=Occasion.TOPIC_FOLLOW_UP)
    assert follow_up.due_at == local(BERLIN, 2026, 3, 20, 9, 0)
    assert follow_up.due_at.astimezone(BERLIN).date() == guard_day
    assert isinstance(follow_up.due_at, datetime)


@pytest.mark.django_db
def test_the_history_read_in_one_query_carries_their_latest_date_with_or_without_an_exchange(
    django_assert_num_queries,
):
    seeker = user_in(BERLIN)
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    for day in (20, 25):
        NoteFactory(
            interview=interview,
            kind=Note.Kind.FOLLOW_UP,
            contact=anna,
            follow_up_not_before=date(2026, 3, day),
        )
    # Before any exchange too, one query.
    with django_assert_num_queries(1):
        history = contact_history(user=seeker, contact=anna)
        assert history.last is None and history.not_before == date(2026, 3, 25)
    outreach_record(
        user=seeker,
        application=interview.application,
        direction="out",
        channel="email",
        occurred_at=local(BERLIN, 2026, 3, 3, 10, 0),
        contact=anna,
    )
    outreach_record(
        user=seeker,
        application=interview.application,
        direction="in",
        channel="call",
        occurred_at=local(BERLIN, 2026, 3, 4, 16, 30),
        contact=anna,
    )
    with django_assert_num_queries(1):
        history = contact_history(user=seeker, contact=anna)
    # What the ORM's lookups of each say, on both databases (SQLite gives text for dates).
    last = last_contact(user=seeker, contact=anna)
    assert (history.last.pk, history.last.occurred_at) == (last.pk, last.occurred_at)
    assert history.last.get_channel_display() == last.get_channel_display() == "Phone call"
    assert history.last.get_direction_display() == last.get_direction_display()
    assert history.last_outgoing_at == last_outgoing_at(user=seeker, contact=anna)
    assert history.last_outgoing_at == local(BERLIN, 2026, 3, 3, 10, 0)
    assert history.not_before == not_before_wish(user=seeker, contact=anna) == date(2026, 3, 25)
    assert gap_allowed_from(
        user=seeker, contact=anna, occasion=Occasion.TOPIC_FOLLOW_UP, history=history
    ) == gap_allowed_from(user=seeker, contact=anna, occasion=Occasion.TOPIC_FOLLOW_UP)
