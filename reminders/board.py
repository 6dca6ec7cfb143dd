"""Reads for the dashboard: the Today strip and the applications board.

Both read every app's data (interviews, outreach, tasks), so they live here, at the top of
the dependency chain. Each runs a fixed number of queries however many applications, tasks,
emails or drafts the user has (reminders/board_query.py): window functions to number, count
and keep the rows a page shows, and subqueries on one application's own rows (by their
foreign-key index), never a query per row; the board reads the facts of its cards only for
the cards on the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.translation import get_language

from accounts.models import User
from followup_site.raw_sql import Reads
from followup_site.row_urls import id_url_maker
from interviews.models import Application, Company, Contact
from outreach.models import Outreach
from outreach.selectors import BOUNCE_SHOWN_DAYS
from reminders.board_query import (
    BoardRow,
    NextInterviewRow,
    NoticeRow,
    TodayReplyRow,
    TodayTaskRow,
    board_rows,
    next_interview_row,
    notice_rows,
    today_reply_rows,
    today_task_rows,
)
from reminders.models import Reminder
from reminders.titles import task_title

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


# How many entries of each kind the Today strip lists; the rest are counted and linked.
STRIP_LIMIT = 5
# On a first visit there is no "last visit": replies from this far back count as new.
FIRST_VISIT_REPLIES_DAYS = 7


def board_order(value: str | None) -> str:
    """The board order named by a query or form value; anything else gives the default."""
    return value if value in BOARD_ORDERS else DEFAULT_ORDER


@cache
def _date_names(language: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The day and month abbreviations of ``|date``'s "D" and "M", in ``language``."""
    days = tuple(str(WEEKDAYS_ABBR[day]) for day in range(7))
    months = tuple(str(MONTHS_3[month]).title() for month in range(1, 13))
    return days, months


class LocalText:
    """Moments in ``zone`` as the templates' ``|date:"D j M, H:i"`` writes them, at a
    fraction of the filter's cost: the names of days and months are looked up once for the
    many moments of a page (the dashboard writes a few dozen)."""

    __slots__ = ("days", "months", "zone")

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.days, self.months = _date_names(get_language())

    def __call__(self, moment: datetime) -> str:
        local = moment.astimezone(self.zone)
        return (
            f"{self.days[local.weekday()]} {local.day} {self.months[local.month - 1]}, "
            f"{local.hour:02d}:{local.minute:02d}"
        )

    def clock(self, moment: datetime) -> str:
        """Its time of day alone, as ``|date:"H:i"``."""
        local = moment.astimezone(self.zone)
        return f"{local.hour:02d}:{local.minute:02d}"


def _local_day_end(*, user: User, now: datetime) -> datetime:
    local_now = now.astimezone(user.zone)
    return datetime.combine(
        local_now.date() + timedelta(days=1), datetime.min.time(), tzinfo=user.zone
    )


# --- Next actions ---------------------------------------------------------------------------


class TaskLinks:
    """Where one click on a task leads: the composer for a thank-you or any email, the call
    page for a call, the task itself otherwise. Each route is looked up once for the many
    tasks of a page (``url_for_id`` reads the URL configuration at each call)."""

    __slots__ = ("call", "compose", "detail")

    _EMAILS = (Reminder.Kind.THANK_YOU, Reminder.Kind.FOLLOW_UP, Reminder.Kind.CHECK_IN)

    def __init__(self) -> None:
        self.call = id_url_maker("reminders:call_for_reminder")
        self.compose = id_url_maker("reminders:compose_for_reminder")
        self.detail = id_url_maker("reminders:task_detail")

    def __call__(self, task: NextAction | TodayTask) -> str:
        if task.kind == Reminder.Kind.PHONE_CALL:
            return self.call(task.pk)
        if task.kind in self._EMAILS and task.contact_id is not None:
            return self.compose(task.pk)
        return self.detail(task.pk)


