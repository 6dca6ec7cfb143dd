"""The board as HTML, rendered in Python: its columns, its closed section and their cards.

A dashboard shows dozens of cards, each with a link, a next action, a few facts and a stage
form with its menu: through the template engine that was thousands of variable lookups and
filter calls a page, and the columns around them (an include each, with their ``{% url %}``
walks of the URL resolver) some 3,000 more function calls. Here one function writes a card
with an f-string, escaping every value it writes (``followup_site.widgets.esc``, which
leaves text with nothing to escape as it is); what is the same for every card (the CSRF
token, the order, each stage's menu and badge) is written once, and the columns' links are
reversed once a process.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from followup_site.row_urls import id_url_parts
from followup_site.widgets import esc
from interviews.forms import OPEN_STAGES, STAGE_MOVES
from interviews.models import Application
from reminders.board import (
    BOARD_ORDERS,
    DEFAULT_ORDER,
    Board,
    BoardCard,
    BoardColumn,
    LocalText,
    TaskLinks,
)
from reminders.titles import task_title_in

# The stage badge of a card (templates/interviews/includes/stage_badge.html).
_BADGE_CLASSES = {
    Application.Stage.OFFER: "text-bg-success",
    Application.Stage.INTERVIEWING: "text-bg-primary",
    Application.Stage.SCREENING: "text-bg-info",
}

_OVERDUE_BADGE = '<span class="badge text-bg-danger">Overdue</span>'
_BOUNCED = (
    '<p class="small text-danger-emphasis bg-danger-subtle rounded px-2 py-1 my-1" '
    "data-bounced>An email to them bounced: check the address.</p>\n    "
)
_NOTHING_PLANNED = '<span class="text-body-secondary">Nothing planned</span>'


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _escaped_parts(name: str) -> tuple[str, str]:
    """The path of route ``name`` before and after a row's id, each escaped once."""
    before, after = id_url_parts(name)
    return esc(before), esc(after)


@cache
def _options(current: str) -> str:
    """A card's "Move to" choices: an open card may go to any open stage or close for a
    reason; a closed one reopens at an open stage (interviewing unless chosen otherwise)."""
    if current == Application.Stage.CLOSED:
        choices = [(v, label, v == Application.Stage.INTERVIEWING) for v, label in OPEN_STAGES]
    else:
        choices = [(v, label, v == current) for v, label in STAGE_MOVES]
    return "".join(
        f'<option value="{esc(value)}"{" selected" if selected else ""}>{esc(label)}</option>'
        for value, label, selected in choices
    )


@cache
def _stage_badge(stage: str, closed_reason: str) -> str:
    text = Application.Stage(stage).label
    if closed_reason:
        text = f"{text}: {Application.ClosedReason(closed_reason).label.lower()}"
    css = _BADGE_CLASSES.get(stage, "text-bg-secondary")
    return f'<span class="badge rounded-pill {css}">{esc(text)}</span>'


