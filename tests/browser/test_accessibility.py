"""Every main page, on a laptop and on a phone, in the light and the dark theme.

For each page in PAGES, at 1280 and 375 px wide and in both colour schemes: axe-core finds
no serious or critical violation; at 375 px the page does not scroll sideways and every tap
target is at least 44 px (with the menu open, so its links count too). Once per page, at
1280 px in the light theme, Tab reaches every control and each one shows where focus is.
One test per mode: a job search is seeded four times, not once per page and mode.

To check a new page, add one line to PAGES: a name and a function from the seeded data to
its path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import Application, Interview, Note
from interviews.services import InterviewerDraft, NoteDraft, interview_log
from outreach.models import Draft, Occasion, Outreach
from outreach.services.drafts import draft_create
from outreach.services.timeline import outreach_record
from reminders.models import Reminder
from tests.browser.accessibility import (
    axe_violations,
    keyboard_focus_problems,
    sideways_scroll,
    small_tap_targets,
)
from tests.conftest import ARTIFACTS
from tests.factories import ApplicationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
MODES = (
    ("desktop-light", DESKTOP, "light"),
    ("desktop-dark", DESKTOP, "dark"),
    ("phone-light", PHONE, "light"),
    ("phone-dark", PHONE, "dark"),
)


@dataclass(frozen=True)
class Seeded:
    user: object
    application: Application
    interview: Interview
    thank_you: Reminder

    @property
    def log_url(self) -> str:
        return reverse("reminders:outreach_log", args=[self.application.pk])


@dataclass(frozen=True)
class Page:
    name: str
    path: Callable[[Seeded], str]
    logged_in: bool = True


# The pages checked, in one place: one line per page.
PAGES = (
    Page("dashboard", lambda s: "/"),
    Page("application-list", lambda s: "/applications/"),
    Page("application", lambda s: f"/applications/{s.application.pk}/"),
    Page("interview-new", lambda s: f"/applications/{s.application.pk}/interviews/new/"),
    Page("interview-edit", lambda s: f"/interviews/{s.interview.pk}/edit/"),
    Page("tasks", lambda s: "/tasks/"),
    Page("composer", lambda s: f"/tasks/compose/reminder/{s.thank_you.pk}/"),
    Page("task", lambda s: f"/tasks/{s.thank_you.pk}/"),
    # The follow-up panel's "I sent it" without JavaScript: the form on a page of its own.
    Page("outreach-log", lambda s: f"{s.log_url}?what=sent&reminder={s.thank_you.pk}"),
    Page("interview", lambda s: f"/interviews/{s.interview.pk}/"),
    Page("contacts", lambda s: "/contacts/"),
    Page("contact", lambda s: f"/contacts/{s.thank_you.contact_id}/"),
    Page("drafts", lambda s: "/outreach/drafts/"),
    Page("search", lambda s: "/search/?q=answer"),
    Page("stats", lambda s: "/stats/"),
    Page("invitation-import", lambda s: "/invitations/"),
    Page("contact-import", lambda s: "/contacts/import/"),
    Page("settings", lambda s: "/accounts/settings/"),
    Page("login", lambda s: "/accounts/login/", logged_in=False),
    Page("signup", lambda s: "/accounts/signup/", logged_in=False),
)

# Pages whose full-page screenshots are kept in test-artifacts/ in every mode, to look at:
# the main pages of a job search, at both widths and in both themes (not all of PAGES: a tall
# page's screenshot takes up to a second).
SCREENSHOTS = {
    "dashboard",
    "application",
    "interview-new",
    "tasks",
    "composer",
    "search",
    "stats",
}


def seed() -> Seeded:
    """A job search under way: four applications, a panel of four, notes, drafts, a reply."""
    user = UserFactory(email="sam.okafor@example.com", full_name="Sam Okafor")
    now = timezone.now()
    acme = ApplicationFactory(
        user=user,
        company__name="Acme Robotics",
        role="Senior platform engineer",
        posting_url="https://jobs.acme.example/platform-engineering/senior-platform-engineer",
    )
    globex = ApplicationFactory(user=user, company__name="Globex", role="Site reliability engineer")
    ApplicationFactory(
        user=user, company__name="Initech", role="Backend developer", stage="applied"
    )
    ApplicationFactory(
        user=user,
        company__name="Umbrella Health",
        role="Data engineer",
        stage="closed",
        closed_reason="rejected",
        closed_at=now - timedelta(days=3),
    )
    panel = [
        ("Ana Ortiz", "Engineering manager", "ana@acme.example", Note.Kind.TOPIC,
         "Their move from a monolith to event sourcing"),
        ("Dr. Lee Park", "Principal engineer", "lee@acme.example", Note.Kind.SKILL,
         "My Postgres tuning story"),
        ("Bo Chen", "Staff SRE", "", Note.Kind.ANSWER_TO_FIX,
         "Fumbled the question on rolling back a bad migration"),
        ("Maria Jose Garcia-Lopez", "Head of people", "maria@acme.example",
         Note.Kind.INTEREST, "Sails on weekends"),
    ]  # fmt: skip
    ended = now - timedelta(hours=3)
    interview = interview_log(
        user=user,
        application=acme,
        starts_at=ended - timedelta(hours=1),
        ends_at=ended,
        timezone_name="Europe/Berlin",
        location="Acme HQ, 4th floor, Invalidenstrasse 116, Berlin",
        interviewers=[
            InterviewerDraft(
                name=name,
                job_title=title,
                email=email,
                notes=[
                    NoteDraft(
                        kind=kind,
                        text=text,
                        link="https://example.org/event-sourcing" if kind == "topic" else "",
                        question="How do you roll back a migration?"
                        if kind == Note.Kind.ANSWER_TO_FIX
                        else "",
                        better_answer="Expand and contract, so nothing needs rolling back."
                        if kind == Note.Kind.ANSWER_TO_FIX
                        else "",
                    )
                ],
            )
            for name, title, email, kind, text in panel
        ],
        notes=[NoteDraft(kind=Note.Kind.QUESTION, text="They asked when I could start")],
    )
    interview_log(
        user=user,
        application=globex,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
        timezone_name="Europe/Berlin",
        interviewers=[InterviewerDraft(name="Priya Raman", email="priya@globex.example")],
    )
    contacts = {contact.name: contact for contact in interview.interviewers.all()}
    thank_you = Reminder.objects.filter(
        user=user, kind=Reminder.Kind.THANK_YOU, contact=contacts["Ana Ortiz"]
    ).get()
    draft_create(
        user=user,
        application=acme,
        contact=contacts["Ana Ortiz"],
        occasion=Occasion.THANK_YOU,
        subject="Thank you for our conversation",
        body="Hi Ana,\n\nThank you for walking me through the event-sourcing move.",
        reminder=thank_you,
        interview=interview,
    )
    failed = draft_create(
        user=user,
        application=acme,
        contact=contacts["Bo Chen"],
        occasion=Occasion.ANSWER_REPAIR,
        subject="A better answer on migrations",
        body="Hi Bo,\n\nI was nervous when you asked about rolling back a migration.",
        interview=interview,
    )
    Draft.objects.filter(pk=failed.pk).update(
        send_state=Draft.SendState.FAILED, send_error="Bo Chen has no email address yet."
    )
    outreach_record(
        user=user,
        application=globex,
        direction=Outreach.Direction.INCOMING,
        channel=Outreach.Channel.EMAIL,
        occurred_at=now - timedelta(hours=5),
        contact=Interview.objects.get(application=globex).interviewers.get(),
        subject="Re: Site reliability engineer",
        body="Thanks Sam, see you on Thursday.",
    )
    return Seeded(user=user, application=acme, interview=interview, thank_you=thank_you)


@pytest.fixture(scope="module")
def shared_page(browser, live_server):
    """One context and page for every page checked: a new browser context costs more than
    the page itself."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def logged_in_as(page, user, base_url: str) -> None:
    """Hand the browser a session of ``user`` (the login form has a test of its own)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def open_menu(page) -> None:
    """On a phone the menu folds behind its button; open it so its links are checked too."""
    toggler = page.locator(".navbar-toggler")
    if toggler.count() and toggler.is_visible():
        toggler.click()
        page.locator(".navbar-collapse.show").wait_for()


@pytest.mark.parametrize(("viewport", "scheme"), [m[1:] for m in MODES], ids=[m[0] for m in MODES])
def test_every_page_passes_axe_fits_a_phone_and_works_from_the_keyboard(
    viewport: dict[str, int], scheme: str, shared_page, live_server
):
    """One seeded job search per mode, every page in PAGES; all problems reported at once."""
    page = shared_page
    mode = next(name for name, v, s in MODES if v is viewport and s == scheme)
    seeded = seed()
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    problems: list[str] = []
    # Signed-in pages first, then the sign-in and sign-up pages as a visitor.
    for checked in sorted(PAGES, key=lambda p: not p.logged_in):
        page.context.clear_cookies()
        if checked.logged_in:
            logged_in_as(page, seeded.user, live_server.url)
        path = checked.path(seeded)
        response = page.goto(path)
        assert response.status == 200, (path, response.status)
        # The theme follows the system setting (prefers-color-scheme), emulated here.
        assert page.get_attribute("html", "data-bs-theme") == scheme, path
        if checked.name in SCREENSHOTS:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"a11y-{checked.name}-{mode}.png"), full_page=True)
        found = axe_violations(page)
        if viewport is PHONE:
            found += sideways_scroll(page)
            if scheme == "light":
                open_menu(page)
                found += small_tap_targets(page)
        elif scheme == "light":
            found += keyboard_focus_problems(page)
        problems += [f"{checked.name} ({path}): {problem}" for problem in found]
    assert problems == [], f"{mode}:\n" + "\n".join(problems)


def test_the_theme_follows_the_system_setting_while_the_page_is_open(shared_page, live_server):
    page = shared_page
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="light")
    page.goto("/accounts/login/")
    assert page.get_attribute("html", "data-bs-theme") == "light"
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")

    # The system turns dark (at sunset, say): the open page follows without a reload.
    page.emulate_media(color_scheme="dark")
    page.locator("html[data-bs-theme=dark]").wait_for(state="attached")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(248, 249, 250)" and dark == "rgb(43, 48, 53)", (light, dark)
    page.emulate_media(color_scheme="light")
    page.locator("html[data-bs-theme=light]").wait_for(state="attached")


def test_the_skip_link_is_the_first_stop_and_moves_on_to_the_page_content(shared_page, live_server):
    page = shared_page
    page.context.clear_cookies()
    seeded = seed()
    logged_in_as(page, seeded.user, live_server.url)
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="light")
    page.goto(f"/applications/{seeded.application.pk}/")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.bounding_box()["width"] <= 1  # visually hidden until focused

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    box = skip.bounding_box()
    assert box["height"] >= 44, box
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "a11y-skip-link-phone.png"))

    # Enter skips the menu: the next Tab lands on the first link of the page itself.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert page.evaluate("document.activeElement.closest('nav.navbar')") is None


BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>Broken</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<main>
  <h1>Broken on purpose</h1>
  <p style="color:#bbb;background:#fff">Grey on white, too faint to read.</p>
  <p>Actions: <a href="/edit" style="font-size:12px;line-height:16px">Edit</a></p>
  <button style="width:120px;height:48px">Big enough</button>
  <div style="width:600px">Wider than a phone.</div>
  <div id="mouse-only" style="cursor:pointer">Click me</div>
  <a href="/hidden-focus" id="no-ring" style="outline:none">No focus ring</a>
  <a href="/unreachable" tabindex="-1">Not in the tab order</a>
</main></body></html>"""


def test_each_check_finds_the_problem_it_looks_for(shared_page, live_server):
    """The checks can fail: a page broken on purpose (no CSP on about:blank) trips each."""
    page = shared_page
    page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="light")
    page.goto("about:blank")
    page.set_content(BROKEN_PAGE)

    assert any(v.startswith("serious color-contrast") for v in axe_violations(page))
    assert axe_violations(page, impacts=("critical",)) == []

    sideways = sideways_scroll(page)
    assert sideways[0] == "page is 608px wide in a 375px window", sideways  # 8px body margin
    assert any(line.startswith("div (right edge") for line in sideways[1:]), sideways

    small = small_tap_targets(page)
    assert any(line.startswith('a "Edit" is') for line in small), small
    assert not any("Big enough" in line for line in small), small
    assert small_tap_targets(page, min_px=12) == []

    keyboard = keyboard_focus_problems(page)
    assert 'a#no-ring "No focus ring" shows no focus outline' in keyboard, keyboard
    assert (
        'div#mouse-only "Click me" looks clickable but is no link, button or field' in keyboard
    ), keyboard
    assert 'a "Not in the tab order" cannot be reached with Tab' in keyboard, keyboard
    assert not any("Edit" in line for line in keyboard), keyboard
