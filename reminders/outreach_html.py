"""An application's outreach timeline ("Contact so far" in the follow-up panel), read as
plain rows (TimelineRow) and rendered in Python: each message or call with its direction,
channel, outcome and delivery state.

As a template loop with a dozen conditions an entry, it was a third of the panel's markup
time. This writes the same markup from the same fields; times come out as the template's
``date`` filter writes them, in the active time zone (the signed-in user's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from followup_site.dates import LocalDates
from followup_site.raw_sql import planned_cursor, utc_moment
from followup_site.widgets import esc
from interviews.models import Contact
from outreach.models import Outreach
from reminders.task_list_query import TaskContact

# The delivery states worth a red badge; "uncertain" gets a yellow one, the rest grey.
_DELIVERY_FAILED = ("failed", "bounced", "complained")

# What an entry shows (``o`` the outreach, ``c`` its contact), in the order _timeline_row
# reads it.
_TIMELINE_SQL = f"""
SELECT o.id, o.direction, o.channel, o.call_outcome, o.delivery, o.delivery_detail,
  o.received_while_inactive, o.occurred_at, o.subject, o.body, o.contact_id, c.name
FROM {Outreach._meta.db_table} o
LEFT JOIN {Contact._meta.db_table} c ON c.id = o.contact_id
WHERE o.user_id = %(user)s AND o.application_id = %(application)s
ORDER BY o.occurred_at DESC, o.id DESC
"""  # noqa: S608 - only the models' table names and placeholders are written in
_LABELS = {
    "direction": dict(Outreach.Direction.choices),
    "channel": dict(Outreach.Channel.choices),
    "call_outcome": dict(Outreach.CallOutcome.choices),
    "delivery": dict(Outreach.Delivery.choices),
}


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """An outreach as the timeline shows it: the Outreach fields _entry reads, under the
    same names."""

    pk: int
    direction: str
    channel: str
    call_outcome: str
    delivery: str
    delivery_detail: str
    received_while_inactive: bool
    occurred_at: datetime
    subject: str
    body: str
    contact: TaskContact | None

    @property
    def contact_id(self) -> int | None:
        return self.contact.pk if self.contact is not None else None

    def get_direction_display(self) -> str:
        return _LABELS["direction"].get(self.direction, self.direction)

    def get_channel_display(self) -> str:
        return _LABELS["channel"].get(self.channel, self.channel)

    def get_call_outcome_display(self) -> str:
        return _LABELS["call_outcome"].get(self.call_outcome, self.call_outcome)

    def get_delivery_display(self) -> str:
        return _LABELS["delivery"].get(self.delivery, self.delivery)


def application_timeline(*, user_id: int, application_id: int) -> list[TimelineRow]:
    """The application's outreach, newest first, in one hand-written query: built with the
    ORM, the read cost more processor time to compile and load as models than the
    timeline's markup."""
    params = {"user": user_id, "application": application_id}
    with planned_cursor() as cursor:
        cursor.execute(_TIMELINE_SQL, params)
        rows = cursor.fetchall()
    return [_timeline_row(row) for row in rows]


def _timeline_row(row: tuple) -> TimelineRow:
    (pk, direction, channel, call_outcome, delivery, delivery_detail, received_while_inactive,
     occurred_at, subject, body, contact_id, contact_name) = row  # fmt: skip
    return TimelineRow(
        pk=pk,
        direction=direction,
        channel=channel,
        call_outcome=call_outcome,
        delivery=delivery,
        delivery_detail=delivery_detail,
        received_while_inactive=bool(received_while_inactive),
        occurred_at=utc_moment(occurred_at),
        subject=subject,
        body=body,
        contact=TaskContact(contact_id, contact_name) if contact_id is not None else None,
    )


def outreach_timeline_html(outreaches: Iterable[Outreach | TimelineRow]) -> SafeString:
    """The entries of the timeline, newest first as given."""
    dates = LocalDates()
    return mark_safe("".join(_entry(outreach, dates) for outreach in outreaches))  # noqa: S308


def _entry(outreach: Outreach | TimelineRow, dates: LocalDates) -> str:
    incoming = outreach.direction == "in"
    contact = outreach.contact if outreach.contact_id is not None else None
    channel = outreach.get_channel_display()
    if incoming:
        heading = "Reply" + (f" from {esc(contact.name)}" if contact is not None else "")
    else:
        heading = esc(channel) + (f" to {esc(contact.name)}" if contact is not None else "")
    direction_class = "text-bg-success" if incoming else "bg-body-secondary text-body border"
    badges = [
        f'<span class="badge {direction_class}">{esc(outreach.get_direction_display())}</span>'
    ]
    if incoming:
        badges.append(
            f'<span class="badge bg-body-secondary text-body border">{esc(channel)}</span>'
        )
    if outreach.call_outcome:
        badges.append(
            f'<span class="badge text-bg-info">{esc(outreach.get_call_outcome_display())}</span>'
        )
    delivery = outreach.delivery
    if delivery:
        delivery_class = (
            "text-bg-danger"
            if delivery in _DELIVERY_FAILED
            else "text-bg-warning"
            if delivery == "uncertain"
            else "text-bg-secondary"
        )
        badges.append(
            f'<span class="badge {delivery_class}">{esc(outreach.get_delivery_display())}</span>'
        )
    # {{ occurred_at|date:"D j M Y, H:i" }}
    local = dates.local(outreach.occurred_at)
    occurred = (
        f"{dates.D(local)} {local.day} {dates.M(local)} {local.year:04d}, "
        f"{local.hour:02d}:{local.minute:02d}"
    )
    lines = []
    if outreach.received_while_inactive:
        lines.append(
            '<div class="small text-info-emphasis">Arrived while your account was inactive.</div>'
        )
    if delivery == "uncertain":
        lines.append(
            '<div class="small text-warning-emphasis">We could not tell whether this email went '
            "out. Check your sent mail before sending it again.</div>"
        )
    if outreach.delivery_detail and delivery not in ("delivered", "sent"):
        lines.append(
            f'<div class="small text-body-secondary text-pre">{esc(outreach.delivery_detail)}</div>'
        )
    if outreach.subject:
        lines.append(f'<div class="small">{esc(outreach.subject)}</div>')
    if outreach.body:
        body = Truncator(outreach.body).chars(400)
        lines.append(f'<div class="small text-body-secondary text-pre">{esc(body)}</div>')
    return (
        f'\n      <div class="timeline-item" id="outreach-{esc(outreach.pk)}">\n'
        '        <div class="d-flex flex-wrap gap-2 align-items-baseline">\n'
        f"          <strong>{heading}</strong>\n          "
        + "\n          ".join(badges)
        + f'\n          <small class="text-body-secondary">{esc(occurred)}</small>\n'
        "        </div>\n        " + "\n        ".join(lines) + "\n      </div>\n      "
    )
