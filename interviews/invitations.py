"""Calendar invitations (.ics) read into what an interview needs, without the database.

An invitation is one VEVENT in a VCALENDAR (RFC 5545), as Google Calendar, Outlook and the
others attach it to their invitation emails. :func:`invitation_parse` turns the bytes of a
file into an :class:`InvitationEvent` or raises :class:`InvitationError` whose message says
what is wrong in words the user can act on. Every limit (the size of the file, the events in
it) is checked before the expensive work, so a hostile file costs little.

Times: a TZID with its VTIMEZONE is read by that definition (Outlook's "W. Europe Standard
Time" too), a time in UTC is exact, and a floating time (no zone at all) is read in the
user's own zone. The interview then shows in the event's zone when it has an IANA name, else
in the user's.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import icalendar
from icalendar.error import IncompleteComponent, InvalidCalendar
from icalendar.timezone.tzid import tzids_from_tzinfo
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
from nameparser import HumanName

# An event without an end (and without a duration) is taken to last this long.
DEFAULT_LENGTH = timedelta(hours=1)
UID_MAX_LENGTH = 500
_EVENT_BEGIN = re.compile(rb"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)
_SKIPPED_CUTYPES = {"RESOURCE", "ROOM"}


class InvitationError(ValueError):
    """The file cannot be read as an invitation; the message tells the user why."""


@dataclass(frozen=True)
class Person:
    """Someone on the invitation: an organiser or an attendee."""

    email: str
    name: str = ""

    @property
    def display_name(self) -> str:
        """ "Becker, Anja" as "Anja Becker"; the address's local part when there is no name."""
        if self.name:
            parsed = HumanName(self.name)
            if parsed.first or parsed.last:
                parts = (parsed.title, parsed.first, parsed.middle, parsed.last, parsed.suffix)
                return " ".join(" ".join(part for part in parts if part).split())
            return " ".join(self.name.split())
        local = self.email.partition("@")[0]
        return " ".join(word.capitalize() for word in re.split(r"[._-]+", local) if word)

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2].lower()


@dataclass(frozen=True)
class InvitationEvent:
    """The one event of an invitation, as the interview will record it."""

    uid: str
    sequence: int
    cancelled: bool
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC
    timezone_name: str  # an IANA name
    summary: str = ""
    description: str = ""
    location: str = ""
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()
    # Events in the file besides this one (only this one was picked), and whether the end
    # was assumed because the event gave none.
    events_in_file: int = 1
    end_assumed: bool = False
    # The picked event alone with the zones it uses, to carry through a confirmation page.
    calendar_text: str = field(default="", repr=False)

    def people(self, *, user_email: str) -> list[Person]:
        """The organiser and every attendee except the user, once each, organiser first."""
        seen = {user_email.lower()}
        people = []
        for person in (self.organizer, *self.attendees):
            if person is None or person.email.lower() in seen:
                continue
            seen.add(person.email.lower())
            people.append(person)
        return people


@lru_cache(maxsize=1)
def _iana_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise InvitationError("This is not a calendar file (.ics): it holds binary data.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvitationError(
            "This calendar file is not in UTF-8, the encoding calendar files use "
            f"(byte {error.start + 1} cannot be read). Export the invitation again from "
            "your calendar."
        ) from error
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise InvitationError(
            "This is not a calendar file (.ics): it should start with BEGIN:VCALENDAR."
        )
    return text


def _broken_lines(component: icalendar.cal.Component) -> list[str]:
    problems = []
    for part in component.walk():
        for name, message in getattr(part, "errors", []):
            problems.append(f"{name}: {message}" if name else message)
    return problems


def _zone_name(value: datetime, *, tzid: str | None, user_zone: str) -> str:
    """The IANA name of the event's zone, or the user's zone when it has none."""
    if value.tzinfo is None:
        return user_zone
    if tzid and tzid in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[tzid]
    names = tzids_from_tzinfo(value.tzinfo)
    if "UTC" in names:
        return user_zone
    for name in names:
        if name in _iana_names():
            return name
    # UTC, or a zone described only by its rules under a private name: show it in the user's
    # zone (the instant itself is exact either way).
    return user_zone


def _aware(value: datetime, *, tzid: str | None, user_zone: str) -> datetime:
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    if tzid:
        raise InvitationError(
            f"The invitation uses the time zone “{tzid}” without describing it, so its time "
            "cannot be known for sure. Export the invitation again from your calendar."
        )
    # A floating time means "this wall-clock time wherever you are": the user's zone.
    return value.replace(tzinfo=zoneinfo.ZoneInfo(user_zone)).astimezone(UTC)


def _person(address: object) -> Person | None:
    if address is None:
        return None
    email = str(address).strip()
    if email.lower().startswith("mailto:"):
        email = email[7:]
    email = email.strip()
    if "@" not in email or len(email) > 254:
        return None
    params = getattr(address, "params", {})
    if str(params.get("CUTYPE", "")).upper() in _SKIPPED_CUTYPES:
        return None
    return Person(email=email, name=" ".join(str(params.get("CN", "")).split())[:200])


def _text(event: icalendar.Event, name: str, limit: int) -> str:
    value = event.get(name)
    if value is None:
        return ""
    return str(value).replace("\x00", "").strip()[:limit]


