"""Reads for the dashboard: the Today strip and the applications board.

Both read every app's data (interviews, outreach, tasks), so they live here, at the top of
the dependency chain. Each runs a fixed number of queries however many applications, tasks,
emails or drafts the user has: grouped aggregates and one window query, never a query (or a
correlated subquery) per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from interviews.forms import OPEN_STAGES, STAGE_MOVES
from interviews.models import Application
from interviews.selectors import application_list_for_dashboard
from outreach.models import Draft, Outreach
from outreach.selectors import BOUNCE_SHOWN_DAYS
from reminders.models import Reminder
from reminders.selectors import next_actions_by_application

# The board's columns, left to right; closed applications fold away under them.
BOARD_STAGES = (
    Application.Stage.APPLIED,
    Application.Stage.SCREENING,
    Application.Stage.INTERVIEWING,
    Application.Stage.OFFER,
)

# The orders the board offers (query parameter ``order``), the first being the default.
BOARD_ORDERS = {
    "next": "Next action",
    "activity": "Last activity",
    "company": "Company",
}
DEFAULT_ORDER = "next"


def _stage_options(current: str) -> tuple[tuple[str, str, bool], ...]:
    """A card's "Move to" choices as (value, label, selected): an open card may go to any
    open stage or close for a reason; a closed one reopens at an open stage."""
    if current == Application.Stage.CLOSED:
        return tuple((v, label, v == Application.Stage.INTERVIEWING) for v, label in OPEN_STAGES)
    return tuple((v, label, v == current) for v, label in STAGE_MOVES)


# Worked out once: 50 cards would otherwise loop and compare in the template 400 times.
STAGE_OPTIONS = {stage: _stage_options(stage) for stage in Application.Stage.values}

# How many entries of each kind the Today strip lists; the rest are counted and linked.
STRIP_LIMIT = 5
# On a first visit there is no "last visit": replies from this far back count as new.
FIRST_VISIT_REPLIES_DAYS = 7


def board_order(value: str | None) -> str:
    """The board order named by a query or form value; anything else gives the default."""
    return value if value in BOARD_ORDERS else DEFAULT_ORDER


def _local_days_between(*, earlier: datetime, now: datetime, user: User) -> int:
    """Calendar days from ``earlier`` to ``now`` in the user's zone (0: the same day)."""
    zone = user.zone
    return (now.astimezone(zone).date() - earlier.astimezone(zone).date()).days


def _local_day_end(*, user: User, now: datetime) -> datetime:
    local_now = now.astimezone(user.zone)
    return datetime.combine(
        local_now.date() + timedelta(days=1), datetime.min.time(), tzinfo=user.zone
    )


# --- Next actions ---------------------------------------------------------------------------


def task_link(reminder: Reminder) -> str:
    """Where one click on a task leads: the composer for a thank-you or any email, the call
    page for a call, the task itself otherwise."""
    if reminder.kind == Reminder.Kind.PHONE_CALL:
        return reverse("reminders:call_for_reminder", args=[reminder.pk])
    if reminder.kind in (
        Reminder.Kind.THANK_YOU,
        Reminder.Kind.FOLLOW_UP,
        Reminder.Kind.CHECK_IN,
    ) and (reminder.contact_id is not None):
        return reverse("reminders:compose_for_reminder", args=[reminder.pk])
    return reverse("reminders:task_detail", args=[reminder.pk])


# --- The board ------------------------------------------------------------------------------


@dataclass
class BoardColumn:
    stage: str
    label: str
    applications: list[Application] = field(default_factory=list)


@dataclass
class Board:
    columns: list[BoardColumn]
    closed: list[Application]
    order: str
    applications: list[Application]

    @property
    def open_count(self) -> int:
        return len(self.applications) - len(self.closed)


def _rank_by_next_action(application: Application, now: datetime) -> tuple[int, datetime]:
    """Overdue next actions first, then by due time, then open ones with nothing planned."""
    action = application.next_action
    if action is None:
        return (2, now)
    return (0 if action.is_overdue else 1, action.due_at)


