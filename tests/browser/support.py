"""Steps shared by the browser tests."""

from __future__ import annotations

import re

from tests.factories import DEFAULT_PASSWORD


def log_in(page, user) -> None:
    """Log in through the real form and wait for the dashboard."""
    page.goto("/accounts/login/")
    page.fill("[name=username]", user.email)
    page.fill("[name=password]", DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))
