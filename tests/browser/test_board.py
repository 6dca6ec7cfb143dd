"""The dashboard's board in real Chromium: drag, the menu, no JavaScript, and a phone.

Each test watches for Content-Security-Policy violations: htmx, SortableJS and board.js must
run under the strict policy, with no inline script or style.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Application
from outreach.models import Draft, Occasion, Outreach
from reminders.models import Reminder
from tests.browser.support import log_in, watch_csp_violations
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    OutreachFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def job_search(user) -> dict[str, Application]:
    """Six applications a job seeker might have a few weeks in."""
    now = timezone.now()
    rows = [
        ("Northwind Traders", "Senior backend engineer", "interviewing"),
        ("Acme Robotics", "Platform engineer", "screening"),
        ("Globex", "Staff engineer, payments", "applied"),
        ("Initech", "Engineering manager", "offer"),
        ("Umbrella Health", "Data engineer", "applied"),
        ("Hooli", "Site reliability engineer", "closed"),
    ]
    made = {}
    for company, role, stage in rows:
        application = ApplicationFactory(
            user=user,
            company__name=company,
            role=role,
            stage=stage,
            closed_reason="rejected" if stage == "closed" else "",
        )
        made[company] = application
    northwind = made["Northwind Traders"]
    ana = ContactFactory(user=user, company=northwind.company, name="Ana Ortiz")
    interview = InterviewFactory(
        application=northwind,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=2),
    )
    interview.interviewers.add(ana)
    ReminderFactory(
        user=user,
        application=northwind,
        contact=ana,
        kind=Reminder.Kind.THANK_YOU,
        state=Reminder.State.NOTIFIED,
        title="Thank Ana Ortiz",
        due_at=now + timedelta(hours=22),
    )
    Draft.objects.create(user=user, application=northwind, contact=ana, occasion=Occasion.THANK_YOU)
    acme = made["Acme Robotics"]
    ben = ContactFactory(user=user, company=acme.company, name="Ben Li")
    OutreachFactory(user=user, application=acme, contact=ben, occurred_at=now - timedelta(days=6))
    ReminderFactory(
        user=user,
        application=acme,
        contact=ben,
        kind=Reminder.Kind.PHONE_CALL,
        title="Call Ben Li",
        due_at=now - timedelta(hours=5),
    )
    globex = made["Globex"]
    cy = ContactFactory(user=user, company=globex.company, name="Cy Park", email="cy@typo.example")
    OutreachFactory(
        user=user,
        application=globex,
        contact=cy,
        delivery=Outreach.Delivery.BOUNCED,
        occurred_at=now - timedelta(days=2),
    )
    initech = made["Initech"]
    OutreachFactory(
        user=user,
        application=initech,
        direction=Outreach.Direction.INCOMING,
        subject="Re: offer details",
        occurred_at=now - timedelta(hours=1),
    )
    InterviewFactory(
        application=made["Umbrella Health"],
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
    )
    return made


@pytest.fixture
def seeker(db):
    return UserFactory(email="jordan@example.com", full_name="Jordan Rivera")


def card_in(page, stage: str, application: Application):
    return page.locator(f".board-list[data-stage='{stage}'] #application-{application.pk}")


def test_a_card_dragged_to_another_column_stays_there_after_a_reload(page, seeker):
    violations = watch_csp_violations(page.context)
    made = job_search(seeker)
    globex = made["Globex"]
    log_in(page, seeker)
    assert card_in(page, "applied", globex).count() == 1

    with page.expect_response(lambda r: r.url.endswith(f"/applications/{globex.pk}/stage/")):
        card_in(page, "applied", globex).locator(".board-card-heading").drag_to(
            page.locator(".board-list[data-stage='screening']")
        )
    card_in(page, "screening", globex).wait_for()
    page.get_by_role("status").filter(has_text="Moved").wait_for(state="attached")

    page.reload()
    card_in(page, "screening", globex).wait_for()
    globex.refresh_from_db()
    assert globex.stage == "screening"
    assert violations == [], "\n".join(violations)


def test_the_menu_moves_a_card_in_place_and_keeps_the_keyboard_on_it(page, seeker):
    violations = watch_csp_violations(page.context)
    made = job_search(seeker)
    initech = made["Initech"]
    log_in(page, seeker)
    # Marks this page: a full reload would lose it, an in-place swap keeps it.
    page.evaluate("window.boardMark = 'kept'")

    menu = page.get_by_label("Move Initech, Engineering manager,")
    menu.select_option("interviewing")
    menu.press("Tab")
    page.keyboard.press("Enter")  # the Move button, from the keyboard

    card_in(page, "interviewing", initech).wait_for()
    assert page.evaluate("window.boardMark") == "kept"
    # Focus comes back once htmx has settled the swapped board, a moment after the swap.
    # A function, not a bare expression: see test_wait_predicates.py.
    page.wait_for_function(f"() => document.activeElement.id === 'stage-{initech.pk}'")
    page.reload()
    card_in(page, "interviewing", initech).wait_for()

    # Closing from the menu folds the card away under Closed and cancels its tasks.
    acme = made["Acme Robotics"]
    page.get_by_label("Move Acme Robotics, Platform engineer,").select_option("closed:withdrawn")
    page.locator(f"#application-{acme.pk}").get_by_role("button", name="Move").click()
    page.locator(f".board-closed-list #application-{acme.pk}").wait_for(state="attached")
    acme.refresh_from_db()
    assert (acme.stage, acme.closed_reason) == ("closed", "withdrawn")
    assert not acme.reminders.filter(state__in=Reminder.OPEN_STATES).exists()

    # Reopening from the unfolded Closed list keeps it unfolded.
    hooli = made["Hooli"]
    page.locator("details.board-closed summary").click()
    page.get_by_label("Move Hooli, Site reliability engineer, reopening at").select_option(
        "screening"
    )
    page.locator(f"#application-{hooli.pk}").get_by_role("button", name="Reopen").click()
    card_in(page, "screening", hooli).wait_for()
    assert page.locator("details.board-closed").evaluate("(details) => details.open")
    hooli.refresh_from_db()
    assert (hooli.stage, hooli.closed_reason) == ("screening", "")
    assert violations == []


def test_a_refused_drag_puts_the_card_back_and_says_why(page, seeker):
    violations = watch_csp_violations(page.context)
    globex = job_search(seeker)["Globex"]
    log_in(page, seeker)
    # As if the application had been closed in another tab meanwhile.
    page.route(
        f"**/applications/{globex.pk}/stage/",
        lambda route: route.fulfill(
            status=400, content_type="text/plain", body="This application is already closed."
        ),
    )

    card_in(page, "applied", globex).locator(".board-card-heading").drag_to(
        page.locator(".board-list[data-stage='offer']")
    )

    page.get_by_role("alert").filter(has_text="This application is already closed.").wait_for()
    assert card_in(page, "applied", globex).count() == 1
    assert card_in(page, "offer", globex).count() == 0
    assert page.locator(f"#stage-{globex.pk}").input_value() == "applied"
    assert violations == [], "\n".join(violations)


def test_without_javascript_the_menu_is_a_plain_form(browser, live_server, client_for, seeker):
    made = job_search(seeker)
    umbrella = made["Umbrella Health"]
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=WIDE
    )
    try:
        page = context.new_page()
        session = client_for(seeker).cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page.goto("/?order=company")
        assert page.locator("[data-board-hint]").is_hidden()  # no drag without JavaScript
        page.get_by_label("Move Umbrella Health, Data engineer,").select_option("offer")
        page.locator(f"#application-{umbrella.pk}").get_by_role("button", name="Move").click()
        page.get_by_text("Moved “Data engineer at Umbrella Health” to Offer.").wait_for()
        assert page.url.endswith(f"/?order=company#application-{umbrella.pk}")
        card_in(page, "offer", umbrella).wait_for()
        umbrella.refresh_from_db()
        assert umbrella.stage == "offer"
    finally:
        context.close()


def test_the_dashboard_fits_a_phone_with_large_tap_targets(page, seeker, screenshot):
    violations = watch_csp_violations(page.context)
    job_search(seeker)
    log_in(page, seeker)
    page.get_by_role("heading", name="Today").wait_for()
    assert page.locator("[data-today='thank-you']").count() == 1
    assert page.locator("[data-today='overdue']").count() == 1
    assert page.locator("#nothing-due").count() == 0
    screenshot(page, "dashboard-wide", readme=True)

    page.set_viewport_size(PHONE)
    page.locator("details.board-closed summary").click()  # unfolded, so its cards count too
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              '#today a, #board a, #board button, #board select, #board summary, .board-order a')]
            .filter((el) => el.getClientRects().length)
            .map((el) => [el.textContent.trim().slice(0, 40), el.getBoundingClientRect().height])
            .filter(([, height]) => height < 44)"""
    )
    assert small == []
    page.locator("details.board-closed summary").click()
    screenshot(page, "dashboard-phone", readme=True)
    assert violations == [], "\n".join(violations)


