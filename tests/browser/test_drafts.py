"""The user leaves a half-written thank-you, finds it on the drafts page and picks it up again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from outreach.models import Draft, Occasion
from tests.browser.support import log_in
from tests.browser.test_compose import logged_interview
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def older_drafts(user) -> None:
    """A failed send and one whose outcome the user must check, saved earlier."""
    application = ApplicationFactory(user=user, company__name="Globex", role="Platform engineer")
    bo = ContactFactory(user=user, company=application.company, name="Bo Chen", email="")
    lee = ContactFactory(user=user, company=application.company, name="Dr. Lee Park")
    for contact, state, subject, hours in (
        (lee, Draft.SendState.UNCERTAIN, "Following up on the platform role", 5),
        (bo, Draft.SendState.FAILED, "Checking in about the platform role", 30),
    ):
        draft = Draft.objects.create(
            user=user,
            application=application,
            contact=contact,
            occasion=Occasion.CHECK_IN,
            subject=subject,
            body="Hi,\n\nI hope the launch went well.",
            send_state=state,
            send_error="Bo Chen has no email address yet." if contact == bo else "",
        )
        Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(hours=hours))


def test_a_draft_left_half_written_is_found_on_the_drafts_page(page, live_server, screenshot):
    user, thank_you = logged_interview()
    older_drafts(user)
    log_in(page, user)

    page.goto(f"/tasks/{thank_you.pk}/")
    page.get_by_role("link", name="Write the email").click()
    # Type once the composer's script listens: the textarea is parsed before the scripts at
    # the end of the page run, and on a loaded machine a fill could come first and be missed.
    page.wait_for_url(re.compile(r"/compose/"))
    # One input event, as a paste would make: autosave fires once, two seconds later.
    body = page.input_value("[name=body]")
    page.fill("[name=body]", body + "\n\nP.S. Thanks again for the tour.")
    page.get_by_text(re.compile(r"^Saved \d\d:\d\d:\d\d$")).wait_for(timeout=30_000)

    page.get_by_role("link", name="Drafts", exact=True).click()
    page.get_by_role("heading", name="Drafts").wait_for()
    rows = page.locator("[data-send-state]")
    assert rows.count() == 3
    # Last saved first: the thank-you just typed, then the send to check, then the failed one.
    assert "Thank you for our conversation" in rows.nth(0).inner_text()
    assert "Ana Ortiz" in rows.nth(0).inner_text()
    assert "Check: did it go out?" in rows.nth(1).inner_text()
    assert "Not sent: failed" in rows.nth(2).inner_text()
    assert "One message needs checking" in page.inner_text("main")
    screenshot(page, "drafts")
    page.set_viewport_size(PHONE)
    screenshot(page, "drafts-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)

    rows.nth(0).get_by_role("link", name=re.compile("^Resume")).click()
    page.get_by_role("heading", name="Write to Ana Ortiz").wait_for()
    assert page.input_value("[name=body]").endswith("P.S. Thanks again for the tour.")

    # The task page shows it too, and "Write the email" comes back to the same text.
    page.goto(f"/tasks/{thank_you.pk}/")
    assert "Thank you for our conversation" in page.inner_text("#open-drafts")
    screenshot(page, "drafts-on-task")
    page.get_by_role("link", name="Write the email").click()
    page.get_by_role("heading", name="Write to Ana Ortiz").wait_for()
    assert page.input_value("[name=body]").endswith("P.S. Thanks again for the tour.")
    assert Draft.objects.filter(user=user, reminder=thank_you).count() == 1
