"""The per-user iCalendar feed: open tasks and interviews, for a phone's calendar app.

Calendar apps poll the feed and replace what they had, so each event keeps a stable UID
(``reminder-<pk>@followup``) and a task that is done or cancelled simply leaves the feed.
The icalendar library escapes the user's text (commas, semicolons, new lines).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, Todo

from accounts.models import User
from interviews.models import Interview
from reminders.models import Reminder

TASK_DURATION = timedelta(minutes=30)
TASK_ALARM_BEFORE = timedelta(minutes=15)
INTERVIEW_ALARM_BEFORE = timedelta(hours=1)
# Interviews that ended this long ago still show, so a week view does not look empty.
PAST_INTERVIEWS = timedelta(days=7)
UID_DOMAIN = "followup"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _display_alarm(*, description: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", -before)
    return alarm


def _task_event(reminder: Reminder) -> Event:
    event = Event()
    event.add("uid", f"reminder-{reminder.pk}@{UID_DOMAIN}")
    event.add("dtstamp", reminder.updated_at)
    event.add("last-modified", reminder.updated_at)
    event.add("dtstart", reminder.due_at)
    event.add("dtend", reminder.due_at + TASK_DURATION)
    event.add("summary", reminder.title)
    lines = [reminder.get_kind_display()]
    if reminder.application is not None:
        lines.append(str(reminder.application))
    if reminder.contact is not None:
        lines.append(f"With {reminder.contact.name}")
    if reminder.note:
        lines.append(reminder.note)
    url = _absolute(reverse("reminders:task_detail", args=[reminder.pk]))
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("categories", [reminder.get_kind_display()])
    # A thank-you is best sent soon after the interview, not at the 24 h deadline: ring when
    # the reminder email goes out, if that is earlier than the usual quarter of an hour.
    before = TASK_ALARM_BEFORE
    if (
        reminder.kind == Reminder.Kind.THANK_YOU
        and reminder.notify_at is not None
        and reminder.notify_at < reminder.due_at - TASK_ALARM_BEFORE
    ):
        before = reminder.due_at - reminder.notify_at
    event.add_component(_display_alarm(description=reminder.title, before=before))
    return event


def _interview_event(interview: Interview) -> Event:
    application = interview.application
    summary = f"Interview: {application.role} at {application.company.name}"
    event = Event()
    event.add("uid", f"interview-{interview.pk}@{UID_DOMAIN}")
    event.add("dtstamp", interview.updated_at)
    event.add("last-modified", interview.updated_at)
    event.add("dtstart", interview.starts_at)
    event.add("dtend", interview.ends_at)
    event.add("summary", summary)
    names = ", ".join(contact.name for contact in interview.interviewers.all())
    lines = [f"{interview.get_format_display()} interview"]
    if names:
        lines.append(f"With {names}")
    event.add("description", "\n".join(lines))
    if interview.location:
        event.add("location", interview.location)
    event.add_component(_display_alarm(description=summary, before=INTERVIEW_ALARM_BEFORE))
    return event


def calendar_feed_build(*, user: User, now: datetime | None = None) -> bytes:
    """The user's open tasks and recent and upcoming interviews, as an .ics document."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Followup//Follow-up tasks//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Followup")
    calendar.add("x-wr-caldesc", "Your follow-up tasks and interviews")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")

    reminders = Reminder.objects.filter(user=user, state__in=Reminder.OPEN_STATES).select_related(
        "application__company", "contact"
    )
    for reminder in reminders:
        calendar.add_component(_task_event(reminder))

    interviews = (
        Interview.objects.filter(application__user=user, ends_at__gte=now - PAST_INTERVIEWS)
        .select_related("application__company")
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )
    for interview in interviews:
        calendar.add_component(_interview_event(interview))
    return calendar.to_ical()


# --- The data export's calendar: every interview and every task, past ones too -------------

_TODO_STATUS = {
    Reminder.State.DONE: "COMPLETED",
    Reminder.State.CANCELLED: "CANCELLED",
    Reminder.State.SKIPPED: "CANCELLED",
}


def _task_todo(reminder: Reminder) -> Todo:
    todo = Todo()
    todo.add("uid", f"reminder-{reminder.pk}@{UID_DOMAIN}")
    todo.add("dtstamp", reminder.updated_at)
    todo.add("created", reminder.created_at)
    todo.add("due", reminder.due_at)
    todo.add("summary", reminder.title)
    todo.add("status", _TODO_STATUS.get(reminder.state, "NEEDS-ACTION"))
    if reminder.state == Reminder.State.DONE and reminder.completed_at is not None:
        todo.add("completed", reminder.completed_at)
    lines = [reminder.get_kind_display(), f"State: {reminder.get_state_display()}"]
    if reminder.application is not None:
        lines.append(str(reminder.application))
    if reminder.contact is not None:
        lines.append(f"With {reminder.contact.name}")
    if reminder.note:
        lines.append(reminder.note)
    todo.add("description", "\n".join(lines))
    todo.add("categories", [reminder.get_kind_display()])
    return todo


def calendar_export_ics(user_id: int) -> Iterator[tuple[str, bytes]]:
    """The data export's calendar.ics: all the user's interviews as events and all their
    tasks as to-dos (done and cancelled ones too), without the feed's alarms."""
    calendar = Calendar()
    calendar.add("prodid", "-//Followup//Data export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    interviews = (
        Interview.objects.filter(application__user_id=user_id)
        .select_related("application__company")
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )
    for interview in interviews:
        event = _interview_event(interview)
        event.subcomponents = []
        calendar.add_component(event)
    reminders = (
        Reminder.objects.filter(user_id=user_id)
        .select_related("application__company", "contact")
        .order_by("due_at", "pk")
    )
    for reminder in reminders:
        calendar.add_component(_task_todo(reminder))
    yield "calendar.ics", calendar.to_ical()
