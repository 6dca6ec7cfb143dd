"""From a logged interview, the user opens the thank-you draft, checks it and sends it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Note
from outreach.models import Draft, Outreach
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from tests.browser.support import log_in
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def logged_interview():
    user = UserFactory(email="robin@seeker.example", full_name="Robin Fischer")
    application = ApplicationFactory(
        user=user, company__name="Acme Robotics", role="Senior backend engineer"
    )
    contact = ContactFactory(
        user=user,
        company=application.company,
        name="Ana Ortiz",
        email="ana@acme.example",
        interests="Sailing",
    )
    interview = InterviewFactory(
        application=application,
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=2),
    )
    interview.interviewers.add(contact)
    NoteFactory(
        interview=interview,
        contact=contact,
        kind=Note.Kind.TOPIC,
        text="moving the order service to event sourcing",
        link="https://example.org/event-sourcing",
    )
    NoteFactory(interview=interview, contact=contact, kind=Note.Kind.SKILL, text="Postgres tuning")
    plan_apply(application=application)
    thank_you = Reminder.objects.get(user=user, kind=Reminder.Kind.THANK_YOU, contact=contact)
    return user, thank_you


def test_the_user_sends_the_thank_you_from_the_composer(page, live_server, screenshot):
    user, thank_you = logged_interview()
    log_in(page, user)

    page.goto(f"/tasks/compose/reminder/{thank_you.pk}/")
    page.get_by_role("heading", name="Write to Ana Ortiz").wait_for()
    assert page.input_value("[name=subject]").startswith("Thank you for our conversation on ")
    body = page.input_value("[name=body]")
    assert body.startswith("Hi Ana,")
    assert "moving the order service to event sourcing" in body
    checklist = page.locator("#checklist")
    assert "Mentions a topic you discussed" in checklist.inner_text()
    assert "left before the thank-you deadline" in checklist.inner_text()

    # Typing autosaves; the checklist follows the text.
    page.locator("[name=body]").press("Control+End")
    page.locator("[name=body]").type("\n\nP.S. Enjoy the sailing this weekend!")
    page.get_by_text(re.compile(r"^Saved \d\d:\d\d:\d\d$")).wait_for()
    assert "Leave their personal interests out" in checklist.inner_text()
    assert "Enjoy the sailing this weekend!" in Draft.objects.get().body
    page.fill("[name=body]", body)
    page.get_by_text(re.compile(r"^Saved \d\d:\d\d:\d\d$")).wait_for()
    page.get_by_text("Keeps to the job, not their hobbies").wait_for()
    mailto = page.locator("#mailto-link")
    mailto.wait_for()
    assert mailto.get_attribute("href").startswith("mailto:ana@acme.example?subject=Thank%20you")

    screenshot(page, "composer", readme=True)
    page.set_viewport_size(PHONE)
    screenshot(page, "composer-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Send through Followup").click()
    page.get_by_text("Sent to Ana Ortiz.").wait_for()
    outreach = Outreach.objects.get()
    assert outreach.delivery == Outreach.Delivery.SENT
    assert outreach.subject.startswith("Thank you for our conversation")

    # The task is done, and the email is on the application's follow-up timeline.
    page.goto(f"/tasks/{thank_you.pk}/")
    item = page.locator(f"#outreach-{outreach.pk}")
    assert "Email to Ana Ortiz" in item.inner_text()
    assert outreach.subject in item.inner_text()
    thank_you.refresh_from_db()
    assert thank_you.state == Reminder.State.DONE
