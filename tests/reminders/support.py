"""Helpers the reminder-engine tests share: building an interview the way the app logs one."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from interviews.models import Application, Contact, Interview
from reminders.models import Reminder
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory, UserFactory

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")


def local(zone: ZoneInfo, *args: int) -> datetime:
    """An aware datetime on the wall clock of ``zone``."""
    return datetime(*args, tzinfo=zone)


def user_in(zone: ZoneInfo, **preferences):
    country = {"Europe/Berlin": "DE", "America/New_York": "US"}.get(zone.key, "US")
    preferences.setdefault("country", country)
    return UserFactory(timezone=zone.key, **preferences)


def interview_logged(
    *,
    user,
    ends_at: datetime,
    interviewers: int = 1,
    application: Application | None = None,
) -> tuple[Interview, list[Contact]]:
    """An interview that ended at ``ends_at`` with ``interviewers`` new contacts."""
    application = application or ApplicationFactory(user=user)
    interview = InterviewFactory(
        application=application,
        starts_at=ends_at - timedelta(hours=1),
        ends_at=ends_at,
        timezone=user.timezone,
    )
    contacts = [ContactFactory(user=user, company=application.company) for _ in range(interviewers)]
    interview.interviewers.set(contacts)
    return interview, contacts


def open_of(application: Application, kind: str | None = None) -> list[Reminder]:
    reminders = Reminder.objects.filter(application=application, state__in=Reminder.OPEN_STATES)
    if kind is not None:
        reminders = reminders.filter(kind=kind)
    return list(reminders.order_by("due_at", "pk"))
