"""Reads for the reminders UI: the task list, one task, an application's panel, next actions.

The dashboard's own reads (the Today strip, the board) are in ``reminders.board``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from followup_site.clock import in_quiet_hours, quiet_hours_end_after
from followup_site.paging import page_offset
from interviews.application_query import application_people
from interviews.models import Application, Contact, Note
from outreach import notes_query
from outreach.forms import OutreachForm
from outreach.notes_query import NoteRow
from reminders import notify_times, planner
from reminders.models import PURPOSE_OF_KIND, Reminder
from reminders.outreach_html import application_timeline
from reminders.services.task_actions import snooze_choices
from reminders.task_list_query import DONE, TaskRow, application_task_rows, task_list_rows

# How far back the task list shows finished tasks, and how many at most.
RECENTLY_DONE_DAYS = 14
RECENTLY_DONE_LIMIT = 20

# Notes worth rereading before acting on a task; hobbies stay out (DESIGN R2).
HELPFUL_NOTE_KINDS = (
    Note.Kind.TOPIC,
    Note.Kind.SKILL,
    Note.Kind.ANSWER_TO_FIX,
    Note.Kind.QUESTION,
    Note.Kind.FOLLOW_UP,
)


def reminders_of(*, user: User) -> QuerySet[Reminder]:
    """Every task of the user, with what a task row shows joined in one query."""
    return Reminder.objects.filter(user=user).select_related(
        "application__company", "contact", "interview"
    )


def _local_day_bounds(*, user: User, now: datetime) -> tuple[datetime, datetime]:
    """The start of today and of tomorrow in the user's zone (DST-safe: both are midnights)."""
    local_now = now.astimezone(user.zone)
    start = datetime.combine(local_now.date(), datetime.min.time(), tzinfo=user.zone)
    end = datetime.combine(local_now.date() + timedelta(days=1), datetime.min.time(), user.zone)
    return start, end


def _when(*, instant: datetime, prefs: planner.Preferences, now: datetime) -> str:
    """'today at 08:00', 'tomorrow at 08:00', 'yesterday at 10:12' or 'Tue 10 Mar at 08:00'."""
    local = instant.astimezone(prefs.zone)
    days = (local.date() - now.astimezone(prefs.zone).date()).days
    day = {-1: "yesterday", 0: "today", 1: "tomorrow"}.get(
        days, f"{local:%a} {local.day} {local:%b}"
    )
    return f"{day} at {local:%H:%M}"


def email_reminder_line(*, reminder: Reminder, prefs: planner.Preferences, now: datetime) -> str:
    """When the email about an open task goes (or went) out, in the user's zone; "" if never.

    1. Sent already: when, and the nudge still to come, if any.
    2. Digest users get everything but thank-yous in their next daily digest.
    3. Otherwise the sweep sends at ``notify_at``, held back until quiet hours end; the
       line says so when quiet hours are why it waits (the rules plan it at their end, or
       the sweep will defer it there).
    A failed task says nothing here: its own notice explains what went wrong.
    """
    if reminder.state == Reminder.State.NOTIFIED and reminder.notified_at is not None:
        line = f"Email reminder sent {_when(instant=reminder.notified_at, prefs=prefs, now=now)}"
        if reminder.notify_at is not None and reminder.notify_at > now:
            line += f"; another {_when(instant=reminder.notify_at, prefs=prefs, now=now)}"
        return line
    if reminder.state not in (Reminder.State.PENDING, Reminder.State.SNOOZED):
        return ""
    if reminder.notify_at is None:
        return ""
    wanted = max(reminder.notify_at, now)
    if prefs.digest and reminder.kind != Reminder.Kind.THANK_YOU:
        at = notify_times.digest_time(after=wanted, prefs=prefs)
        return f"In your daily digest {_when(instant=at, prefs=prefs, now=now)}"
    at = quiet_hours_end_after(instant=wanted, quiet=prefs.quiet, zone=prefs.zone)
    waited = at != wanted or (
        at.astimezone(prefs.zone).time() == prefs.quiet.end
        and in_quiet_hours(instant=at - timedelta(minutes=1), quiet=prefs.quiet, zone=prefs.zone)
    )
    if at <= now:
        return "Email reminder going out now"
    when = _when(instant=at, prefs=prefs, now=now)
    return (
        f"Email reminder: {when} (after your quiet hours)" if waited else f"Email reminder: {when}"
    )


