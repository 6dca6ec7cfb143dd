"""The follow-up panel's "Log what happened" in real Chromium: with htmx, and without JavaScript.

With JavaScript each button loads its one form into the panel (htmx, static/js/followup.js);
without, the same button opens the form on a page of its own. Both go through the same URL
and the same checks. Each test with JavaScript watches for Content-Security-Policy
violations: the behaviour is wired by data attributes, with no inline script.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from outreach.models import Outreach
from tests.browser.accessibility import axe_violations, sideways_scroll
from tests.browser.support import log_in, watch_csp_violations
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def seeker(live_server):
    return UserFactory(email="jordan@example.com", full_name="Jordan Rivera")


def an_application_with_dana(user):
    application = ApplicationFactory(
        user=user, company__name="Acme Robotics", role="Senior backend engineer"
    )
    dana = ContactFactory(
        user=user, company=application.company, name="Dana Scully", job_title="Head of platform"
    )
    ended = timezone.now() - timedelta(days=2)
    InterviewFactory(
        application=application, starts_at=ended - timedelta(hours=1), ends_at=ended
    ).interviewers.add(dana)
    return application, dana


def expanded(page) -> dict[str, str]:
    """aria-expanded of each of the three buttons, by the form it opens."""
    return page.evaluate(
        """() => Object.fromEntries(
          [...document.querySelectorAll("[data-log-picker] button[name=what]")]
            .map((b) => [b.value, b.getAttribute("aria-expanded")]))"""
    )


def test_from_the_keyboard_a_form_opens_closes_another_opens_and_a_reply_is_logged(
    page, seeker, screenshot
):
    violations = watch_csp_violations(page.context)
    application, dana = an_application_with_dana(seeker)
    log_in(page, seeker)
    page.goto(f"/applications/{application.pk}/")
    url = page.url
    sent = page.get_by_role("button", name="I sent it")
    called = page.get_by_role("button", name="I called")
    replied = page.get_by_role("button", name="They replied")
    slot = page.locator("#log-form")
    assert slot.locator("form").count() == 0
    assert expanded(page) == {"sent": "false", "call": "false", "reply": "false"}

    # Enter on "I sent it" loads its form in place; the keyboard moves to its first field.
    sent.focus()
    page.keyboard.press("Enter")
    slot.locator('form[data-what="sent"]').wait_for()
    expect(slot.locator("[name=sent-channel]").first).to_be_focused()
    assert expanded(page) == {"sent": "true", "call": "false", "reply": "false"}
    assert page.url == url
    assert slot.locator("select[name=sent-contact] option:checked").inner_text() == (
        "Someone else / not sure"
    )
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert sideways_scroll(page) == []
    screenshot(page, "follow-up-panel-sent-phone")
    page.set_viewport_size(WIDE)

    # Its button again (Space, this time) closes it, and the keyboard stays on the button.
    sent.focus()
    page.keyboard.press("Space")
    slot.locator("form").wait_for(state="detached")
    assert expanded(page) == {"sent": "false", "call": "false", "reply": "false"}
    expect(sent).to_be_focused()

    # "I called" opens its form; "They replied", pressed while it is open, takes its place.
    called.focus()
    page.keyboard.press("Enter")
    expect(slot.locator("[name=call-call_outcome]").first).to_be_focused()
    assert expanded(page) == {"sent": "false", "call": "true", "reply": "false"}
    replied.focus()
    page.keyboard.press("Enter")
    slot.locator('form[data-what="reply"]').wait_for()
    assert slot.locator("form").count() == 1
    assert expanded(page) == {"sent": "false", "call": "false", "reply": "true"}

    # Cancel closes it and hands the keyboard back to its button; Enter opens it again.
    slot.get_by_role("button", name="Cancel").focus()
    page.keyboard.press("Enter")
    slot.locator("form").wait_for(state="detached")
    assert expanded(page)["reply"] == "false"
    expect(replied).to_be_focused()
    page.keyboard.press("Enter")
    expect(slot.locator("[name=reply-channel]").first).to_be_focused()

    slot.get_by_label("Phone call").check()
    slot.locator("[name=reply-contact]").select_option(str(dana.pk))
    slot.locator("[name=reply-body]").fill("Happy to talk on Friday")
    slot.get_by_role("button", name="Log their reply").focus()
    page.keyboard.press("Enter")

    page.get_by_text("Reply logged.").wait_for()
    assert page.url == url
    page.locator(".timeline").get_by_text("Happy to talk on Friday").wait_for()
    outreach = Outreach.objects.get(user=seeker)
    assert (outreach.direction, outreach.channel, outreach.contact) == (
        Outreach.Direction.INCOMING,
        Outreach.Channel.CALL,
        dana,
    )
    assert violations == [], "\n".join(violations)


def test_without_javascript_a_call_is_logged_from_the_application_page(
    browser, live_server, client_for, seeker, screenshot
):
    application, dana = an_application_with_dana(seeker)
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=WIDE
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        session = client_for(seeker).cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page.goto(f"/applications/{application.pk}/")
        back = page.url

        # A button opens its form on a page of its own; Cancel comes back, nothing logged.
        page.get_by_role("button", name="They replied").click()
        page.get_by_role("heading", name="Log their reply").wait_for()
        page.get_by_role("link", name="Cancel").click()
        page.get_by_role("heading", name="Senior backend engineer").wait_for()
        assert page.url == back

        page.get_by_role("button", name="I called").click()
        page.get_by_role("heading", name="Log a call").wait_for()
        assert re.search(r"/outreach/\?.*what=call", page.url)
        page.get_by_label("Left a voicemail").check()
        page.locator("[name=call-contact]").select_option(str(dana.pk))
        page.fill("[name=call-body]", "Left my number and the role")
        screenshot(page, "log-a-call-without-javascript")
        page.get_by_role("button", name="Log the call").click()

        page.get_by_text("Call logged.").wait_for()
        assert page.url == back
        page.locator(".timeline").get_by_text("Left my number and the role").wait_for()
        outreach = Outreach.objects.get(user=seeker)
        assert (outreach.channel, outreach.call_outcome, outreach.contact) == (
            Outreach.Channel.CALL,
            Outreach.CallOutcome.VOICEMAIL,
            dana,
        )
    finally:
        context.close()