class _ReadTask:
    """What a task read as a plain row (no model) shows: its title. (Where it opens is
    :class:`TaskLinks`'s, which looks each route up once for all the tasks of a page.)"""

    __slots__ = ()
    kind: str
    custom_title: str
    contact_name: str | None

    @property
    def title(self) -> str:
        return task_title(
            kind=self.kind, contact_name=self.contact_name, custom_title=self.custom_title
        )


@dataclass(slots=True)
class NextAction(_ReadTask):
    """An application's earliest open task, as read for its board card (a row, no model)."""

    pk: int
    kind: str
    custom_title: str
    contact_id: int | None
    contact_name: str | None
    due_at: datetime
    is_overdue: bool


# --- The board ------------------------------------------------------------------------------


@dataclass(slots=True)
class BoardCard:
    """One application as the board shows it: a light row, read with what its card shows."""

    pk: int
    stage: str
    closed_reason: str
    company_name: str
    role: str
    next_action: NextAction | None = None
    bounced: int = 0
    open_drafts: int = 0
    days_since_contact: int | None = None
    waiting_days: int | None = None
    interview_ahead_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.stage != Application.Stage.CLOSED


@dataclass
class BoardColumn:
    """A stage's cards on the page, in the board's order, and how many it has in all."""

    stage: str
    label: str
    count: int = 0
    shown: list[BoardCard] = field(default_factory=list)
    shown_all: bool = False

    @property
    def more(self) -> bool:
        """Whether some of its cards are not on the page."""
        return len(self.shown) < self.count


@dataclass
class Board:
    columns: list[BoardColumn]
    closed: BoardColumn
    order: str

    @property
    def count(self) -> int:
        return self.open_count + self.closed.count

    @property
    def open_count(self) -> int:
        return sum(column.count for column in self.columns)

    def column(self, stage: str) -> BoardColumn:
        """The column of ``stage``, or the closed applications."""
        if stage == self.closed.stage:
            return self.closed
        return next(column for column in self.columns if column.stage == stage)


def board_column_cards() -> int:
    """How many cards each column shows before "Show all" (settings.BOARD_COLUMN_CARDS)."""
    return settings.BOARD_COLUMN_CARDS


def board_shown(values: Iterable[str]) -> frozenset[str]:
    """The columns named in ``values`` (a form's ``shown``) that exist: stages or closed."""
    names = {name for value in values for name in value.split()}
    return frozenset(names & set(Application.Stage.values))


def _describe(card: BoardCard, row: BoardRow, *, today: date, zone: tzinfo, now: datetime) -> None:
    """Fill in a card from its row: its next action, its next interview (open applications
    only), the days since the last contact (email or call either way, or interview) and, if
    the last word was ours, the days waiting for a reply: calendar days in the user's zone."""
    if row.action_pk is not None:
        card.next_action = NextAction(
            pk=row.action_pk,
            kind=row.action_kind,
            custom_title=row.action_custom_title,
            contact_id=row.action_contact_id,
            contact_name=row.action_contact_name,
            due_at=row.action_due_at,
            is_overdue=row.action_due_at < now,
        )
    if card.is_open:
        card.interview_ahead_at = row.next_interview_at
    last_in, last_out = row.last_in, row.last_out
    moments = [m for m in (last_in, last_out, row.last_interview_at) if m is not None]
    if moments:
        card.days_since_contact = (today - max(moments).astimezone(zone).date()).days
    if card.is_open and last_out is not None and (last_in is None or last_in < last_out):
        card.waiting_days = (today - last_out.astimezone(zone).date()).days


def board_applications(
    *,
    user: User,
    now: datetime | None = None,
    order: str = DEFAULT_ORDER,
    shown: Iterable[str] = (),
    moved: int | None = None,
) -> Board:
    """The user's applications in stage columns, with what a board card shows, in one query
    however many there are (:func:`reminders.board_query.board_rows`).

    Each open column holds its first ``BOARD_COLUMN_CARDS`` in the board's ``order`` (next
    action, last activity or company), or all of them if ``shown`` names it; the closed ones
    are counted, and listed only if ``shown`` names them. The card just ``moved`` is always
    on the page (at the end of its column if past the first ones).
    """
    return board_applications_read(user=user, now=now, order=order, shown=shown, moved=moved).run()


