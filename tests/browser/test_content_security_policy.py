"""Every main page under the strict Content-Security-Policy, in the real browser.

Chromium enforces the header each page is served with and reports anything it blocks as a
``securitypolicyviolation`` event; the test collects those from every page it opens and
fails on any. It also uses each page's script (a logging form loaded in place by htmx, the
interviewer card added in place, the composer's autosave and note snippets, select-on-focus,
the time zone guessed at sign-up), so a script the policy blocked would show as a missing
behaviour too.
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
from tests.browser.support import log_in, watch_csp_violations
from tests.factories import ApplicationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Saved \d\d:\d\d:\d\d$")
REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy_of(response) -> dict[str, str]:
    header = response.headers.get("content-security-policy", "")
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def visit(page, path: str) -> None:
    """Open ``path`` and check the policy it was served with."""
    response = page.goto(path)
    assert response.status == 200, path
    policy = policy_of(response)
    for directive, value in REQUIRED.items():
        assert policy.get(directive) == value, (path, directive, policy)
    assert "unsafe-inline" not in policy.get("script-src", "") + policy.get("style-src", "")


@pytest.fixture
def seeker(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "followup_site.mailbox.CapturedMailBackend"
    user = UserFactory(
        email="jordan@example.com",
        full_name="Jordan Rivera",
        timezone="Europe/Berlin",
        quiet_hours_start=time(0, 0),
        quiet_hours_end=time(0, 0),
    )
    application = ApplicationFactory(user=user, company__name="Acme Robotics", role="SRE")
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
                email="dana@acme.example",
                notes=[
                    NoteDraft(kind=Note.Kind.TOPIC, text="Their move to event sourcing"),
                    NoteDraft(kind=Note.Kind.SKILL, text="My SQL tuning story"),
                ],
            )
        ],
    )
    # The reminder email, captured, for the mail viewer's HTML view.
    assert sweep_run(now=timezone.now() + timedelta(minutes=5)).sent >= 1
    return user


def test_no_page_breaks_the_content_security_policy_and_every_script_still_works(page, seeker):
    violations = watch_csp_violations(page.context)
    application = seeker.applications.get()
    thank_you = Reminder.objects.get(user=seeker, kind=Reminder.Kind.THANK_YOU)

    # Sign-up: its script fills in the browser's time zone.
    visit(page, "/accounts/signup/")
    assert page.input_value("#id_timezone") != ""
    visit(page, "/accounts/login/")
    log_in(page, seeker)

    visit(page, "/")
    page.get_by_text("SRE").first.wait_for()

    # The application page: "I sent it" loads its form in place (htmx, followup.js).
    visit(page, f"/applications/{application.pk}/")
    page.get_by_role("button", name="I sent it").first.click()
    page.locator('#log-form form[data-what="sent"]').wait_for()
    assert page.get_attribute('button[value="sent"]', "aria-expanded") == "true"
    assert page.url.endswith(f"/applications/{application.pk}/")

    # The interview form adds an interviewer card in place, without a round trip.
    visit(page, f"/applications/{application.pk}/interviews/new/")
    url = page.url
    page.get_by_role("button", name="+ Add another interviewer").click()
    page.locator("[name=interviewers-1-name]").wait_for()
    assert page.url == url

    # The composer: the note snippets get their Insert buttons, and typing autosaves.
    visit(page, f"/tasks/compose/reminder/{thank_you.pk}/")
    page.get_by_role("heading", name="Write to Dana Scully").wait_for()
    if page.locator("[data-snippet]").count():
        page.locator("[data-snippet]").first.wait_for(state="visible")
    page.locator("[name=body]").press("Control+End")
    page.locator("[name=body]").type("\n\nThanks again!")
    page.get_by_text(SAVED).wait_for()

    visit(page, "/outreach/drafts/")
    page.get_by_text("Dana Scully").first.wait_for()
    visit(page, "/tasks/")
    page.locator(f"#task-{thank_you.pk}").wait_for()

    # Settings: the calendar address selects itself on focus, ready to copy.
    visit(page, "/accounts/settings/")
    feed = page.locator("#calendar-feed-url")
    feed.focus()
    assert page.evaluate(
        "() => { const f = document.activeElement;"
        " return f.selectionStart === 0 && f.selectionEnd === f.value.length"
        " && f.value.length > 0; }"
    )

    # The captured-mail viewer, with the reminder's HTML part in its sandboxed frame.
    visit(page, "/mail/")
    page.get_by_role("link", name=re.compile("Dana Scully")).first.click()
    page.frame_locator("iframe.mail-frame").get_by_role("link", name="Mark done").wait_for()

    assert violations == []
