"""The user finds a note by a word and lands on it; the stats page draws its charts.

Both pages at 1280 and 375 px wide, under the strict Content-Security-Policy, with no
sideways scroll on the phone. The desktop screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Application, Note
from outreach.models import Draft, Occasion, Outreach
from tests.browser.support import log_in, watch_csp_violations
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    OutreachFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def job_search():
    """Three applications with interviews, notes, emails, replies and a draft."""
    now = timezone.now()
    user = UserFactory(email="sam@seeker.example", full_name="Sam Okafor", timezone="Europe/Berlin")
    acme = ApplicationFactory(
        user=user, company__name="Acme Robotics", role="Site reliability engineer"
    )
    globex = ApplicationFactory(
        user=user, company__name="Globex", role="Platform engineer", stage=Application.Stage.OFFER
    )
    ApplicationFactory(
        user=user,
        company__name="Initech",
        role="Backend developer",
        stage=Application.Stage.CLOSED,
        closed_reason=Application.ClosedReason.REJECTED,
    )
    dana = ContactFactory(
        user=user, company=acme.company, name="Dana Scully", email="dana@acme.example"
    )
    bo = ContactFactory(
        user=user, company=globex.company, name="Bo Chen", email="bo@globex.example"
    )
    interview = InterviewFactory(
        application=acme,
        starts_at=now - timedelta(days=9),
        ends_at=now - timedelta(days=9, hours=-1),
    )
    interview.interviewers.add(dana)
    NoteFactory(interview=interview, contact=dana, text="Asked how I would size a Redis cluster")
    note = NoteFactory(
        interview=interview,
        contact=dana,
        kind=Note.Kind.TOPIC,
        text="Their migration from VMs to Kubernetes, one service a week, with a long tail "
        "of stateful services still to move",
    )
    NoteFactory(interview=interview, kind=Note.Kind.INTEREST, text="Dana races sailboats")
    other = InterviewFactory(
        application=globex,
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30, hours=-1),
    )
    other.interviewers.add(bo)
    NoteFactory(
        interview=other, contact=bo, kind=Note.Kind.SKILL, text="Liked my Kubernetes operator story"
    )
    for days, application, contact, direction, channel, purpose, subject, body in (
        (
            28,
            globex,
            bo,
            "out",
            "email",
            "thank_you",
            "Thank you",
            "Thanks for the Kubernetes chat.",
        ),
        (27, globex, bo, "in", "email", "reply", "Re: Thank you", "Glad you enjoyed it."),
        (20, globex, bo, "out", "call", "call", "", ""),
        (19, globex, bo, "in", "call", "reply", "", ""),
        (
            9,
            acme,
            dana,
            "out",
            "email",
            "thank_you",
            "Thank you, Dana",
            "The Kubernetes migration plan sounded great.",
        ),
        (6, acme, dana, "out", "card", "thank_you", "", ""),
        (2, acme, dana, "out", "email", "follow_up", "Following up", "Any news on the role?"),
    ):
        OutreachFactory(
            user=user,
            application=application,
            contact=contact,
            direction=direction,
            channel=channel,
            purpose=purpose,
            subject=subject,
            body=body,
            occurred_at=now - timedelta(days=days, hours=-1),
        )
    Draft.objects.create(
        user=user,
        application=acme,
        contact=dana,
        occasion=Occasion.CHECK_IN,
        subject="Checking in",
        body="I read this piece on Kubernetes at scale and thought of your migration.",
    )
    assert Outreach.objects.filter(user=user).count() == 7
    return user, interview, note


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_word_from_a_note_finds_it_and_the_result_opens_that_very_note(page, screenshot):
    violations = watch_csp_violations(page.context)
    user, interview, note = job_search()
    log_in(page, user)

    # The box in the navigation bar, from any page.
    box = page.get_by_role("searchbox", name=re.compile("Search applications"))
    box.fill("kubernetes")
    box.press("Enter")
    page.get_by_role("heading", name=re.compile(r"\d+ results for “kubernetes”")).wait_for()
    notes = page.locator("[data-group=notes]")
    assert notes.locator(".search-hit").count() == 2
    assert page.locator("[data-group=emails] .search-hit").count() == 2
    assert page.locator("[data-group=drafts] .search-hit").count() == 1
    assert notes.locator("mark").first.inner_text() == "Kubernetes"
    screenshot(page, "search", readme=True)

    page.set_viewport_size(PHONE)
    screenshot(page, "search-phone")
    assert no_sideways_scroll(page)
    # On the phone the box is in the menu.
    assert not box.is_visible()
    page.get_by_role("button", name="Menu").click()
    box.fill("sailboats")
    box.press("Enter")
    page.get_by_role("heading", name="1 result for “sailboats”").wait_for()
    assert no_sideways_scroll(page)
    page.set_viewport_size(DESKTOP)
    page.go_back()

    # A filter: only Globex is at the offer stage.
    page.select_option("[name=stage]", "offer")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"stage=offer"))
    assert page.locator("[data-group=notes] .search-hit").count() == 1
    assert page.locator("[data-group=drafts]").count() == 0
    page.select_option("[name=stage]", "")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"stage=&"))

    page.locator(
        "[data-group=notes] .search-hit-link", has_text="Note about Dana Scully"
    ).first.click()
    page.wait_for_url(re.compile(rf"/interviews/{interview.pk}/#note-{note.pk}$"))
    target = page.locator(f"#note-{note.pk}")
    assert "migration from VMs to Kubernetes" in target.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == f"note-{note.pk}"
    assert target.is_visible()
    screenshot(page, "search-note-opened")
    assert violations == []


def test_the_stats_page_draws_its_charts_on_a_laptop_and_a_phone(page, screenshot):
    violations = watch_csp_violations(page.context)
    user, _, _ = job_search()
    log_in(page, user)

    page.get_by_role("link", name="Stats").click()
    page.get_by_role("heading", name="Stats", exact=True).wait_for()
    assert page.locator("figure svg.chart").count() == 4
    for chart in ("#chart-funnel", "#chart-reply-kind", "#chart-reply-channel", "#chart-weekly"):
        figure = page.locator(chart)
        assert figure.locator("svg").is_visible()
        assert figure.locator("figcaption").is_visible()
        # The figures are there for screen readers, and hidden from the eye.
        assert figure.locator("table").count() == 1
        box = figure.locator(".chart-table").bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1
    funnel = page.locator("#chart-funnel table").inner_text()
    assert re.search(r"Applied\s+3", funnel) and re.search(r"Offers\s+1", funnel)
    # 1 of 3 emails answered: Acme has not answered the thank-you nor the follow-up.
    assert re.search(
        r"Email\s+1\s+3\s+33%", page.locator("#chart-reply-channel table").inner_text()
    )
    # Acme's was sent within the day; Globex's two days after the interview.
    assert "1 of 2" in page.inner_text("#thank-yous-in-time")
    # The bars are drawn in Bootstrap's primary colour, from the stylesheet.
    fill = page.locator("#chart-funnel .chart-bar").first.evaluate(
        "el => getComputedStyle(el).fill"
    )
    primary = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--bs-primary').trim()"
    )
    assert fill.replace(" ", "") == "rgb(13,110,253)" and primary == "#0d6efd"
    screenshot(page, "stats", readme=True)

    page.set_viewport_size(PHONE)
    screenshot(page, "stats-phone")
    assert no_sideways_scroll(page)
    assert violations == []