def board_applications(
    *, user: User, now: datetime | None = None, order: str = DEFAULT_ORDER
) -> Board:
    """Every application of the user, in stage columns, with what a board card shows.

    1. Read the applications (with their last and next interview) in one query.
    2. Read each one's next action in one query (a window, see
       :func:`next_actions_by_application`).
    3. Read, grouped by application in one query, the latest email or call each way and
       the recent bounces; and in another the open drafts.
    4. Work out per card, in Python: ``last_contact_at`` (the latest outreach either way or
       interview), ``days_since_contact``, ``waiting_days`` (days since the last outgoing
       contact if nothing came back after it), ``open_drafts``, ``bounced``.
    5. Sort (``order``: next action, last activity or company) and deal into columns.
    """
    now = now or timezone.now()
    order = board_order(order)
    applications = list(application_list_for_dashboard(user=user, now=now))
    ids = [application.pk for application in applications]
    actions = next_actions_by_application(user=user, application_ids=ids, now=now)
    contacts = {
        row["application_id"]: row
        for row in Outreach.objects.filter(user=user)
        .values("application_id")
        .annotate(
            last_in=Max("occurred_at", filter=Q(direction=Outreach.Direction.INCOMING)),
            last_out=Max("occurred_at", filter=Q(direction=Outreach.Direction.OUTGOING)),
            bounced=Count(
                "pk",
                filter=Q(
                    direction=Outreach.Direction.OUTGOING,
                    delivery__in=(Outreach.Delivery.BOUNCED, Outreach.Delivery.COMPLAINED),
                    occurred_at__gte=now - timedelta(days=BOUNCE_SHOWN_DAYS),
                ),
            ),
        )
        .order_by()
    }
    drafts = dict(
        Draft.objects.filter(user=user)
        .exclude(send_state=Draft.SendState.SENT)
        .values("application_id")
        .annotate(count=Count("pk"))
        .values_list("application_id", "count")
        .order_by()
    )
    for application in applications:
        application.next_action = actions.get(application.pk)
        application.stage_options = STAGE_OPTIONS[application.stage]
        if application.next_action is not None:
            application.next_action.link = task_link(application.next_action)
        row = contacts.get(application.pk, {})
        last_in, last_out = row.get("last_in"), row.get("last_out")
        moments = [m for m in (last_in, last_out, application.last_interview_at) if m is not None]
        application.last_contact_at = max(moments) if moments else None
        application.days_since_contact = (
            _local_days_between(earlier=application.last_contact_at, now=now, user=user)
            if application.last_contact_at
            else None
        )
        waiting = last_out is not None and (last_in is None or last_in < last_out)
        application.waiting_days = (
            _local_days_between(earlier=last_out, now=now, user=user)
            if waiting and application.is_open
            else None
        )
        application.bounced = row.get("bounced", 0)
        application.open_drafts = drafts.get(application.pk, 0)
        application.last_activity_at = (
            max(application.updated_at, application.last_contact_at)
            if application.last_contact_at
            else application.updated_at
        )

    if order == "company":
        applications.sort(key=lambda a: (a.company.name.casefold(), a.role.casefold(), a.pk))
    elif order == "activity":
        applications.sort(key=lambda a: (a.last_activity_at, a.pk), reverse=True)
    else:
        applications.sort(key=lambda a: _rank_by_next_action(a, now))

    columns = {stage: BoardColumn(stage=stage, label=stage.label) for stage in BOARD_STAGES}
    closed = []
    for application in applications:
        if application.is_open:
            columns[application.stage].applications.append(application)
        else:
            closed.append(application)
    return Board(
        columns=list(columns.values()), closed=closed, order=order, applications=applications
    )


# --- Today ----------------------------------------------------------------------------------


@dataclass
class TodayStrip:
    overdue: list[Reminder]
    overdue_count: int
    due_today: list[Reminder]
    due_today_count: int
    thank_yous: list[Reminder]
    thank_you_count: int
    replies: list[Outreach]
    replies_since: datetime | None
    next_interview: Application | None

    @property
    def nothing_due(self) -> bool:
        """True only when no task is overdue, due today, or a thank-you still running."""
        return not (self.overdue_count or self.due_today_count or self.thank_you_count)


def _with_links(reminders: Iterable[Reminder], *, now: datetime) -> list[Reminder]:
    rows = list(reminders)
    for reminder in rows:
        reminder.link = task_link(reminder)
        reminder.is_overdue = reminder.due_at < now
        seconds = (reminder.due_at - now).total_seconds()
        # Whole hours left, rounded down; under an hour reads "under 1 h".
        reminder.hours_left = max(int(seconds // 3600), 0)
    return rows


def today_strip(
    *,
    user: User,
    now: datetime,
    replies_since: datetime | None,
    applications: Iterable[Application] = (),
) -> TodayStrip:
    """What the top of the dashboard lists, in five queries whatever the number of tasks.

    Overdue: open tasks due before now. Due today: open tasks, other than thank-yous, due
    before midnight in the user's zone. Thank-yous: every open thank-you still ahead of its
    deadline, counting down (a thank-you is due 24 h after the interview, so "today" alone
    would miss one due tomorrow morning whose reminder has already gone out). Replies: those
    recorded since ``replies_since`` (the user's last visit). The next interview is read from
    ``applications`` (the board's rows carry ``next_interview_at``), at no query.
    """
    end_of_today = _local_day_end(user=user, now=now)
    open_tasks = Reminder.objects.filter(user=user, state__in=Reminder.OPEN_STATES)
    is_overdue = Q(due_at__lt=now)
    is_thank_you = Q(kind=Reminder.Kind.THANK_YOU, due_at__gte=now)
    is_today = Q(due_at__gte=now, due_at__lt=end_of_today) & ~Q(kind=Reminder.Kind.THANK_YOU)
    counts = open_tasks.aggregate(
        overdue=Count("pk", filter=is_overdue),
        today=Count("pk", filter=is_today),
        thank_yous=Count("pk", filter=is_thank_you),
    )
    listed = open_tasks.select_related("application__company", "contact").order_by("due_at", "pk")
    since = replies_since or now - timedelta(days=FIRST_VISIT_REPLIES_DAYS)
    replies = list(
        Outreach.objects.filter(
            user=user, direction=Outreach.Direction.INCOMING, created_at__gt=since
        )
        .select_related("application__company", "contact")
        .order_by("-occurred_at", "-pk")[:STRIP_LIMIT]
    )
    upcoming = [a for a in applications if a.is_open and a.next_interview_at is not None]
    return TodayStrip(
        overdue=_with_links(listed.filter(is_overdue)[:STRIP_LIMIT], now=now),
        overdue_count=counts["overdue"] or 0,
        due_today=_with_links(listed.filter(is_today)[:STRIP_LIMIT], now=now),
        due_today_count=counts["today"] or 0,
        thank_yous=_with_links(listed.filter(is_thank_you)[:STRIP_LIMIT], now=now),
        thank_you_count=counts["thank_yous"] or 0,
        replies=replies,
        replies_since=replies_since,
        next_interview=min(upcoming, key=lambda a: a.next_interview_at) if upcoming else None,
    )
