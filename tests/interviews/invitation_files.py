"""Calendar invitations as Google Calendar and Outlook write them, built for the tests.

The zone definitions are the ones those programs send: Google names the zone by its IANA
name and describes it; Outlook uses Windows names ("W. Europe Standard Time") with rules
starting in 1601.
"""

from __future__ import annotations

GOOGLE_NEW_YORK = """BEGIN:VTIMEZONE
TZID:America/New_York
X-LIC-LOCATION:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE"""

OUTLOOK_BERLIN = """BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE"""

ROBIN = "robin@seeker.example"


def _fold(line: str) -> str:
    """RFC 5545 folds lines longer than 75 octets; the programs do, so the tests do."""
    out, rest = [], line
    while len(rest.encode()) > 75:
        out.append(rest[:74])
        rest = " " + rest[74:]
    out.append(rest)
    return "\r\n".join(out)


def event_lines(
    *,
    uid: str = "7kukuqrfedlm2f9t8vr42q2vil@google.com",
    start: str = "DTSTART;TZID=America/New_York:20260310T100000",
    end: str | None = "DTEND;TZID=America/New_York:20260310T110000",
    sequence: int = 0,
    status: str = "CONFIRMED",
    summary: str = "Interview with Acme Robotics",
    location: str = "https://meet.google.com/abc-defg-hij",
    description: str = "Join with Google Meet: https://meet.google.com/abc-defg-hij",
    organizer: str = "ORGANIZER;CN=Ana Ortiz:mailto:ana.ortiz@acme-robotics.com",
    attendees: tuple[str, ...] = (
        f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;"
        f"CN={ROBIN};X-NUM-GUESTS=0:mailto:{ROBIN}",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;"
        'CN="Weber, Tom";X-NUM-GUESTS=0:mailto:tom.weber@acme-robotics.com',
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;"
        "CN=Ana Ortiz;X-NUM-GUESTS=0:mailto:ana.ortiz@acme-robotics.com",
        "ATTENDEE;CUTYPE=ROOM;ROLE=NON-PARTICIPANT;CN=Room 3.01:mailto:room301@acme-robotics.com",
    ),
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        start,
        *([end] if end else []),
        "DTSTAMP:20260301T090000Z",
        organizer,
        f"UID:{uid}",
        *attendees,
        "CREATED:20260301T090000Z",
        f"DESCRIPTION:{description}",
        f"LOCATION:{location}",
        f"SEQUENCE:{sequence}",
        f"STATUS:{status}",
        f"SUMMARY:{summary}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return [line for line in lines if line]


def calendar(
    *events: list[str],
    zones: tuple[str, ...] = (GOOGLE_NEW_YORK,),
    method: str = "REQUEST",
    prodid: str = "-//Google Inc//Google Calendar 70.9054//EN",
) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{prodid}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *"\n".join(zones).splitlines(),
        *[line for event in events for line in event],
        "END:VCALENDAR",
    ]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def google_invite(**event: object) -> bytes:
    """A Google Calendar invitation from Acme Robotics, 10:00-11:00 New York time."""
    method = str(event.pop("method", "REQUEST"))
    return calendar(event_lines(**event), method=method)


def outlook_invite(**event: object) -> bytes:
    """An Outlook invitation in Berlin time, with Windows zone names."""
    method = str(event.pop("method", "REQUEST"))
    event.setdefault("uid", "040000008200E00074C5B7101A82E00800000000B0A1C5D2F3")
    event.setdefault("start", "DTSTART;TZID=W. Europe Standard Time:20260327T100000")
    event.setdefault("end", "DTEND;TZID=W. Europe Standard Time:20260327T111500")
    event.setdefault("location", "Globex HQ, Friedrichstraße 1, Berlin")
    event.setdefault("description", "We look forward to meeting you.")
    event.setdefault("summary", "Globex: on-site interview")
    event.setdefault("organizer", 'ORGANIZER;CN="Becker, Dr. Anja":mailto:anja.becker@globex.de')
    event.setdefault(
        "attendees",
        (
            f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Robin Fischer:"
            f"mailto:{ROBIN.upper()}",
            "ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Lars Jensen:"
            "mailto:lars.jensen@globex.de",
        ),
    )
    return calendar(
        event_lines(**event),
        zones=(OUTLOOK_BERLIN,),
        method=method,
        prodid="Microsoft Exchange Server 2010",
    )
