from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "email": "Ada.Lovelace@Example.com",
        "full_name": "Ada Lovelace",
        "password1": DEFAULT_PASSWORD,
        "password2": DEFAULT_PASSWORD,
        "timezone": "Europe/London",
    }
    data.update(overrides)
    return data


def test_signup_page_has_the_fields_and_button_other_pages_rely_on(client):
    html = client.get(SIGNUP).content.decode()
    for name in ("email", "full_name", "password1", "password2"):
        assert f'name="{name}"' in html
    assert "Create account</button>" in html
    assert "csrfmiddlewaretoken" in html


def test_signup_creates_an_unverified_account_and_emails_a_link_instead_of_logging_in(
    client, mailoutbox
):
    response = client.post(SIGNUP, _form())

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_sent")
    user = User.objects.get()
    assert user.email == "ada.lovelace@example.com"
    assert user.full_name == "Ada Lovelace"
    assert user.timezone == "Europe/London"
    assert user.check_password(DEFAULT_PASSWORD)
    assert user.email_verified_at is None
    # Logging in here would tell an attacker the address was new.
    assert "_auth_user_id" not in client.session
    [mail] = mailoutbox
    assert mail.to == ["ada.lovelace@example.com"]
    assert mail.extra_headers["X-Followup-Purpose"] == "email-verification"
    page = client.get(response.url)
    assert "ada.lovelace@example.com" in page.content.decode()


def test_the_verification_email_carries_no_text_typed_by_whoever_signed_up(mailoutbox):
    """Anyone can sign up with a stranger's address: what they type as their name must not
    ride along into the stranger's inbox, or sign-up becomes a way to mail them a message."""
    lure = "Your bank account is locked, call +1 555 0100"
    Client().post(SIGNUP, _form(full_name=lure))

    [mail] = mailoutbox
    html = mail.alternatives[0][0] if mail.alternatives else ""
    assert lure not in mail.subject + mail.body + html
    assert mail.body.startswith("Hello,")


def test_signup_ignores_a_browser_timezone_it_does_not_know(client):
    client.post(SIGNUP, _form(timezone="Mars/Olympus_Mons"))
    assert User.objects.get().timezone == "UTC"


def _answer(client, data: dict[str, str]) -> tuple[int, str, list[str], str]:
    response = client.post(SIGNUP, data)
    page = client.get(response.url)
    # The CSRF token of the log-out-free page differs per session; nothing else may.
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
    return response.status_code, response.url, [t.name for t in page.templates], text


def test_signup_answers_the_same_whether_or_not_the_address_has_an_account(mailoutbox):
    new_address = _answer(Client(), _form(email="ada@example.com"))
    assert User.objects.filter(email="ada@example.com").exists()

    taken_address = _answer(Client(), _form(email="ADA@example.com", full_name="Mallory"))

    assert taken_address == new_address
    assert User.objects.count() == 1
    assert User.objects.get().full_name == "Ada Lovelace"
    verification, notice = mailoutbox
    assert verification.extra_headers["X-Followup-Purpose"] == "email-verification"
    assert notice.to == ["ada@example.com"]
    assert notice.subject == "Someone tried to sign up to Followup with your address"
    assert "X-Followup-Purpose" not in notice.extra_headers


def test_the_owner_hears_of_repeated_sign_up_attempts_at_most_once_an_hour(mailoutbox):
    UserFactory(email="ada@example.com")

    for _ in range(5):
        response = Client().post(SIGNUP, _form(email="ada@example.com"))
        assert response.url == reverse("accounts:signup_sent")

    assert len(mailoutbox) == 1


def test_signup_refuses_a_common_password_and_says_so_next_to_the_field(client):
    response = client.post(SIGNUP, _form(password1="qwertyuiop", password2="qwertyuiop"))

    assert response.status_code == 200
    errors = response.context["form"].errors["password1"]
    assert "This password is too common." in errors
    html = response.content.decode()
    assert "This password is too common." in html
    assert 'value="Ada.Lovelace@Example.com"' in html
    assert not User.objects.exists()


def test_signup_refuses_passwords_that_do_not_match(client):
    response = client.post(SIGNUP, _form(password2=DEFAULT_PASSWORD + "x"))

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert 'value="Ada Lovelace"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_requires_a_name(client):
    response = client.post(SIGNUP, _form(full_name=""))

    assert "full_name" in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_with_a_malformed_email_shows_an_error_not_a_crash(client):
    response = client.post(SIGNUP, _form(email="not an address <b>bold</b>"))

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    html = response.content.decode()
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_logged_in_user_visiting_signup_goes_to_the_dashboard(logged_in_client):
    response = logged_in_client.get(SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
