"""``{% draft_rows drafts %}``: the rows of a list of drafts not sent yet, built in Python.

The drafts page lists every open draft (50 for a busy user) and the task, contact and
application pages list theirs. Rendered through an include, each row was a few dozen template
nodes, two ``{% url %}`` walks and two ``date`` filters: most of the page's time. Here all the
rows are written at once, with the same markup the include had: what every row shares (the
two routes, the time zone, the user's address) is looked up once, and every value is escaped
by ``esc``, which passes plain text without HTML characters as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from followup_site.row_urls import id_url_maker
from followup_site.widgets import esc
from outreach.models import Draft, Occasion

register = template.Library()

_ROW = (
    '<div class="list-group-item py-3" id="draft-{pk}" data-send-state="{state}">\n'
    '  <div class="d-flex flex-wrap justify-content-between align-items-baseline gap-2 mb-1">\n'
    '    <div class="text-break">\n'
    "      {badge}\n"
    '      <span class="badge bg-body-secondary text-body border">{occasion}</span>\n'
    '      <a class="fw-semibold ms-1" href="{edit_url}">{title}</a>\n'
    "    </div>\n"
    '    <small class="text-body-secondary">Saved <time datetime="{saved_iso}">{saved}</time>'
    "</small>\n"
    "  </div>\n"
    '  <div class="small text-body-secondary text-break">\n'
    "    To {contact}{address} ·\n"
    '    <a class="link-secondary" href="{application_url}">{role} at {company}</a>\n'
    "  </div>\n"
    "  {note}\n"
    '  <a class="btn btn-sm {button_class} mt-2" href="{edit_url}">{button}'
    '<span class="visually-hidden"> the draft to {contact}</span></a>\n'
    "</div>\n"
)
_CHECK_BADGE = '<span class="badge text-bg-warning">Check: did it go out?</span>'
_FAILED_BADGE = '<span class="badge text-bg-danger">Not sent: failed</span>'
_SENDING_BADGE = '<span class="badge text-bg-secondary">Sending</span>'
_SENDING_NOTE = (
    '<p class="small mt-2 mb-0">Being sent. If this does not change within a minute, check your '
    "sent mail before sending it again.</p>"
)
_CHECK_NOTE = (
    '<p class="small mt-2 mb-0">This message may or may not have gone out, and it will '
    "not be resent on its own. Look for the copy in your inbox ({}), then tell us on the "
    "draft: it arrived, send it again, or delete it.</p>"
)
_FAILED_NOTE = (
    '<p class="small mt-2 mb-0 text-break">Nothing went out, so you can fix it and try again.{}</p>'
)
_FAILED_DETAILS = ' <span class="text-body-secondary">Details: {}</span>'
_OCCASION_LABELS = dict(Occasion.choices)


def _saved_writer(zone: tzinfo) -> Callable[[datetime], tuple[str, str]]:
    """For many moments: one in ``zone`` as ISO 8601 and as "Sun 9 Mar, 23:30 EDT", with the
    names of days and months translated once each (when first needed)."""
    days: dict[int, str] = {}
    months: dict[int, str] = {}

    def saved(moment: datetime) -> tuple[str, str]:
        local = moment.astimezone(zone)
        weekday, month = local.weekday(), local.month
        day = days.get(weekday) or days.setdefault(weekday, str(WEEKDAYS_ABBR[weekday]))
        month_name = months.get(month) or months.setdefault(month, MONTHS_3[month].title())
        shown = f"{day} {local.day} {month_name}, {local:%H:%M} {local.tzname() or ''}"
        return local.isoformat(), shown.rstrip()

    return saved


def _badge_and_note(draft: Draft, interrupted: bool, check_note: str) -> tuple[str, str]:
    """What a row says of a send that did not go through: its badge and its paragraph."""
    if interrupted:
        return _CHECK_BADGE, check_note
    if draft.send_state == Draft.SendState.FAILED:
        details = ""
        if draft.send_error:
            details = _FAILED_DETAILS.format(esc(Truncator(draft.send_error).chars(160)))
        return _FAILED_BADGE, _FAILED_NOTE.format(details)
    if draft.send_state == Draft.SendState.SENDING:
        return _SENDING_BADGE, _SENDING_NOTE
    return "", ""


@register.simple_tag(takes_context=True)
def draft_rows(context: template.Context, drafts: Iterable[Draft]) -> SafeString:
    """Takes drafts with their application, company and contact selected with them."""
    request = context.get("request")
    check_note = _CHECK_NOTE.format(esc(request.user.email if request is not None else ""))
    edit_url = id_url_maker("outreach:draft_edit")
    application_url = id_url_maker("application_detail")
    saved_at = _saved_writer(timezone.get_current_timezone())
    rows = []
    for draft in drafts:
        interrupted = draft.is_interrupted
        badge, note = _badge_and_note(draft, interrupted, check_note)
        title = draft.subject or Truncator(draft.body).chars(80) or "(nothing written yet)"
        contact = draft.contact
        application = draft.application
        saved_iso, saved = saved_at(draft.updated_at)
        rows.append(
            _ROW.format(
                pk=draft.pk,
                state=esc(draft.send_state),
                badge=badge,
                occasion=esc(_OCCASION_LABELS.get(draft.occasion, draft.occasion)),
                edit_url=esc(edit_url(draft.pk)),
                title=esc(title),
                saved_iso=esc(saved_iso),
                saved=esc(saved),
                contact=esc(contact.name),
                address=f" &lt;{esc(contact.email)}&gt;" if contact.email else "",
                application_url=esc(application_url(application.pk)),
                role=esc(application.role),
                company=esc(application.company.name),
                note=note,
                button_class="btn-warning" if interrupted else "btn-outline-primary",
                button="Check it" if interrupted else "Resume",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value in it is escaped by esc
