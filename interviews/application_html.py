"""The rows of the applications list, and an application's stage badge, rendered in Python.

As a template loop with an include for the badge, each of the fifty rows of a page cost
some 80 microseconds; these functions write the same markup from the same fields. Dates
come out as the template's ``date`` filter writes them, in the active time zone (the
signed-in user's).
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe

from followup_site.row_urls import id_url_maker
from interviews.models import Application

_STAGE_BADGE_CLASSES = {
    Application.Stage.OFFER: "text-bg-success",
    Application.Stage.INTERVIEWING: "text-bg-primary",
    Application.Stage.SCREENING: "text-bg-info",
}


def _e(value: object) -> str:
    """``conditional_escape`` without its lazy-text wrapper: the value's text, HTML-escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def stage_badge_html(application: Application) -> SafeString:
    """The application's stage as a pill, with the reason if it is closed (the markup of
    interviews/includes/stage_badge.html)."""
    css = _STAGE_BADGE_CLASSES.get(application.stage, "text-bg-secondary")
    reason = (
        f": {_e(application.get_closed_reason_display().lower())}"
        if application.closed_reason
        else ""
    )
    return mark_safe(  # noqa: S308 - every value in it is escaped by _e
        f'<span class="badge rounded-pill {css}">{_e(application.get_stage_display())}'
        f"{reason}</span>"
    )


def application_rows_html(applications: Iterable[Application]) -> SafeString:
    """The table rows of the applications list (role, company, stage, interview count and
    next interview), or its "Nothing here yet." row."""
    url = id_url_maker("application_detail")
    zone = timezone.get_current_timezone()
    rows = []
    for application in applications:
        upcoming = application.next_interview_at
        next_interview = (
            formats.date_format(upcoming.astimezone(zone), "D j M, H:i") if upcoming else "—"
        )
        rows.append(
            "\n      <tr>\n"
            f'        <td><a href="{_e(url(application.pk))}">{_e(application.role)}</a></td>\n'
            f"        <td>{_e(application.company.name)}</td>\n"
            f"        <td>{stage_badge_html(application)}\n</td>\n"
            f'        <td class="d-none d-md-table-cell">{_e(application.interview_count)}</td>\n'
            f'        <td class="d-none d-md-table-cell">{_e(next_interview)}</td>\n'
            "      </tr>\n      "
        )
    if not rows:
        rows.append(
            '\n      <tr><td colspan="5" class="text-body-secondary">Nothing here yet.</td></tr>\n'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value in it is escaped by _e
