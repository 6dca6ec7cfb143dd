"""A new user signs up, adds an application and logs an interview with two interviewers."""

from __future__ import annotations

import re

import pytest

from interviews.models import Interview, Note
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def sign_up(page) -> None:
    page.goto("/accounts/signup/")
    page.fill("[name=email]", "jordan@example.com")
    page.fill("[name=full_name]", "Jordan Rivera")
    page.fill("[name=password1]", "a-long-and-unusual-passphrase-42")
    page.fill("[name=password2]", "a-long-and-unusual-passphrase-42")
    page.get_by_role("button", name="Create account").click()
    # Sign-up logs nobody in (that would tell whether the address was new): log in.
    page.get_by_role("heading", name="Check your email").wait_for()
    page.get_by_role("link", name="Log in").click()
    page.fill("[name=username]", "jordan@example.com")
    page.fill("[name=password]", "a-long-and-unusual-passphrase-42")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def add_application(page) -> None:
    page.get_by_role("link", name="Add your first application").click()
    page.fill("[name=company_name]", "Acme Robotics")
    page.fill("[name=role]", "Senior backend engineer")
    page.fill("[name=posting_url]", "https://jobs.acme.example/123")
    page.get_by_role("button", name="Save application").click()
    page.get_by_role("heading", name="Senior backend engineer").wait_for()


def fill_interviewer(page, index: int, fields: dict[str, str]) -> None:
    for name, value in fields.items():
        page.fill(f"[name=interviewers-{index}-{name}]", value)


def test_a_new_user_logs_an_interview_with_two_interviewers(page, live_server, screenshot):
    sign_up(page)
    page.get_by_text("Add your first application").wait_for()
    screenshot(page, "dashboard-empty")
    add_application(page)

    page.get_by_role("link", name="Log an interview").click()
    page.fill("[name=date]", "2025-05-06")
    page.fill("[name=start_time]", "10:00")
    page.fill("[name=end_time]", "11:15")
    page.select_option("[name=timezone]", "Europe/Berlin")
    page.get_by_label("On-site").check()
    page.fill("[name=location]", "Acme HQ, 3rd floor")
    fill_interviewer(
        page,
        0,
        {
            "name": "Dana Scully",
            "job_title": "Head of platform",
            "email": "dana@acme.example",
            "topics": "Their move to event sourcing\nA study: https://research.example/es",
            "interests": "Sailing on weekends",
            "skills": "My SQL tuning story",
            "answers_to_fix": "I blanked on the CAP theorem question",
        },
    )
    page.get_by_role("button", name="+ Add another interviewer").click()
    page.locator("[name=interviewers-1-name]").wait_for()
    fill_interviewer(
        page,
        1,
        {
            "name": "Fox Mulder",
            "job_title": "Staff engineer",
            "questions": "How do you handle on-call?",
            "follow_up_not_before": "2025-05-20",
            "follow_up_preference": "Email him after the team offsite",
        },
    )
    page.fill("[name=general_notes]", "Team of eight; hiring two")
    screenshot(page, "log-interview", readme=True)
    page.set_viewport_size(PHONE)
    screenshot(page, "log-interview-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Save interview").last.click()
    page.get_by_text("Interview saved.").wait_for()

    interview = Interview.objects.get()
    assert sorted(interview.interviewers.values_list("name", flat=True)) == [
        "Dana Scully",
        "Fox Mulder",
    ]
    assert interview.notes.get(text__startswith="A study").link == "https://research.example/es"
    assert interview.notes.get(kind=Note.Kind.FOLLOW_UP).contact.name == "Fox Mulder"

    timeline = page.locator(f"#interview-{interview.pk}")
    for text in (
        "Dana Scully",
        "Fox Mulder",
        "Their move to event sourcing",
        "Sailing on weekends",
        "I blanked on the CAP theorem question",
        "Email him after the team offsite",
        "Team of eight; hiring two",
    ):
        assert timeline.get_by_text(text).count() >= 1, text
    screenshot(page, "application")
    timeline.get_by_role("link", name="Tuesday 6 May 2025").click()
    page.get_by_role("heading", name="On-site interview").wait_for()
    screenshot(page, "interview")
    page.go_back()
    page.set_viewport_size(PHONE)
    screenshot(page, "application-phone")
    page.set_viewport_size(DESKTOP)

    page.goto("/")
    card = page.locator(f"[data-application='{interview.application_id}']")
    assert "Senior backend engineer" in card.inner_text()
    assert "Acme Robotics" in card.inner_text()
    # On the board, in the Interviewing column, its last contact counted in days.
    column = page.locator(".board-list[data-stage='interviewing']")
    assert column.locator(f"[data-application='{interview.application_id}']").count() == 1
    assert "Last contact" in card.inner_text()
    screenshot(page, "dashboard", readme=True)
    page.set_viewport_size(PHONE)
    screenshot(page, "dashboard-first-interview-phone")

    # The thank-you, next on the card, opens the composer in one tap.
    card.get_by_role("link", name=re.compile("Thank Dana Scully")).click()
    page.get_by_role("heading", name="Write to Dana Scully").wait_for()


def test_without_javascript_cards_can_be_added_and_mistakes_are_shown_in_place(
    browser, live_server, client_for, user, screenshot
):
    application = ApplicationFactory(user=user)
    known = ContactFactory(user=user, company=application.company, name="Walter Skinner")
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=DESKTOP
    )
    try:
        page = context.new_page()
        session = client_for(user).cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page.goto(f"/applications/{application.pk}/interviews/new/")
        page.fill("[name=start_time]", "09:00")
        page.fill("[name=end_time]", "10:00")
        page.fill("[name=interviewers-0-name]", "Dana Scully")
        page.get_by_role("button", name="+ Add another interviewer").click()
        page.locator("[name=interviewers-1-name]").wait_for()
        assert page.input_value("[name=interviewers-0-name]") == "Dana Scully"
        page.select_option("[name=interviewers-1-contact]", str(known.pk))
        page.fill("[name=interviewers-1-topics]", "Budget for the new team")
        page.fill("[name=end_time]", "08:30")
        page.get_by_role("button", name="Save interview").last.click()
        page.get_by_text("The end has to be after the start.").wait_for()
        assert page.input_value("[name=interviewers-1-topics]") == "Budget for the new team"
        assert page.input_value("[name=interviewers-1-contact]") == str(known.pk)
        screenshot(page, "log-interview-errors")
        page.fill("[name=end_time]", "10:00")
        page.get_by_role("button", name="Save interview").last.click()
        page.get_by_text("Interview saved.").wait_for()
        interview = application.interviews.get()
        assert set(interview.interviewers.values_list("name", flat=True)) == {
            "Dana Scully",
            "Walter Skinner",
        }
    finally:
        context.close()
