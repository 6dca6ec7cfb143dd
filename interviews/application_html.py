"""The rows of the applications list, an application's stage badge and its page's
interviews, rendered in Python.

As a template loop with an include for the badge, each of the fifty rows of a page cost
some 80 microseconds; these functions write the same markup from the same fields. Dates
come out as the template's ``date`` filter writes them, in the active time zone (the
signed-in user's).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe

from followup_site.dates import LocalDates
from followup_site.row_urls import id_url_maker
from followup_site.widgets import esc
from interviews.models import Application
from interviews.note_html import interview_people_html
from interviews.selectors import InterviewSummary

_STAGE_BADGE_CLASSES = {
    Application.Stage.OFFER: "text-bg-success",
    Application.Stage.INTERVIEWING: "text-bg-primary",
    Application.Stage.SCREENING: "text-bg-info",
}


def stage_badge_html(application: Application) -> SafeString:
    """The application's stage as a pill, with the reason if it is closed (the markup of
    interviews/includes/stage_badge.html)."""
    css = _STAGE_BADGE_CLASSES.get(application.stage, "text-bg-secondary")
    reason = (
        f": {esc(application.get_closed_reason_display().lower())}"
        if application.closed_reason
        else ""
    )
    return mark_safe(  # noqa: S308 - every value in it is escaped by _e
        f'<span class="badge rounded-pill {css}">{esc(application.get_stage_display())}'
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
            f'        <td><a href="{esc(url(application.pk))}">{esc(application.role)}</a></td>\n'
            f"        <td>{esc(application.company.name)}</td>\n"
            f"        <td>{stage_badge_html(application)}\n</td>\n"
            f'        <td class="d-none d-md-table-cell">{esc(application.interview_count)}</td>\n'
            f'        <td class="d-none d-md-table-cell">{esc(next_interview)}</td>\n'
            "      </tr>\n      "
        )
    if not rows:
        rows.append(
            '\n      <tr><td colspan="5" class="text-body-secondary">Nothing here yet.</td></tr>\n'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value in it is escaped by _e


def interview_timeline_html(timeline: Iterable[InterviewSummary], *, now: datetime) -> SafeString:
    """The application page's interviews: each one's time, format and place (and whether it
    is still to come), its edit and delete links, then its people and their notes."""
    detail = id_url_maker("interviews:interview_detail")
    edit = id_url_maker("interviews:interview_edit")
    delete = id_url_maker("interviews:interview_delete")
    dates = LocalDates()
    parts = []
    for summary in timeline:
        interview = summary.interview
        # "l j F Y, H:i" and "H:i T", as the date filter writes them.
        local = dates.local(interview.starts_at)
        starts = (
            f"{dates.l(local)} {local.day} {dates.F(local)} {local.year:04d}, "
            f"{local.hour:02d}:{local.minute:02d}"
        )
        local = dates.local(interview.ends_at)
        ends = f"{local.hour:02d}:{local.minute:02d} {dates.T(local)}"
        upcoming = (
            '<span class="badge text-bg-info">upcoming</span>' if interview.starts_at > now else ""
        )
        location = (
            f'<div class="small text-body-secondary text-break">{esc(interview.location)}</div>'
            if interview.location
            else ""
        )
        parts.append(
            f'\n      <section class="timeline-item" id="interview-{esc(interview.pk)}">\n'
            '        <div class="d-flex flex-wrap justify-content-between gap-2 mb-2">\n'
            "          <div>\n"
            f'            <a class="fw-semibold" href="{esc(detail(interview.pk))}">'
            f"{esc(starts)}\u2013{esc(ends)}</a>\n"  # an en dash between
            '            <span class="badge bg-body-secondary text-body border">'
            f"{esc(interview.get_format_display())}</span>\n"
            f"            {upcoming}\n            {location}\n"
            "          </div>\n"
            '          <div class="small text-nowrap">\n'
            f'            <a href="{esc(edit(interview.pk))}">Edit</a> ·\n'
            f'            <a href="{esc(delete(interview.pk))}" class="link-danger">Delete</a>\n'
            "          </div>\n"
            "        </div>\n"
            f"        {interview_people_html(summary, compose_link='follow_up')}\n"
            "      </section>\n      "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped by _e
