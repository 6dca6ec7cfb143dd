"""The applications and contacts lists' rows and the stage badge, rendered in Python."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from interviews.application_html import application_rows_html, stage_badge_html
from interviews.contact_html import contact_rows_html
from interviews.models import Application, Company, Contact


@pytest.mark.parametrize("stage", Application.Stage.values)
@pytest.mark.parametrize("reason", ["", *Application.ClosedReason.values])
def test_the_stage_badge_is_the_include_the_board_uses(stage, reason):
    application = Application(stage=stage, closed_reason=reason)
    expected = render_to_string(
        "interviews/includes/stage_badge.html", {"application": application}
    )
    assert stage_badge_html(application) == expected.strip()


def test_a_row_links_the_role_and_shows_the_next_interview_in_the_users_zone():
    application = Application(
        pk=12,
        role="Data <engineer>",
        stage=Application.Stage.SCREENING,
        company=Company(name="A&B"),
    )
    application.interview_count = 2
    application.next_interview_at = datetime(2025, 3, 10, 8, 30, tzinfo=UTC)
    with timezone.override(ZoneInfo("Europe/Berlin")):
        html = application_rows_html([application])
    assert '<a href="/applications/12/">Data &lt;engineer&gt;</a>' in html
    assert "<td>A&amp;B</td>" in html
    assert "Mon 10 Mar, 09:30" in html


def test_no_rows_say_so():
    assert "Nothing here yet." in application_rows_html([])


def test_a_contact_row_shows_title_company_and_a_pluralized_count():
    one = Contact(pk=5, name="Ana <L>", job_title="CTO", company=Company(pk=1, name="A&B"))
    one.interview_count = 1
    two = Contact(pk=6, name="Bo", job_title="")
    two.interview_count = 0
    html = contact_rows_html([one, two])
    assert '<a href="/contacts/5/"' in html
    assert '<div class="fw-semibold">Ana &lt;L&gt;</div>' in html
    assert '<div class="small text-body-secondary">CTO · A&amp;B</div>' in html
    assert ">1 interview</span>" in html
    assert '<div class="small text-body-secondary"></div>' in html
    assert ">0 interviews</span>" in html
