"""A busy task list on a phone: the first overdue tasks, then all of them a page at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.support import log_in
from tests.factories import ReminderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def test_a_phone_user_pages_through_all_overdue_tasks(page, user, screenshot):
    now = timezone.now()
    for n in range(30):
        ReminderFactory(
            user=user, title=f"Overdue task {n:02}", due_at=now - timedelta(days=30 - n)
        )
    ReminderFactory(user=user, title="Due later", due_at=now + timedelta(days=3))
    page.set_viewport_size(PHONE)
    log_in(page, user)

    page.goto("/tasks/")
    assert page.locator("#overdue-heading .badge").inner_text() == "30"
    assert page.locator("section[aria-labelledby=overdue-heading] .list-group-item").count() == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "tasks-overview-phone")

    show_all = page.get_by_role("link", name="Show all 30 overdue tasks")
    assert show_all.bounding_box()["height"] >= 44
    show_all.click()
    page.wait_for_url("**/tasks/?group=overdue")
    assert page.get_by_text("Page 1 of 2").is_visible()
    assert page.get_by_text("Due later").count() == 0
    later = page.get_by_role("link", name="Later")
    assert later.bounding_box()["height"] >= 44
    later.click()
    page.wait_for_url("**/tasks/?group=overdue&page=2")
    assert page.locator(".list-group-item").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "tasks-overdue-page-2-phone")

    # Done on page 2 comes back to page 2, one task fewer.
    page.locator(".list-group-item").first.get_by_role("button", name="Done").click()
    page.wait_for_url("**/tasks/?group=overdue&page=2")
    assert page.locator(".list-group-item").count() == 4
