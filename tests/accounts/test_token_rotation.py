"""Replacing the secret reply address and calendar address from the settings page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DOMAIN = "in.followup.example"


@pytest.fixture(autouse=True)
def _inbound_on(settings):
    settings.INBOUND_DOMAIN = DOMAIN


def rotate_url(token: str) -> str:
    return reverse("accounts:token_rotate", args=[token])


@pytest.mark.parametrize(
    ("token", "field", "heading"),
    [
        ("inbound", "inbound_token", "Replace your reply address"),
        ("calendar", "calendar_token", "Replace your calendar address"),
    ],
)
def test_the_settings_page_links_to_a_confirmation_that_changes_nothing(
    user, logged_in_client, token, field, heading
):
    before = getattr(user, field)
    settings_page = logged_in_client.get(reverse("accounts:settings")).content.decode()
    assert f'href="{rotate_url(token)}"' in settings_page

    confirm = logged_in_client.get(rotate_url(token))

    assert confirm.status_code == 200
    assert heading in confirm.content.decode()
    user.refresh_from_db()
    assert getattr(user, field) == before


def test_replacing_the_reply_address_shows_the_new_one_and_drops_the_old(user, logged_in_client):
    old_address = f"reply+{user.inbound_token}@{DOMAIN}"
    old_calendar = user.calendar_token

    response = logged_in_client.post(rotate_url("inbound"), follow=True)

    user.refresh_from_db()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("accounts:settings") + "#inbound-settings"
    assert f"reply+{user.inbound_token}@{DOMAIN}" in page
    assert old_address not in page
    assert "Mail to the old one is no longer recorded" in page
    # Only the address asked for changes.
    assert user.calendar_token == old_calendar


def test_replacing_the_calendar_address_shows_the_new_one_and_the_old_feed_is_gone(
    user, logged_in_client
):
    old_feed = reverse("reminders:calendar_feed", args=[user.calendar_token])
    old_inbound = user.inbound_token
    assert logged_in_client.get(old_feed).status_code == 200

    response = logged_in_client.post(rotate_url("calendar"), follow=True)

    user.refresh_from_db()
    new_feed = reverse("reminders:calendar_feed", args=[user.calendar_token])
    assert new_feed != old_feed
    assert new_feed in response.content.decode()
    assert old_feed not in response.content.decode()
    assert logged_in_client.get(old_feed).status_code == 404
    assert logged_in_client.get(new_feed).status_code == 200
    assert user.inbound_token == old_inbound


def test_an_unknown_token_is_not_found(logged_in_client):
    assert logged_in_client.get(rotate_url("password")).status_code == 404
    assert logged_in_client.post(rotate_url("password")).status_code == 404


@pytest.mark.parametrize("token", ["inbound", "calendar"])
def test_replacing_needs_a_login(client, user, token):
    before = (user.inbound_token, user.calendar_token)
    response = client.post(rotate_url(token))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    user.refresh_from_db()
    assert (user.inbound_token, user.calendar_token) == before
