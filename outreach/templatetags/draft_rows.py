"""``{% draft_row draft %}``: one row of a list of drafts not sent yet, built in Python.

The drafts page lists every open draft (50 for a busy user) and the task, contact and
application pages list theirs. Rendered through an include, each row was a few dozen template
nodes, two ``{% url %}`` walks and two ``date`` filters: most of the page's time. Here a row is
one ``format_html`` call (every value escaped), with the same markup the include had.
"""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from followup_site.row_urls import url_for_id
from outreach.models import Draft

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
_CHECK_BADGE = mark_safe('<span class="badge text-bg-warning">Check: did it go out?</span>')
_FAILED_BADGE = mark_safe('<span class="badge text-bg-danger">Not sent: failed</span>')
_SENDING_BADGE = mark_safe('<span class="badge text-bg-secondary">Sending</span>')
_SENDING_NOTE = mark_safe(
    '<p class="small mt-2 mb-0">Being sent. If this does not change within a minute, check your '
    "sent mail before sending it again.</p>"
)


def _saved(moment) -> tuple[str, str]:
    """``moment`` in the active (the user's) zone: ISO 8601, and as "Sun 9 Mar, 23:30 EDT"."""
    local = timezone.localtime(moment)
    shown = (
        f"{WEEKDAYS_ABBR[local.weekday()]} {local.day} {MONTHS_3[local.month].title()}, "
        f"{local:%H:%M} {local.tzname() or ''}"
    )
    return local.isoformat(), shown.rstrip()


def _user_email(context: template.Context) -> str:
    request = context.get("request")
    return request.user.email if request is not None else ""


@register.simple_tag(takes_context=True)
def draft_row(context: template.Context, draft: Draft) -> SafeString:
    """Takes a draft with its application, company and contact selected with it."""
    interrupted = draft.is_interrupted
    state = draft.send_state
    badge = note = ""
    if interrupted:
        badge = _CHECK_BADGE
        note = format_html(
            '<p class="small mt-2 mb-0">This message may or may not have gone out, and it will '
            "not be resent on its own. Look for the copy in your inbox ({}), then tell us on the "
            "draft: it arrived, send it again, or delete it.</p>",
            _user_email(context),
        )
    elif state == Draft.SendState.FAILED:
        badge = _FAILED_BADGE
        details = (
            format_html(
                ' <span class="text-body-secondary">Details: {}</span>',
                Truncator(draft.send_error).chars(160),
            )
            if draft.send_error
            else ""
        )
        note = format_html(
            '<p class="small mt-2 mb-0 text-break">Nothing went out, so you can fix it and try '
            "again.{}</p>",
            details,
        )
    elif state == Draft.SendState.SENDING:
        badge, note = _SENDING_BADGE, _SENDING_NOTE
    title = draft.subject or Truncator(draft.body).chars(80) or "(nothing written yet)"
    contact = draft.contact
    application = draft.application
    saved_iso, saved = _saved(draft.updated_at)
    return format_html(
        _ROW,
        pk=draft.pk,
        state=state,
        badge=badge,
        occasion=draft.get_occasion_display(),
        edit_url=url_for_id("outreach:draft_edit", draft.pk),
        title=title,
        saved_iso=saved_iso,
        saved=saved,
        contact=contact.name,
        address=format_html(" &lt;{}&gt;", contact.email) if contact.email else "",
        application_url=application.get_absolute_url(),
        role=application.role,
        company=application.company.name,
        note=note,
        button_class="btn-warning" if interrupted else "btn-outline-primary",
        button="Check it" if interrupted else "Resume",
    )