def board_applications_read(
    *,
    user: User,
    now: datetime | None = None,
    order: str = DEFAULT_ORDER,
    shown: Iterable[str] = (),
    moved: int | None = None,
) -> Reads[Board]:
    """:func:`board_applications`' query and how its rows become the board, to be run
    beside other reads."""
    now = now or timezone.now()
    order = board_order(order)
    shown = board_shown(shown)
    zone = user.zone
    today = now.astimezone(zone).date()

    def board(rows: list[BoardRow]) -> Board:
        columns = {stage: BoardColumn(stage=stage, label=stage.label) for stage in BOARD_STAGES}
        closed = BoardColumn(stage=Application.Stage.CLOSED, label=Application.Stage.CLOSED.label)
        for column in (*columns.values(), closed):
            column.shown_all = column.stage in shown
        for row in rows:
            column = columns.get(row.stage, closed)
            column.count = row.stage_count
            if column is closed and not closed.shown_all and row.pk != moved:
                continue  # read for the count only: the closed ones load when opened
            card = BoardCard(
                pk=row.pk,
                stage=row.stage,
                closed_reason=row.closed_reason,
                company_name=row.company_name,
                role=row.role,
                bounced=row.bounced,
                open_drafts=row.open_drafts,
            )
            _describe(card, row, today=today, zone=zone, now=now)
            column.shown.append(card)
        return Board(columns=list(columns.values()), closed=closed, order=order)

    return board_rows(
        user_id=user.pk,
        now=now,
        order=order,
        limit=board_column_cards(),
        shown=shown,
        moved=moved,
        bounce_days=BOUNCE_SHOWN_DAYS,
    ).then(board)


# --- Today ----------------------------------------------------------------------------------


@dataclass(slots=True)
class TodayTask(_ReadTask):
    """An open task as the Today strip lists it (a row, no model)."""

    pk: int
    kind: str
    custom_title: str
    contact_id: int | None
    contact_name: str | None
    company_name: str | None
    due_at: datetime
    is_overdue: bool
    hours_left: int
    due_text: str  # "Mon 2 Jun, 12:00" in the user's zone
    due_time: str  # "12:00" in the user's zone


@dataclass
class TodayStrip:
    overdue: list[TodayTask]
    overdue_count: int
    due_today: list[TodayTask]
    due_today_count: int
    thank_yous: list[TodayTask]
    thank_you_count: int
    replies: list[TodayReplyRow]
    replies_since: datetime | None
    next_interview: NextInterviewRow | None

    @property
    def nothing_due(self) -> bool:
        """True only when no task is overdue, due today, or a thank-you still running."""
        return not (self.overdue_count or self.due_today_count or self.thank_you_count)


def today_strip(*, user: User, now: datetime, replies_since: datetime | None) -> TodayStrip:
    """What the top of the dashboard lists, in three queries whatever the number of tasks.

    Overdue: open tasks due before now. Due today: open tasks, other than thank-yous, due
    before midnight in the user's zone. Thank-yous: every open thank-you still ahead of its
    deadline, counting down (a thank-you is due 24 h after the interview, so "today" alone
    would miss one due tomorrow morning whose reminder has already gone out); the three read
    at once (:func:`reminders.board_query.today_task_rows`). Replies: those recorded since
    ``replies_since`` (the user's last visit). The next interview: the earliest still to
    come of an open application.
    """
    return today_strip_read(user=user, now=now, replies_since=replies_since).run()


