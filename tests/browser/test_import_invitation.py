"""A user imports an interview invitation (.ics), checks it, and sees the interview."""

from __future__ import annotations

import pytest

from interviews.models import Interview
from tests.browser.accessibility import sideways_scroll
from tests.browser.support import log_in, watch_csp_violations
from tests.factories import ApplicationFactory, UserFactory
from tests.interviews.invitation_files import ROBIN, google_invite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def no_sideways_scroll(page) -> bool:
    return not sideways_scroll(page)


def test_an_uploaded_invitation_becomes_an_interview_with_its_interviewers(
    page, live_server, screenshot, tmp_path
):
    violations = watch_csp_violations(page.context)
    robin = UserFactory(email=ROBIN, full_name="Robin Fischer", timezone="Europe/Berlin")
    ApplicationFactory(user=robin, company__name="Acme Robotics", role="Backend engineer")
    invite = tmp_path / "invite.ics"
    invite.write_bytes(google_invite())
    not_a_calendar = tmp_path / "applications.csv"
    not_a_calendar.write_text("Company,Role\nAcme,Engineer\n")
    log_in(page, robin)

    page.goto("/applications/")
    page.get_by_role("link", name="Import an invitation").click()
    page.get_by_role("heading", name="Import an interview invitation").wait_for()

    # The wrong file first: the reason shows on the form.
    page.set_input_files("[name=file]", str(not_a_calendar))
    page.get_by_role("button", name="Read the invitation").click()
    page.get_by_text("This is not a calendar file (.ics)").wait_for()
    screenshot(page, "invitation-bad-file")

    page.set_input_files("[name=file]", str(invite))
    page.get_by_role("button", name="Read the invitation").click()
    page.get_by_role("heading", name="Check the interview before saving it").wait_for()
    assert not Interview.objects.exists()
    summary = page.locator("section").first.inner_text()
    assert "Tuesday 10 March 2026, 10:00–11:00 EDT (America/New_York)" in summary  # noqa: RUF001
    assert "Ana Ortiz" in summary and "Tom Weber" in summary
    selected = page.locator("[name=application] option:checked").inner_text()
    assert selected == "Backend engineer at Acme Robotics"
    screenshot(page, "invitation-confirm")
    page.set_viewport_size(PHONE)
    assert no_sideways_scroll(page)
    screenshot(page, "invitation-confirm-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Save the interview").click()
    page.get_by_text("Interview imported from the invitation.").wait_for()
    interview = Interview.objects.get()
    assert page.url.endswith(interview.get_absolute_url())
    for name in ("Ana Ortiz", "Tom Weber"):
        assert page.get_by_text(name).count() >= 1, name
    screenshot(page, "invitation-interview")
    page.set_viewport_size(PHONE)
    assert no_sideways_scroll(page)
    screenshot(page, "invitation-interview-phone")

    # The application page lists it with its interviewers.
    page.goto(interview.application.get_absolute_url())
    timeline = page.locator(f"#interview-{interview.pk}")
    assert "Ana Ortiz" in timeline.inner_text() and "Tom Weber" in timeline.inner_text()
    assert violations == []
