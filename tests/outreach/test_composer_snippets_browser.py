"""In the browser: a draft with a blank, the notes beside it, and one click to put a note in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Note
from outreach.models import Draft
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from tests.browser.support import log_in
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 812}
SAVED = re.compile(r"^Saved \d\d:\d\d:\d\d$")


def interview_noted_on_a_phone():
    """A thank-you to write after an interview whose topics were noted the way people do."""
    user = UserFactory(email="robin@seeker.example", full_name="Robin Fischer")
    application = ApplicationFactory(
        user=user, company__name="Acme Robotics", role="backend engineer"
    )
    ana = ContactFactory(
        user=user, company=application.company, name="Dr. Ana Ortiz", email="ana@acme.example"
    )
    interview = InterviewFactory(
        application=application,
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=2),
    )
    interview.interviewers.add(ana)
    note = Note.objects.create
    note(
        interview=interview,
        contact=ana,
        kind=Note.Kind.TOPIC,
        text="Their migration to Kafka https://example.org/kafka-migration",
        link="https://example.org/kafka-migration",
    )
    note(interview=interview, contact=ana, kind=Note.Kind.TOPIC, text="The CAP theorem")
    note(interview=interview, contact=ana, kind=Note.Kind.SKILL, text="Postgres tuning")
    note(interview=interview, contact=ana, kind=Note.Kind.INTEREST, text="Sailing")
    note(
        interview=interview,
        contact=ana,
        kind=Note.Kind.ANSWER_TO_FIX,
        text="I rambled and never gave a concrete example",
        question="How would you shard the orders table?",
    )
    plan_apply(application=application)
    return user, Reminder.objects.get(user=user, kind=Reminder.Kind.THANK_YOU, contact=ana)


def test_a_note_goes_into_the_blank_with_one_click(page, live_server, screenshot):
    user, thank_you = interview_noted_on_a_phone()
    log_in(page, user)

    page.goto(f"/tasks/compose/reminder/{thank_you.pk}/")
    page.get_by_role("heading", name="Write to Dr. Ana Ortiz").wait_for()
    body = page.locator("[name=body]")
    assert (
        "I especially enjoyed our discussion of [the topic you discussed]; it has stayed on my "
        "mind since" in body.input_value()
    )
    assert "I was glad that my experience with Postgres tuning came up." in body.input_value()
    checklist = page.locator("#checklist")
    assert "Still to replace: [the topic you discussed]." in checklist.inner_text()
    snippets = page.locator("#snippets")
    assert "Their migration to Kafka" in snippets.inner_text()
    assert "I rambled" not in page.content()
    screenshot(page, "composer-snippets")
    page.set_viewport_size(NARROW)
    screenshot(page, "composer-snippets-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    page.set_viewport_size(DESKTOP)

    # Before the user has clicked into the message, Insert takes the place of its blank.
    snippets.get_by_role("button", name="Insert “Their migration to Kafka”").click()
    text = body.input_value()
    assert "our discussion of Their migration to Kafka; it has stayed" in text
    # The user makes it theirs: "Their" becomes "your".
    start = text.index("Their migration")
    body.evaluate(f"(area) => area.setSelectionRange({start}, {start + len('Their')})")
    page.keyboard.type("your")

    # Elsewhere, Insert puts the note in at the cursor.
    body.press("Control+End")
    body.type("\n\nP.S. Here is the article on it: ")
    snippets.get_by_role("button", name=re.compile("^Insert link")).click()
    page.get_by_text(SAVED).wait_for()
    page.get_by_text("Every blank is filled in").wait_for()

    saved = Draft.objects.get().body
    assert "I especially enjoyed our discussion of your migration to Kafka; it has" in saved
    assert saved.endswith("P.S. Here is the article on it: https://example.org/kafka-migration")
    screenshot(page, "composer-snippets-filled")
