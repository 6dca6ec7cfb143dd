"""Reading calendar invitations (.ics) into an interview's time, zone and people: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interviews.invitations import InvitationError, invitation_parse
from tests.interviews.invitation_files import (
    GOOGLE_NEW_YORK,
    ROBIN,
    calendar,
    event_lines,
    google_invite,
    outlook_invite,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def parse(data: bytes, *, zone: str = "Europe/Berlin", max_bytes: int = 512 * 1024, **kw):
    kw.setdefault("max_events", 20)
    kw.setdefault("now", NOW)
    return invitation_parse(data=data, user_zone=zone, max_bytes=max_bytes, **kw)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("user_zone", ["Europe/Berlin", "Asia/Tokyo"])
def test_a_google_invitation_keeps_its_new_york_time_after_the_us_clocks_changed(user_zone):
    # 8 March 2026 the US went to summer time: 10:00 in New York is 14:00 UTC, not 15:00.
    event = parse(google_invite(), zone=user_zone)
    assert (event.starts_at, event.ends_at) == (utc(2026, 3, 10, 14), utc(2026, 3, 10, 15))
    assert event.timezone_name == "America/New_York"
    assert (event.uid, event.sequence, event.cancelled) == (
        "7kukuqrfedlm2f9t8vr42q2vil@google.com",
        0,
        False,
    )
    assert event.summary == "Interview with Acme Robotics"
    assert event.location == "https://meet.google.com/abc-defg-hij"


def test_before_the_us_change_the_same_wall_time_is_an_hour_later_in_utc():
    event = parse(
        google_invite(
            start="DTSTART;TZID=America/New_York:20260306T100000",
            end="DTEND;TZID=America/New_York:20260306T110000",
        )
    )
    assert event.starts_at == utc(2026, 3, 6, 15)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(27, 9), (30, 8)],  # Europe changed to summer time on Sunday 29 March 2026
    ids=["winter-time", "summer-time"],
)
def test_an_outlook_invitation_reads_windows_zone_names_on_both_sides_of_the_eu_change(
    day, utc_hour
):
    event = parse(
        outlook_invite(
            start=f"DTSTART;TZID=W. Europe Standard Time:202603{day}T100000",
            end=f"DTEND;TZID=W. Europe Standard Time:202603{day}T111500",
        ),
        zone="America/New_York",
    )
    assert event.starts_at == utc(2026, 3, day, utc_hour)
    assert event.ends_at - event.starts_at == timedelta(minutes=75)
    assert event.timezone_name == "Europe/Berlin"


def test_the_people_are_the_organiser_and_the_attendees_except_the_user_and_rooms():
    event = parse(google_invite())
    people = event.people(user_email="Robin@Seeker.example")
    assert [(p.display_name, p.email) for p in people] == [
        ("Ana Ortiz", "ana.ortiz@acme-robotics.com"),
        ("Tom Weber", "tom.weber@acme-robotics.com"),
    ]


def test_outlook_last_name_first_names_read_as_a_person_is_greeted():
    event = parse(outlook_invite())
    assert [p.display_name for p in event.people(user_email=ROBIN)] == [
        "Dr. Anja Becker",
        "Lars Jensen",
    ]


def test_utc_times_are_exact_and_shown_in_the_users_zone():
    event = parse(
        google_invite(start="DTSTART:20260310T140000Z", end="DTEND:20260310T150000Z"),
        zone="Asia/Tokyo",
    )
    assert event.starts_at == utc(2026, 3, 10, 14)
    assert event.timezone_name == "Asia/Tokyo"


@pytest.mark.parametrize(("zone", "utc_hour"), [("Europe/Berlin", 9), ("America/New_York", 14)])
def test_a_floating_time_is_read_in_the_users_zone(zone, utc_hour):
    event = parse(
        google_invite(start="DTSTART:20260310T100000", end="DTEND:20260310T110000"), zone=zone
    )
    assert event.starts_at == utc(2026, 3, 10, utc_hour)
    assert event.timezone_name == zone


def test_a_zone_defined_only_by_its_rules_keeps_the_exact_instant():
    custom = GOOGLE_NEW_YORK.replace("America/New_York", "Eastern (custom)")
    data = calendar(
        event_lines(
            start="DTSTART;TZID=Eastern (custom):20260310T100000",
            end="DTEND;TZID=Eastern (custom):20260310T110000",
        ),
        zones=(custom,),
    )
    event = parse(data, zone="Europe/Berlin")
    assert event.starts_at == utc(2026, 3, 10, 14)


def test_no_end_means_an_hour_and_says_so():
    event = parse(google_invite(end=None))
    assert event.ends_at - event.starts_at == timedelta(hours=1)
    assert event.end_assumed


def test_a_duration_gives_the_end():
    event = parse(google_invite(end="DURATION:PT45M"))
    assert event.ends_at - event.starts_at == timedelta(minutes=45)
    assert not event.end_assumed


@pytest.mark.parametrize(
    "kwargs",
    [{"method": "CANCEL", "sequence": 1}, {"status": "CANCELLED", "sequence": 2}],
    ids=["method-cancel", "status-cancelled"],
)
def test_a_cancellation_is_recognised_both_ways(kwargs):
    event = parse(google_invite(**kwargs))
    assert event.cancelled
    assert event.sequence == kwargs["sequence"]


def test_of_several_events_the_next_one_to_start_is_picked_and_counted():
    past = event_lines(uid="past@x", start="DTSTART:20260201T100000Z", end=None, summary="Past")
    later = event_lines(uid="later@x", start="DTSTART:20260401T100000Z", end=None, summary="Later")
    soon = event_lines(uid="soon@x", start="DTSTART:20260305T100000Z", end=None, summary="Soon")
    event = parse(calendar(past, later, soon))
    assert (event.summary, event.events_in_file) == ("Soon", 3)
    # The carried calendar holds that one event only.
    assert parse(event.calendar_text.encode()).events_in_file == 1


def test_a_calendar_without_zones_used_carries_none():
    event = parse(google_invite(start="DTSTART:20260310T140000Z", end="DTEND:20260310T150000Z"))
    assert "VTIMEZONE" not in event.calendar_text


# --- Bad files: each says what is wrong --------------------------------------------------------


def test_more_events_than_the_limit_are_refused_before_parsing():
    events = [
        event_lines(uid=f"e{n}@x", start="DTSTART:20260310T140000Z", end=None)
        for n in range(10_000)
    ]
    data = calendar(*events)
    with pytest.raises(InvitationError, match=r"holds 10,000 events.*at most 20"):
        parse(data, max_bytes=len(data) + 1)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(InvitationError, match="at most 1 KB"):
        parse(google_invite(), max_bytes=1024)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"Name,Company\nAna,Acme\n", "should start with BEGIN:VCALENDAR"),
        (
            google_invite(summary="Entrevista en Café").replace("é".encode(), b"\xe9"),
            "not in UTF-8",
        ),
        (google_invite()[:-100], "broken"),
        (
            google_invite().replace(b"STATUS:CONFIRMED", b"this line is broken"),
            "broken line",
        ),
        (
            google_invite(start="DTSTART;TZID=America/New_York:2026-03-10 10:00"),
            "broken line",
        ),
        (
            calendar([line for line in event_lines() if not line.startswith("DTSTART")]),
            "no start time",
        ),
        (
            google_invite(start="DTSTART;VALUE=DATE:20260310", end="DTEND;VALUE=DATE:20260311"),
            "all-day event",
        ),
        (calendar(zones=()), "no event"),
        (google_invite(uid=""), "no UID"),
        (
            google_invite(start="DTSTART;TZID=Mars/Olympus:20260310T100000", end=None),
            "without describing it",
        ),
    ],
    ids=[
        "png",
        "csv",
        "latin-1",
        "cut-short",
        "junk-line",
        "bad-date",
        "no-dtstart",
        "all-day",
        "no-event",
        "no-uid",
        "undescribed-zone",
    ],
)
def test_a_bad_file_is_refused_with_its_reason(data, message):
    with pytest.raises(InvitationError, match=message):
        parse(data)