def more_applied(user, count: int) -> list[Application]:
    return [
        ApplicationFactory(
            user=user, company__name=f"Applied Co {n}", role=f"Role {n}", stage="applied"
        )
        for n in range(count)
    ]


def test_show_all_loads_a_column_in_place_and_its_cards_still_drag(page, seeker, settings):
    settings.BOARD_COLUMN_CARDS = 2
    violations = watch_csp_violations(page.context)
    job_search(seeker)
    more_applied(seeker, 2)  # four in Applied
    log_in(page, seeker)
    applied = page.locator(".board-list[data-stage='applied'] .board-card")
    assert applied.count() == 2
    assert page.locator("#column-applied .badge").inner_text() == "4"

    show_all = page.get_by_role("link", name="Show all 4 applied")
    show_all.focus()
    page.keyboard.press("Enter")
    page.locator("#board-column-applied[data-shown='all']").wait_for()
    assert applied.count() == 4
    # The keyboard lands on the first card it added.
    page.wait_for_function(
        "() => document.activeElement.closest('.board-card') === "
        "document.querySelectorAll('#board-column-applied .board-card')[2]"
    )

    last = applied.nth(3)
    pk = last.get_attribute("data-application")
    with page.expect_response(lambda r: r.url.endswith(f"/applications/{pk}/stage/")):
        last.locator(".board-card-heading").drag_to(
            page.locator(".board-list[data-stage='screening']")
        )
    page.locator(f".board-list[data-stage='screening'] #application-{pk}").wait_for()
    # The board comes back with Applied still shown in full.
    page.locator("#board-column-applied[data-shown='all']").wait_for()
    assert applied.count() == 3
    assert violations == [], "\n".join(violations)