def _times(event: icalendar.Event, *, user_zone: str) -> tuple[datetime, datetime, str, bool]:
    try:
        start = event.start
    except IncompleteComponent as error:
        raise InvitationError(
            "The invitation has no start time (DTSTART), so there is no interview time to record."
        ) from error
    except InvalidCalendar as error:
        raise InvitationError(f"The invitation's start time cannot be read: {error}") from error
    if not isinstance(start, datetime):
        raise InvitationError(
            "This is an all-day event: it has a date but no time. Log the interview by hand "
            "with the time it starts."
        )
    start_tzid = event["DTSTART"].params.get("TZID")
    try:
        end = event.end
    except IncompleteComponent:
        end = None
    except InvalidCalendar as error:
        raise InvitationError(f"The invitation's end time cannot be read: {error}") from error
    end_tzid = event["DTEND"].params.get("TZID") if "DTEND" in event else start_tzid
    starts_at = _aware(start, tzid=start_tzid, user_zone=user_zone)
    assumed = end is None or not isinstance(end, datetime)
    if assumed:
        ends_at = starts_at + DEFAULT_LENGTH
    else:
        ends_at = _aware(end, tzid=end_tzid, user_zone=user_zone)
    if ends_at <= starts_at:
        ends_at, assumed = starts_at + DEFAULT_LENGTH, True
    return starts_at, ends_at, _zone_name(start, tzid=start_tzid, user_zone=user_zone), assumed


def _pick(events: list[icalendar.Event], *, now: datetime, user_zone: str) -> icalendar.Event:
    """The event to import when a file holds several: the next one to start, else the last.

    Events that cannot be timed are left out of the choice; if none can, the first is
    returned so its problem is reported.
    """
    timed = []
    for event in events:
        try:
            starts_at = _times(event, user_zone=user_zone)[0]
        except InvitationError:
            continue
        timed.append((starts_at, event))
    if not timed:
        return events[0]
    timed.sort(key=lambda pair: pair[0])
    upcoming = [event for starts_at, event in timed if starts_at >= now]
    return upcoming[0] if upcoming else timed[-1][1]


def _calendar_of(calendar: icalendar.Calendar, event: icalendar.Event) -> str:
    """A calendar holding the one event and the zone definitions it uses."""
    alone = icalendar.Calendar()
    for name in ("PRODID", "VERSION", "METHOD"):
        if name in calendar:
            alone.add(name, calendar[name])
    used = {
        str(event[name].params["TZID"])
        for name in ("DTSTART", "DTEND")
        if name in event and "TZID" in event[name].params
    }
    for zone in calendar.walk("VTIMEZONE"):
        if str(zone.get("TZID")) in used:
            alone.add_component(zone)
    alone.add_component(event)
    return alone.to_ical().decode()


def invitation_parse(
    *, data: bytes, user_zone: str, max_bytes: int, max_events: int, now: datetime
) -> InvitationEvent:
    """Read an invitation file. ``now`` decides which event to pick if there are several.

    1. Refuse what is too big, binary, not UTF-8 or not a calendar, before parsing.
    2. Count the events with a cheap scan and refuse files with more than ``max_events``.
    3. Parse; refuse broken lines, a missing UID, an all-day event or a missing start.
    4. Pick the event (the next one to start, if several) and read its people and times.
    """
    if len(data) > max_bytes:
        raise InvitationError(
            f"This file is {len(data) / 1024:,.0f} KB; an invitation is at most "
            f"{max_bytes / 1024:,.0f} KB. Export the one interview's invitation, not a whole "
            "calendar."
        )
    text = _decode(data)
    count = len(_EVENT_BEGIN.findall(data))
    if count == 0:
        raise InvitationError("This calendar file holds no event (no VEVENT).")
    if count > max_events:
        raise InvitationError(
            f"This calendar file holds {count:,} events; an invitation file may hold at most "
            f"{max_events}. Export the one interview's invitation, not a whole calendar."
        )
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise InvitationError(
            "This calendar file is broken (it may be cut short or hold several calendars): "
            f"{str(error)[:120]}"
        ) from error
    problems = _broken_lines(calendar)
    if problems:
        raise InvitationError(f"This calendar file has a broken line: {problems[0][:200]}")
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise InvitationError("This calendar file holds no event (no VEVENT).")
    event = _pick(events, now=now, user_zone=user_zone)
    uid = _text(event, "UID", UID_MAX_LENGTH + 1)
    if not uid:
        raise InvitationError(
            "The invitation has no UID, so later changes to it could not be "
            "matched. Export the invitation again from your calendar."
        )
    if len(uid) > UID_MAX_LENGTH:
        raise InvitationError(f"The invitation's UID is longer than {UID_MAX_LENGTH} characters.")
    starts_at, ends_at, zone_name, assumed = _times(event, user_zone=user_zone)
    try:
        sequence = int(str(event.get("SEQUENCE", 0)))
    except ValueError as error:
        raise InvitationError("The invitation's SEQUENCE is not a number.") from error
    method = str(calendar.get("METHOD", "")).upper()
    status = str(event.get("STATUS", "")).upper()
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    return InvitationEvent(
        uid=uid,
        sequence=max(sequence, 0),
        cancelled=method == "CANCEL" or status == "CANCELLED",
        starts_at=starts_at,
        ends_at=ends_at,
        timezone_name=zone_name,
        summary=" ".join(_text(event, "SUMMARY", 500).split()),
        description=_text(event, "DESCRIPTION", 4000),
        location=" ".join(_text(event, "LOCATION", 500).split()),
        organizer=_person(event.get("ORGANIZER")),
        attendees=tuple(p for p in (_person(a) for a in attendees) if p is not None),
        events_in_file=len(events),
        end_assumed=assumed,
        calendar_text=_calendar_of(calendar, event),
    )