def with_email_lines(
    *, reminders: Iterable[Reminder], user: User, now: datetime | None = None
) -> None:
    """Set ``email_line`` (see :func:`email_reminder_line`) and ``snoozes`` (the snoozes the
    task offers, see ``snooze_choices``) on each reminder; no query."""
    now = now or timezone.now()
    prefs = planner.Preferences.of(user)
    for reminder in reminders:
        reminder.email_line = email_reminder_line(reminder=reminder, prefs=prefs, now=now)
        reminder.snoozes = snooze_choices(reminder=reminder, now=now, zone=prefs.zone)


# The task list shows this many tasks of each group (overdue, today, upcoming) at first; a
# group with more links to all of it, a page of TASKS_PER_PAGE at a time. A busy search has a
# thousand open tasks, and rendering each with its buttons costs milliseconds.
TASK_GROUP_PREVIEW = 10
TASKS_PER_PAGE = 25
TASK_GROUP_NAMES = ("overdue", "today", "upcoming")


class TaskPageNotFound(Exception):
    """The page asked for is past the last page of the group."""


@dataclass
class TaskGroups:
    """The task list: the shown tasks of each group, each group's total, and the page.

    ``group`` is None for the overview (the first TASK_GROUP_PREVIEW tasks of every group and
    the recently done) or the one group shown in full, ``page`` of ``pages``; its ``counts``
    then count that group only.
    """

    overdue: list[TaskRow] = field(default_factory=list)
    today: list[TaskRow] = field(default_factory=list)
    upcoming: list[TaskRow] = field(default_factory=list)
    done: list[TaskRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TASK_GROUP_NAMES, 0))
    group: str | None = None
    page: int = 1
    pages: int = 1

    @property
    def open_count(self) -> int:
        return sum(self.counts.values())

    @property
    def overdue_more(self) -> int:
        return self.counts["overdue"] - len(self.overdue)

    @property
    def today_more(self) -> int:
        return self.counts["today"] - len(self.today)

    @property
    def upcoming_more(self) -> int:
        return self.counts["upcoming"] - len(self.upcoming)


