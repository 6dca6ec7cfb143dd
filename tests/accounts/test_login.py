from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def test_login_page_offers_sign_up_and_password_reset(client):
    response = client.get(LOGIN)
    html = response.content.decode()

    assert 'name="username"' in html
    assert 'name="password"' in html
    assert "Log in</button>" in html
    assert reverse("accounts:signup") in html
    assert reverse("accounts:password_reset") in html


def test_login_accepts_the_email_in_any_letter_case(client, user, password):
    response = client.post(LOGIN, {"username": user.email.upper(), "password": password})

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_with_a_wrong_password_says_so_and_keeps_the_email(client, user):
    response = client.post(LOGIN, {"username": user.email, "password": "not-it"})

    assert response.status_code == 200
    assert "don't match an account" in response.content.decode().replace("&#x27;", "'")
    assert f'value="{user.email}"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_follows_a_safe_next_link_only(client, user, password):
    credentials = {"username": user.email, "password": password}

    inside = client.post(f"{LOGIN}?next=/accounts/settings/", credentials)
    assert inside.url == "/accounts/settings/"

    client.post(reverse("accounts:logout"))
    outside = client.post(f"{LOGIN}?next=https://evil.example/", credentials)
    assert outside.url == reverse("dashboard")


def test_sixth_attempt_is_refused_even_with_the_right_password(client, user, password):
    for _ in range(5):
        client.post(LOGIN, {"username": user.email, "password": "wrong-password"})

    response = client.post(LOGIN, {"username": user.email, "password": password})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "15 minutes" in html
    assert user.email in html


def test_changing_the_letter_case_of_the_email_does_not_buy_more_attempts(client, user, password):
    for attempt in range(5):
        variant = user.email.upper() if attempt % 2 else user.email
        client.post(LOGIN, {"username": variant, "password": "wrong-password"})

    response = client.post(LOGIN, {"username": user.email.title(), "password": password})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_so_others_can_still_log_in(client, user, password):
    for _ in range(5):
        client.post(LOGIN, {"username": user.email, "password": "wrong-password"})
    other = UserFactory()

    response = client.post(LOGIN, {"username": other.email, "password": password})

    assert response.status_code == 302


def test_logout_refuses_get(logged_in_client):
    response = logged_in_client.get(reverse("accounts:logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in logged_in_client.session


def test_logout_by_post_ends_the_session_and_returns_to_login(logged_in_client):
    response = logged_in_client.post(reverse("accounts:logout"), follow=True)

    assert response.redirect_chain[-1][0] == LOGIN
    assert "_auth_user_id" not in logged_in_client.session
    assert "logged out" in response.content.decode()


def test_pages_behind_login_send_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN + "?next=")


@pytest.mark.parametrize("login_path", ["/accounts/login/", "/admin/login/"])
def test_a_log_in_with_an_absurdly_long_name_is_refused_not_a_server_error(db, login_path):
    """axes records the name in 255 characters; on PostgreSQL a longer one answered 500."""
    client = Client(raise_request_exception=False)
    response = client.post(login_path, {"username": "a" * 2500 + "@x.example", "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