def test_closed_cards_load_when_the_section_opens(page, seeker):
    violations = watch_csp_violations(page.context)
    hooli = job_search(seeker)["Hooli"]
    log_in(page, seeker)
    assert page.locator(f"#application-{hooli.pk}").count() == 0

    page.locator("details.board-closed summary").click()

    page.locator(f".board-closed-list #application-{hooli.pk}").wait_for()
    assert page.get_by_role("link", name="List the 1 closed applications").count() == 0
    assert violations == [], "\n".join(violations)


def test_without_javascript_show_all_and_closed_are_links_to_the_lists(
    browser, live_server, client_for, seeker, settings
):
    settings.BOARD_COLUMN_CARDS = 2
    job_search(seeker)
    extra = more_applied(seeker, 2)
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=WIDE
    )
    try:
        page = context.new_page()
        session = client_for(seeker).cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page.goto("/")
        page.locator("details.board-closed summary").click()
        closed_list = page.get_by_role("link", name="List the 1 closed applications")
        assert closed_list.get_attribute("href") == "/applications/?stage=closed"

        page.get_by_role("link", name="Show all 4 applied").click()
        page.wait_for_url("**/applications/?stage=applied")
        for application in extra:
            page.get_by_text(application.company.name).first.wait_for()
    finally:
        context.close()