def task_groups(
    *, user: User, now: datetime | None = None, group: str | None = None, page: int = 1
) -> TaskGroups:
    """The user's tasks as the task list shows them, in one query whatever their number
    (see reminders.task_list_query).

    Overdue: open and due before now. Today: due from now until midnight in the user's zone.
    Upcoming: due after that. Each in due order. Done: finished (or skipped) in the last two
    weeks, newest first, on the overview only.

    The overview (``group`` None) shows the first TASK_GROUP_PREVIEW tasks of each group;
    one group is shown ``page`` by page, TASKS_PER_PAGE a page. A page past the last raises
    TaskPageNotFound: a page after the first with no task on it.
    """
    if group is not None and group not in TASK_GROUP_NAMES:
        raise ValueError(f"unknown task group {group!r}")
    now = now or timezone.now()
    _, end_of_today = _local_day_bounds(user=user, now=now)
    groups = TaskGroups(group=group, page=page)
    if group is None:
        rows = task_list_rows(
            user_id=user.pk,
            now=now,
            end_of_today=end_of_today,
            first=TASK_GROUP_PREVIEW,
            done_since=now - timedelta(days=RECENTLY_DONE_DAYS),
            done_limit=RECENTLY_DONE_LIMIT,
        )
    else:
        start = page_offset(page, TASKS_PER_PAGE)
        if start is None:
            raise TaskPageNotFound(f"There is no page {page} of these tasks.")
        rows = task_list_rows(
            user_id=user.pk,
            now=now,
            end_of_today=end_of_today,
            group=group,
            start=start,
            stop=start + TASKS_PER_PAGE,
        )
        if page > 1 and not rows:
            raise TaskPageNotFound(f"There is no page {page} of these tasks.")
    for row in rows:
        if row.group == DONE:
            groups.done.append(row.task)
        else:
            getattr(groups, row.group).append(row.task)
            groups.counts[row.group] = row.group_count
    if group is not None:
        groups.pages = max(1, -(-groups.counts[group] // TASKS_PER_PAGE))
    with_email_lines(reminders=groups.overdue + groups.today + groups.upcoming, user=user, now=now)
    return groups


def helpful_notes(*, reminder: Reminder) -> list[NoteRow]:
    """The interview notes worth rereading for this task: about its contact, or about no one;
    by kind, oldest first within a kind."""
    if reminder.application_id is None:
        return []
    notes = notes_query.notes_about(
        user_id=reminder.user_id,
        application_id=reminder.application_id,
        contact_id=reminder.contact_id,
    )
    # A stable sort: the notes come oldest first.
    return sorted(
        (note for note in notes if note.kind in HELPFUL_NOTE_KINDS), key=attrgetter("kind")
    )


def call_notes(*, reminder: Reminder) -> list[NoteRow] | None:
    """The notes a call's talking points come from (outreach.selectors.call_talking_points):
    about the task's contact or about no one; None for a call about no one (it has none)."""
    if reminder.application_id is None or reminder.contact_id is None:
        return None
    return notes_query.notes_about(
        user_id=reminder.user_id,
        application_id=reminder.application_id,
        contact_id=reminder.contact_id,
    )


def application_contacts(*, user: User, application: Application) -> QuerySet[Contact]:
    """The people one can follow up with: its interviewers and the company's contacts."""
    return (
        Contact.objects.filter(user=user)
        .filter(Q(interviews__application=application) | Q(company_id=application.company_id))
        .distinct()
        .order_by("name", "pk")
    )


def open_applications(*, user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(user=user)
        .exclude(stage=Application.Stage.CLOSED)
        .select_related("company")
        .order_by("company__name", "role", "pk")
    )


def application_panel_data(*, user: User, application: Application) -> dict[str, object]:
    """The open tasks and the outreach timeline of one application (forms not included)."""
    if application.user_id != user.pk:
        raise Application.DoesNotExist
    tasks = application_task_rows(user_id=user.pk, application=application)
    with_email_lines(reminders=tasks, user=user)
    return {
        "application": application,
        "panel_tasks": tasks,
        "panel_outreaches": application_timeline(user_id=user.pk, application_id=application.pk),
    }


def application_panel_context(
    *,
    user: User,
    application: Application,
    reminder: Reminder | None = None,
    bound_form: OutreachForm | None = None,
) -> dict[str, object]:
    """Everything ``reminders/includes/application_panel.html`` needs, for one application.

    Keys: ``application``, ``panel_reminder`` (the task the forms log against, or None),
    ``panel_tasks`` (open tasks other than ``reminder``), ``panel_outreaches`` (the
    timeline, newest first) and ``panel_form``: ``bound_form``, a form that failed
    validation, shown open again with its errors, or None. The blank logging forms are not
    built here: a button of the panel asks ``outreach_log`` for one (``outreach_form_blank``)
    when the user wants it, which most visits never do.
    """
    context = application_panel_data(user=user, application=application)
    if reminder is not None:
        # The task page shows its own task above the panel; list only the others here.
        context["panel_tasks"] = [t for t in context["panel_tasks"] if t.pk != reminder.pk]
    context.update(panel_reminder=reminder, panel_form=bound_form)
    return context


def outreach_form_blank(
    *,
    user: User,
    application: Application,
    form_class: type[OutreachForm],
    reminder: Reminder | None = None,
) -> OutreachForm:
    """A blank logging form of ``form_class`` for one application: its person and purpose
    those of ``reminder`` if given, its people those of ``application_contacts`` in the same
    order, read by the hand-written ``interviews.application_query.application_people`` (one
    query, and no second one when the select is drawn)."""
    people = application_people(
        user_id=user.pk, application_id=application.pk, company_id=application.company_id
    ).contacts
    return form_class(
        contacts=OutreachForm.people_choices(people),
        default_contact=reminder.contact if reminder is not None else None,
        default_purpose=PURPOSE_OF_KIND.get(reminder.kind, "") if reminder is not None else "",
    )
