from __future__ import annotations

import re

import pytest

from accounts.models import User
from followup_site.mailbox import captured_messages
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-42"
PHONE = {"width": 390, "height": 844}


def _sign_up(page, email: str) -> None:
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=full_name]", "Browser User")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()


def _log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def test_a_first_sign_up_verifies_through_the_captured_mail(page, settings, screenshot):
    """The embedded mode: no real inbox, the verification email is read under Mail."""
    settings.EMAIL_BACKEND = "followup_site.mailbox.CapturedMailBackend"
    _sign_up(page, "Browser.User@Example.com")
    screenshot(page, "accounts-signup-sent")
    user = User.objects.get(email="browser.user@example.com")
    assert user.email_verified_at is None

    _log_in(page, "browser.user@example.com")
    banner = page.locator("#verify-banner")
    banner.wait_for()
    screenshot(page, "accounts-verify-banner")
    banner.get_by_role("link", name="Mail").click()
    page.get_by_text("Confirm your email address for Followup").first.wait_for()
    # The link as the message carries it (the reader's layout is not what is tested here).
    [mail] = captured_messages(recipient="browser.user@example.com")
    page.goto(re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", mail.text).group(1))
    page.get_by_role("button", name="Yes, confirm my address").click()
    page.get_by_text("browser.user@example.com is confirmed").wait_for()
    assert page.locator("#verify-banner").count() == 0
    user.refresh_from_db()
    assert user.email_verified


def test_sign_up_change_timezone_log_out_and_log_in_again(page, screenshot):
    page.goto("/accounts/login/")
    page.get_by_role("heading", name="Log in").wait_for()
    screenshot(page, "accounts-login")
    page.set_viewport_size(PHONE)
    screenshot(page, "accounts-login-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Create an account").click()
    page.fill("input[name=email]", "Browser.User@Example.com")
    page.fill("input[name=full_name]", "Browser User")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    user = User.objects.get(email="browser.user@example.com")
    # The page's script guessed the browser's zone (Chromium here runs on the machine's).
    assert user.timezone
    _log_in(page, "browser.user@example.com")

    page.goto("/accounts/settings/")
    page.get_by_role("heading", name="Settings").wait_for()
    screenshot(page, "accounts-settings")
    page.set_viewport_size(PHONE)
    screenshot(page, "accounts-settings-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.select_option("select[name=timezone]", "Asia/Tokyo")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Your settings are saved.").wait_for()
    assert page.locator("select[name=timezone]").input_value() == "Asia/Tokyo"
    assert "(Asia/Tokyo)" in page.content()
    user.refresh_from_db()
    assert user.timezone == "Asia/Tokyo"

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    page.get_by_text("You're logged out").wait_for()

    page.fill("input[name=username]", "browser.user@EXAMPLE.com")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    page.goto("/accounts/settings/")
    assert page.locator("select[name=timezone]").input_value() == "Asia/Tokyo"


def test_sign_up_errors_show_next_to_the_fields_and_keep_what_was_typed(page, screenshot):
    page.set_viewport_size(PHONE)
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "someone@example.com")
    page.fill("input[name=full_name]", "Some One")
    page.fill("input[name=password1]", "qwertyuiop")
    page.fill("input[name=password2]", "qwertyuiop")
    page.get_by_role("button", name="Create account").click()

    page.get_by_text("This password is too common.").wait_for()
    screenshot(page, "accounts-signup-errors-phone")
    assert page.locator("input[name=email]").input_value() == "someone@example.com"
    assert page.locator("input[name=full_name]").input_value() == "Some One"
    assert not User.objects.exists()


def test_lockout_page_says_what_happened_and_when_to_try_again(page, screenshot):
    user = UserFactory(email="locked@example.com")
    page.set_viewport_size(PHONE)
    for _ in range(5):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", "wrong-password")
        page.get_by_role("button", name="Log in").click()

    page.get_by_role("heading", name="Log-in paused for a while").wait_for()
    screenshot(page, "accounts-lockout-phone")
    assert "15 minutes" in page.inner_text("main")