def today_strip_read(
    *, user: User, now: datetime, replies_since: datetime | None
) -> Reads[TodayStrip]:
    """:func:`today_strip`'s three queries and how their rows become the strip, to be run
    beside other reads."""
    local_text = LocalText(user.zone)

    def strip(
        tasks: list[TodayTaskRow],
        replies: list[TodayReplyRow],
        next_interview: NextInterviewRow | None,
    ) -> TodayStrip:
        groups: dict[str, list[TodayTask]] = {"overdue": [], "thank_you": [], "today": []}
        counts = dict.fromkeys(groups, 0)
        for row in tasks:
            groups[row.group].append(
                TodayTask(
                    pk=row.pk,
                    kind=row.kind,
                    custom_title=row.custom_title,
                    contact_id=row.contact_id,
                    contact_name=row.contact_name,
                    company_name=row.company_name,
                    due_at=row.due_at,
                    is_overdue=row.due_at < now,
                    # Whole hours left, rounded down; under an hour reads "under 1 h".
                    hours_left=max(int((row.due_at - now).total_seconds() // 3600), 0),
                    due_text=local_text(row.due_at),
                    due_time=local_text.clock(row.due_at),
                )
            )
            counts[row.group] = row.group_count
        return TodayStrip(
            overdue=groups["overdue"],
            overdue_count=counts["overdue"],
            due_today=groups["today"],
            due_today_count=counts["today"],
            thank_yous=groups["thank_you"],
            thank_you_count=counts["thank_you"],
            replies=replies,
            replies_since=replies_since,
            next_interview=next_interview,
        )

    since = replies_since or now - timedelta(days=FIRST_VISIT_REPLIES_DAYS)
    return Reads.combined(
        today_task_rows(
            user_id=user.pk,
            now=now,
            end_of_today=_local_day_end(user=user, now=now),
            limit=STRIP_LIMIT,
        ),
        today_reply_rows(user_id=user.pk, since=since, limit=STRIP_LIMIT),
        next_interview_row(user_id=user.pk, now=now),
        build=strip,
    )


# --- Notices --------------------------------------------------------------------------------


@dataclass
class Notices:
    bounced: list[Outreach]
    inactive_replies: list[Outreach]


def _notice_outreach(row: NoticeRow) -> Outreach:
    """A notice's outreach as its template reads it: the models' instances, with its
    contact, application and company, made from the row as ``select_related`` makes them
    (any other field is deferred)."""
    company = Company.from_db(DEFAULT_DB_ALIAS, ["id", "name"], [row.company_id, row.company_name])
    application = Application.from_db(
        DEFAULT_DB_ALIAS, ["id", "company_id", "role"], [row.application_id, company.pk, row.role]
    )
    application.company = company
    outreach = Outreach.from_db(
        DEFAULT_DB_ALIAS,
        [
            "id",
            "application_id",
            "contact_id",
            "direction",
            "subject",
            "occurred_at",
            "delivery",
            "delivery_detail",
        ],
        [
            row.pk,
            row.application_id,
            row.contact_id,
            row.direction,
            row.subject,
            row.occurred_at,
            row.delivery,
            row.delivery_detail,
        ],
    )
    outreach.application = application
    if row.contact_id is not None:
        outreach.contact = Contact.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "name", "email"],
            [row.contact_id, row.contact_name, row.contact_email],
        )
    return outreach


def dashboard_notices(*, user: User, now: datetime) -> Notices:
    """The emails that bounced lately and the replies kept while the account was inactive,
    read in one query (:func:`reminders.board_query.notice_rows`): one is outgoing, the
    other incoming."""
    return dashboard_notices_read(user=user, now=now).run()


def dashboard_notices_read(*, user: User, now: datetime) -> Reads[Notices]:
    """:func:`dashboard_notices`' query and how its rows become the notices, to be run
    beside other reads."""

    def notices(rows: list[NoticeRow]) -> Notices:
        found = Notices(bounced=[], inactive_replies=[])
        for row in rows:
            if row.direction == Outreach.Direction.OUTGOING:
                found.bounced.append(_notice_outreach(row))
            else:
                found.inactive_replies.append(_notice_outreach(row))
        return found

    return notice_rows(user_id=user.pk, bounced_since=now - timedelta(days=BOUNCE_SHOWN_DAYS)).then(
        notices
    )
