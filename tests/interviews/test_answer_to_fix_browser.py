"""On a phone and without JavaScript: an answer to fix, its question and what to say now."""

from __future__ import annotations

import pytest

from interviews.models import Note
from tests.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_an_answer_to_fix_is_logged_on_a_phone_without_javascript(
    browser, live_server, client_for, user, screenshot
):
    application = ApplicationFactory(user=user, company__name="Acme Robotics")
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=PHONE
    )
    try:
        page = context.new_page()
        session = client_for(user).cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page.goto(f"/applications/{application.pk}/interviews/new/")
        page.fill("[name=date]", "2025-06-03")
        page.fill("[name=start_time]", "10:00")
        page.fill("[name=end_time]", "11:00")
        page.fill("[name=interviewers-0-name]", "Dr. Ana Ortiz")
        page.fill("[name=interviewers-0-answers_to_fix]", "I rambled and gave no example")
        card = page.locator(".interviewer-card").first
        card.get_by_text("Their question and what you would say now").click()
        page.fill("[name=interviewers-0-fix_question]", "How would you shard the orders table?")
        page.fill(
            "[name=interviewers-0-fix_better_answer]",
            "By customer ID: almost every query stays within one customer.",
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, "log-interview-answer-to-fix-phone")
        page.get_by_role("button", name="Save interview").last.click()
        page.get_by_text("Interview saved.").wait_for()

        note = Note.objects.get(kind=Note.Kind.ANSWER_TO_FIX)
        assert (note.text, note.question, note.better_answer) == (
            "I rambled and gave no example",
            "How would you shard the orders table?",
            "By customer ID: almost every query stays within one customer.",
        )
        page.goto(note.interview.get_absolute_url())
        page.get_by_text("Their question: How would you shard the orders table?").wait_for()
        screenshot(page, "interview-answer-to-fix-phone")
    finally:
        context.close()
