"""An application's outreach timeline ("Contact so far" in the follow-up panel), rendered in
Python: each message or call with its direction, channel, outcome and delivery state.

As a template loop with a dozen conditions an entry, it was a third of the panel's markup
time. This writes the same markup from the same fields; times come out as the template's
``date`` filter writes them, in the active time zone (the signed-in user's).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from outreach.models import Outreach

# The delivery states worth a red badge; "uncertain" gets a yellow one, the rest grey.
_DELIVERY_FAILED = ("failed", "bounced", "complained")
# Outreach columns the timeline shows (and the contact's name).
TIMELINE_FIELDS = (
    "direction",
    "channel",
    "call_outcome",
    "delivery",
    "delivery_detail",
    "received_while_inactive",
    "occurred_at",
    "subject",
    "body",
    "contact__name",
)


def _e(value: object) -> str:
    """``conditional_escape`` without its lazy-text wrapper: the value's text, HTML-escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def outreach_timeline_html(outreaches: Iterable[Outreach]) -> SafeString:
    """The entries of the timeline, newest first as given."""
    return mark_safe("".join(_entry(outreach) for outreach in outreaches))  # noqa: S308


def _entry(outreach: Outreach) -> str:
    incoming = outreach.direction == "in"
    contact = outreach.contact if outreach.contact_id is not None else None
    channel = outreach.get_channel_display()
    if incoming:
        heading = "Reply" + (f" from {_e(contact.name)}" if contact is not None else "")
    else:
        heading = _e(channel) + (f" to {_e(contact.name)}" if contact is not None else "")
    direction_class = "text-bg-success" if incoming else "bg-body-secondary text-body border"
    badges = [
        f'<span class="badge {direction_class}">{_e(outreach.get_direction_display())}</span>'
    ]
    if incoming:
        badges.append(
            f'<span class="badge bg-body-secondary text-body border">{_e(channel)}</span>'
        )
    if outreach.call_outcome:
        badges.append(
            f'<span class="badge text-bg-info">{_e(outreach.get_call_outcome_display())}</span>'
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
            f'<span class="badge {delivery_class}">{_e(outreach.get_delivery_display())}</span>'
        )
    occurred = formats.date_format(timezone.localtime(outreach.occurred_at), "D j M Y, H:i")
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
            f'<div class="small text-body-secondary text-pre">{_e(outreach.delivery_detail)}</div>'
        )
    if outreach.subject:
        lines.append(f'<div class="small">{_e(outreach.subject)}</div>')
    if outreach.body:
        body = Truncator(outreach.body).chars(400)
        lines.append(f'<div class="small text-body-secondary text-pre">{_e(body)}</div>')
    return (
        f'\n      <div class="timeline-item" id="outreach-{_e(outreach.pk)}">\n'
        '        <div class="d-flex flex-wrap gap-2 align-items-baseline">\n'
        f"          <strong>{heading}</strong>\n          "
        + "\n          ".join(badges)
        + f'\n          <small class="text-body-secondary">{_e(occurred)}</small>\n'
        "        </div>\n        " + "\n        ".join(lines) + "\n      </div>\n      "
    )