def _card(card: BoardCard, writer: CardWriter) -> str:
    """One card. Every value written into it is a number, one of the constants above, or
    escaped here (``esc``): names, roles, titles, links and dates (the fixed parts of the
    links escaped once by ``writer``, around the id)."""
    pk = int(card.pk)
    is_open = card.is_open
    company, role = esc(card.company_name), esc(card.role)
    action = card.next_action
    overdue = action is not None and action.is_overdue
    badges = _OVERDUE_BADGE if overdue else ""
    if not is_open:
        badges += _stage_badge(card.stage, card.closed_reason)
    if action is not None:
        link = esc(writer.task_links(action))
        title = task_title_in(
            writer.language,
            kind=action.kind,
            contact_name=action.contact_name,
            custom_title=action.custom_title,
        )
        action_html = (
            f'<a class="board-card-action" href="{link}">{esc(title)}</a>'
            f'<span class="d-block text-body-secondary">{"was due" if overdue else "due"} '
            f"{esc(writer.local_text(action.due_at))}</span>"
        )
    else:
        action_html = ""
    if card.interview_ahead_at is not None:
        action_html += (
            f'<span class="d-block" data-interview-ahead>Interview '
            f"{esc(writer.local_text(card.interview_ahead_at))}</span>"
        )
    elif action is None and is_open:
        action_html = _NOTHING_PLANNED
    days = card.days_since_contact
    if days is None:
        contact = "No contact yet"
    elif days == 0:
        contact = "Last contact today"
    else:
        contact = f"Last contact {_days(int(days))} ago"
    facts = f"<li>{contact}</li>"
    if card.waiting_days is not None:
        waiting = int(card.waiting_days)
        since = "since today" if waiting == 0 else _days(waiting)
        facts += f"<li data-waiting>Waiting for a reply: {since}</li>"
    if card.open_drafts:
        drafts = int(card.open_drafts)
        facts += f"<li data-drafts>{drafts} open draft{'' if drafts == 1 else 's'}</li>"
    stage = esc(card.stage)
    url = f"{writer.detail_url[0]}{pk}{writer.detail_url[1]}"
    move_url = f"{writer.stage_url[0]}{pk}{writer.stage_url[1]}"
    return f"""<article class="card board-card shadow-sm{" border-danger" if overdue else ""}" \
id="application-{pk}" data-application="{pk}" data-stage="{stage}">
  <div class="card-body p-2">
    <div class="d-flex justify-content-between align-items-start gap-2">
      <div class="text-break board-card-heading">
        <h3 class="h6 mb-0"><a class="board-card-title" href="{url}">{company}</a></h3>
        <div class="small text-body-secondary">{role}</div>
      </div>
      {badges}
    </div>
    {_BOUNCED if card.bounced else ""}<div class="small mt-1" data-next-action>{action_html}</div>
    <ul class="list-unstyled small text-body-secondary mb-1 mt-1 board-facts">{facts}</ul>
    <form method="post" action="{move_url}" class="board-move" hx-post="{move_url}" \
hx-target="#board" hx-swap="outerHTML">{writer.hidden}
      <label class="visually-hidden" for="stage-{pk}">Move {company}, {role}, \
{"to" if is_open else "reopening at"}</label>
      <div class="input-group">
        <select class="form-select" name="stage" id="stage-{pk}">{_options(card.stage)}</select>
        <button type="submit" class="btn btn-outline-primary">{"Move" if is_open else "Reopen"}\
</button>
      </div>
    </form>
  </div>
</article>"""


class CardWriter:
    """Writes cards, one after the other, each with its stage form (which keeps ``order``).

    What every card shares (the forms' hidden inputs, the routes of its links, the names of
    days and months, the active language of the tasks' titles) is worked out when the
    writer is made: once for all the columns of a board (``{% board %}``), not once a column
    (some 80 us each) or a card.
    """

    def __init__(self, *, order: str, csrf_token: str) -> None:
        csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'
            if csrf_token
            else ""
        )
        self.hidden = f'{csrf}<input type="hidden" name="order" value="{esc(order)}">'
        self.local_text = LocalText(timezone.get_current_timezone())
        self.language = get_language()
        self.task_links = TaskLinks()
        self.detail_url = _escaped_parts("application_detail")
        self.stage_url = _escaped_parts("application_stage")

    def __call__(self, cards: Iterable[BoardCard]) -> SafeString:
        # Safe: _card escapes every value it writes (see there).
        return mark_safe(  # noqa: S308
            "".join([_card(card, self) for card in cards])
        )


class _Links(NamedTuple):
    dashboard: str  # the board's page, where the order links lead
    application_list: str  # a column's link without JavaScript
    columns: dict[str, str]  # each column's own: what "Show all" and opening the closed load


@lru_cache(maxsize=64)
def _board_links(prefix: str, urlconf: str | None) -> _Links:
    """The board's links, each already escaped, reversed once per script prefix and URL
    configuration, as :mod:`followup_site.row_urls` does for ids."""
    return _Links(
        dashboard=esc(reverse("dashboard", urlconf=urlconf)),
        application_list=esc(reverse("interviews:application_list", urlconf=urlconf)),
        columns={
            stage: esc(reverse("board_column", args=[stage], urlconf=urlconf))
            for stage in Application.Stage.values
        },
    )


def _links() -> _Links:
    return _board_links(get_script_prefix(), get_urlconf())


