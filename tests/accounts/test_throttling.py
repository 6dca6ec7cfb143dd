"""Throttles that hold behind a proxy: lock-outs, password spraying, reset emails.

The client address comes from X-Forwarded-For only as far as TRUSTED_PROXY_COUNT proxies
vouch for it; the requests here arrive the way a proxy delivers them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from followup_site.client_address import ipware_settings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
RESET = reverse("accounts:password_reset")
PROXY = "10.0.0.2"  # the TLS proxy in front: every request reaches us from it
ATTACKER = "198.51.100.7"
OWNER = "203.0.113.9"


@pytest.fixture
def behind_one_proxy(settings):
    for name, value in ipware_settings(trusted_proxy_count=1).items():
        setattr(settings, name, value)


def _via_proxy(forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_proxy_an_attacker_cannot_lock_the_owner_out(behind_one_proxy, password):
    owner = UserFactory()
    attacker = _via_proxy(ATTACKER)
    for _ in range(5):
        attacker.post(LOGIN, {"username": owner.email, "password": "wrong-password"})
    assert attacker.post(LOGIN, {"username": owner.email, "password": password}).status_code == 429

    response = _via_proxy(OWNER).post(LOGIN, {"username": owner.email, "password": password})

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_a_forged_forwarded_for_buys_the_attacker_no_new_tries(behind_one_proxy, password):
    owner = UserFactory()
    for attempt in range(5):
        # The proxy appends the address it saw; what the client wrote before it is ignored.
        forged = f"192.0.2.{attempt}, {ATTACKER}"
        _via_proxy(forged).post(LOGIN, {"username": owner.email, "password": "wrong-password"})

    response = _via_proxy(f"{OWNER}, {ATTACKER}").post(
        LOGIN, {"username": owner.email, "password": password}
    )

    assert response.status_code == 429
    assert (
        _via_proxy(OWNER).post(LOGIN, {"username": owner.email, "password": password}).status_code
        == 302
    )


def test_without_trusted_proxies_forwarded_for_is_never_read(password):
    owner = UserFactory()
    for attempt in range(5):
        Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}").post(
            LOGIN, {"username": owner.email, "password": "wrong-password"}
        )

    response = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OWNER).post(
        LOGIN, {"username": owner.email, "password": password}
    )

    assert response.status_code == 429


def test_password_spraying_from_one_address_is_refused_after_the_limit(
    behind_one_proxy, settings, password
):
    settings.THROTTLE_LOGIN_FAILURES_PER_ADDRESS = "20/h"
    victims = UserFactory.create_batch(30)
    sprayer = _via_proxy(ATTACKER)

    statuses = [
        sprayer.post(LOGIN, {"username": v.email, "password": "Summer2026!"}).status_code
        for v in victims
    ]

    assert statuses[:20] == [200] * 20  # each answered "don't match"
    assert statuses[20:] == [429] * 10
    refused = sprayer.post(LOGIN, {"username": victims[0].email, "password": password})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert "_auth_user_id" not in sprayer.session
    # Everyone else logs in as usual.
    owner = _via_proxy(OWNER).post(LOGIN, {"username": victims[0].email, "password": password})
    assert owner.status_code == 302


def test_reset_emails_are_capped_per_target_and_the_page_never_tells(
    behind_one_proxy, settings, mailoutbox
):
    settings.THROTTLE_PASSWORD_RESETS_PER_TARGET = "3/h"
    settings.THROTTLE_PASSWORD_RESETS_PER_ADDRESS = "100/h"
    victim = UserFactory()

    answers = [
        _via_proxy(f"198.51.100.{n}").post(RESET, {"email": victim.email}) for n in range(20)
    ]

    assert len(mailoutbox) == 3
    assert {(a.status_code, a.url) for a in answers} == {
        (302, reverse("accounts:password_reset_done"))
    }


def test_reset_emails_are_capped_per_client_address(behind_one_proxy, settings, mailoutbox):
    settings.THROTTLE_PASSWORD_RESETS_PER_ADDRESS = "10/h"
    victims = UserFactory.create_batch(20)
    client = _via_proxy(ATTACKER)

    answers = [client.post(RESET, {"email": v.email}) for v in victims]

    assert len(mailoutbox) == 10
    assert {a.url for a in answers} == {reverse("accounts:password_reset_done")}
    # Someone at another address is not held back.
    _via_proxy(OWNER).post(RESET, {"email": victims[-1].email})
    assert len(mailoutbox) == 11


def test_sign_ups_are_capped_per_client_address(behind_one_proxy, settings, mailoutbox, password):
    settings.THROTTLE_SIGNUPS_PER_ADDRESS = "10/h"
    client = _via_proxy(ATTACKER)

    statuses = [
        client.post(
            reverse("accounts:signup"),
            {
                "email": f"stranger{n}@example.com",
                "full_name": "Stranger",
                "password1": password,
                "password2": password,
            },
        ).status_code
        for n in range(12)
    ]

    assert statuses == [302] * 10 + [429] * 2
    assert len(mailoutbox) == 10


def test_spraying_through_the_admin_log_in_is_refused_too(behind_one_proxy, settings, password):
    settings.THROTTLE_LOGIN_FAILURES_PER_ADDRESS = "20/h"
    admin_login = reverse("admin:login")
    staff = UserFactory(is_staff=True, is_superuser=True)
    victims = UserFactory.create_batch(20)
    sprayer = _via_proxy(ATTACKER)
    for victim in victims:
        sprayer.post(admin_login, {"username": victim.email, "password": "Summer2026!"})

    sprayer.post(admin_login, {"username": staff.email, "password": password})

    assert "_auth_user_id" not in sprayer.session
    owner = _via_proxy(OWNER)
    owner.post(admin_login, {"username": staff.email, "password": password})
    assert owner.session["_auth_user_id"] == str(staff.pk)
