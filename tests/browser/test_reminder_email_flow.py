"""From an interview to a done thank-you: the task list, the reminder email and its link.

The user logs in, finds the thank-you task the interview created, gets the reminder email
from a real sweep, opens it in the captured-mail reader, follows its "Mark done" link,
confirms, and sees the task done on the task list.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from interviews.models import Note
from interviews.services import InterviewerDraft, NoteDraft, interview_log
from reminders.models import Reminder
from reminders.services.sweep import sweep_run
from tests.browser.support import log_in
from tests.factories import ApplicationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def seeker(settings, live_server):
    # Links in the email must point at the server the browser talks to.
    settings.SITE_URL = live_server.url
    # The test runner swaps in the in-memory backend; the reader at /mail/ reads files.
    settings.EMAIL_BACKEND = "followup_site.mailbox.CapturedMailBackend"
    return UserFactory(
        email="jordan@example.com",
        full_name="Jordan Rivera",
        timezone="Europe/Berlin",
        # No quiet hours, so the sweep sends now whatever the hour the suite runs at.
        quiet_hours_start=time(0, 0),
        quiet_hours_end=time(0, 0),
    )


def an_interview_that_ended_an_hour_ago(user) -> None:
    application = ApplicationFactory(
        user=user, company__name="Acme Robotics", role="Senior backend engineer"
    )
    ended = timezone.now() - timedelta(hours=1)
    interview_log(
        user=user,
        application=application,
        starts_at=ended - timedelta(hours=1),
        ends_at=ended,
        timezone_name="Europe/Berlin",
        interviewers=[
            InterviewerDraft(
                name="Dana Scully",
                job_title="Head of platform",
                email="dana@acme.example",
                notes=[
                    NoteDraft(kind=Note.Kind.TOPIC, text="Their move to event sourcing"),
                    NoteDraft(kind=Note.Kind.SKILL, text="My SQL tuning story"),
                    NoteDraft(kind=Note.Kind.INTEREST, text="Sailing on weekends"),
                ],
            )
        ],
    )


def test_a_thank_you_is_marked_done_from_the_reminder_email(page, seeker, screenshot):
    an_interview_that_ended_an_hour_ago(seeker)
    thank_you = Reminder.objects.get(user=seeker, kind=Reminder.Kind.THANK_YOU)
    log_in(page, seeker)

    # Add a reminder of one's own through the form, so the list shows both kinds.
    page.get_by_role("link", name="Tasks").first.click()
    page.get_by_role("link", name="Add a reminder").click()
    page.fill("[name=title]", "Send Dana the event-sourcing article")
    due = (timezone.now() + timedelta(days=3)).astimezone(seeker.zone)
    page.fill("[name=due_at]", due.strftime("%Y-%m-%dT09:30"))
    page.get_by_role("button", name="Add reminder").click()
    page.get_by_role("heading", name="Send Dana the event-sourcing article").wait_for()

    page.goto("/tasks/")
    # Due 24 h after the interview: today or tomorrow, depending on the hour in Berlin.
    page.locator(f"#task-{thank_you.pk}").get_by_role("link", name=thank_you.title).wait_for()
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Upcoming"))
    upcoming.get_by_role("link", name="Send Dana the event-sourcing article").wait_for()
    screenshot(page, "tasks", readme=True)
    page.set_viewport_size(PHONE)
    screenshot(page, "tasks-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    result = sweep_run(now=timezone.now() + timedelta(minutes=5))
    assert result.sent >= 1
    thank_you.refresh_from_db()
    assert thank_you.state == Reminder.State.NOTIFIED

    page.goto("/mail/")
    page.get_by_role("link", name=re.compile("Dana Scully")).first.click()
    mail = page.frame_locator("iframe.mail-frame")
    mail.get_by_role("link", name="Mark done").wait_for()
    screenshot(page, "reminder-email", readme=True)

    mail.get_by_role("link", name="Mark done").click()
    page.wait_for_url(re.compile(r"/tasks/act/"))
    page.get_by_role("heading", name="Mark this task as done?").wait_for()
    screenshot(page, "reminder-email-confirm")
    thank_you.refresh_from_db()
    assert thank_you.state == Reminder.State.NOTIFIED  # the link alone changes nothing

    page.get_by_role("button", name="Mark done").click()
    page.get_by_text(re.compile("done", re.IGNORECASE)).first.wait_for()
    thank_you.refresh_from_db()
    assert thank_you.state == Reminder.State.DONE

    page.goto("/tasks/")
    done = page.locator("section", has=page.get_by_role("heading", name="Recently done"))
    done.locator(f"#task-{thank_you.pk}").get_by_text("Done", exact=True).wait_for()
    assert page.locator(f"#task-{thank_you.pk}").count() == 1
    screenshot(page, "tasks-after-done")


def test_a_call_is_logged_from_the_task_page_and_shows_in_the_timeline(page, seeker, screenshot):
    an_interview_that_ended_an_hour_ago(seeker)
    follow_up = Reminder.objects.filter(user=seeker, kind=Reminder.Kind.FOLLOW_UP).first()
    assert follow_up is not None
    log_in(page, seeker)

    page.goto(f"/tasks/{follow_up.pk}/")
    page.get_by_role("heading", name=follow_up.title).wait_for()
    page.get_by_text("Their move to event sourcing").wait_for()
    assert page.get_by_text("Sailing on weekends").count() == 0
    page.get_by_role("button", name="I called").click()
    page.locator('#log-form form[data-what="call"]').wait_for()
    page.get_by_label("Left a voicemail").check()
    page.fill("[name=call-body]", "Left my number and the role")
    screenshot(page, "task-detail")
    page.get_by_role("button", name="Log the call").click()

    page.get_by_text("Call logged.").wait_for()
    timeline = page.locator(".timeline")
    timeline.get_by_text("Left a voicemail").wait_for()
    timeline.get_by_text("Left my number and the role").wait_for()
    page.set_viewport_size(PHONE)
    screenshot(page, "task-detail-phone")