def orders_html(current: str) -> SafeString:
    """The links that order the board (``BOARD_ORDERS``), the ``current`` one marked."""
    dashboard = _links().dashboard
    links = []
    for value, label in BOARD_ORDERS.items():
        query = "" if value == DEFAULT_ORDER else f"?order={esc(value)}"
        if value == current:
            css, mark = "btn-secondary", ' aria-current="true"'
        else:
            css, mark = "btn-outline-secondary", ""
        links.append(
            f'<a class="btn btn-sm {css}" href="{dashboard}{query}"{mark}>{esc(label)}</a>'
        )
    return mark_safe("\n    ".join(links))  # noqa: S308 - the values are escaped


def column_html(column: BoardColumn, *, order: str, write_cards: CardWriter) -> SafeString:
    """One open stage of the board (its heading, its cards and the "Show all" of the rest),
    as ``templates/interviews/includes/board_column.html`` wrote it. Every value is a number
    or escaped (``esc``); the cards are ``write_cards``'s."""
    stage, label, count = esc(str(column.stage)), esc(column.label), int(column.count)
    shown = ' data-shown="all"' if column.shown_all else ""
    more = ""
    if column.more:
        links = _links()
        more = (
            f'<a class="btn btn-link board-more" href="{links.application_list}?stage={stage}" '
            f'hx-get="{links.columns[str(column.stage)]}?order={esc(order)}" '
            f'hx-target="closest .board-column" hx-swap="outerHTML">Show all {count}'
            f'<span class="visually-hidden"> {esc(str(column.label).lower())}</span></a>'
        )
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        f'\n<section class="board-column" id="board-column-{stage}" '
        f'aria-labelledby="column-{stage}" data-column="{stage}"{shown}>\n'
        f'  <h2 class="h6 board-column-title" id="column-{stage}">{label} '
        f'<span class="badge text-bg-secondary">{count}</span></h2>\n'
        f'  <div class="board-list" data-stage="{stage}">{write_cards(column.shown)}</div>\n'
        f"  {more}\n</section>\n"
    )


def closed_body_html(column: BoardColumn, *, write_cards: CardWriter) -> SafeString:
    """The closed applications under their folded summary, as
    ``templates/interviews/includes/board_closed.html`` wrote them: until loaded, at most the
    card just moved, and a link to their list for no JavaScript."""
    stage, count = esc(str(column.stage)), int(column.count)
    shown = ' data-shown="all"' if column.shown_all else ""
    more = ""
    if column.more:
        list_url = _links().application_list
        more = (
            f'<a class="btn btn-link board-more" href="{list_url}?stage={stage}">'
            f"List the {count} closed applications</a>"
        )
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        f'\n<div class="board-closed-body" data-column="{stage}"{shown}>\n'
        f'  <div class="board-closed-list">{write_cards(column.shown)}</div>\n'
        f"  {more}\n</div>\n"
    )


def board_html(board: Board, *, write_cards: CardWriter, moved_pk: object = None) -> SafeString:
    """The whole board, as ``templates/interviews/includes/board.html`` wrote it: the open
    columns, then the closed ones folded away (loaded when opened, unless already shown)."""
    moved = f' data-moved="{esc(moved_pk)}"' if moved_pk else ""
    columns = "".join(
        column_html(column, order=board.order, write_cards=write_cards) for column in board.columns
    )
    closed_html = ""
    closed = board.closed
    if closed.count:
        load = ""
        if not closed.shown_all:
            column_url = _links().columns[str(closed.stage)]
            load = (
                f' hx-get="{column_url}?order={esc(board.order)}" hx-trigger="toggle once" '
                'hx-target="find .board-closed-body" hx-swap="outerHTML"'
            )
        closed_html = (
            f'<details class="board-closed mt-3"{load}>\n'
            f'    <summary class="board-closed-summary">Closed '
            f'<span class="badge text-bg-secondary">{int(closed.count)}</span></summary>\n'
            f"    {closed_body_html(closed, write_cards=write_cards)}\n  </details>\n"
        )
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        f'<div id="board" class="board-wrap" data-board{moved}>\n  <div class="board">\n'
        f"    {columns}\n  </div>\n  {closed_html}</div>"
    )
