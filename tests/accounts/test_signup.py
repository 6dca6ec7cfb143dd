from __future__ import annotations

import pytest
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


def test_signup_creates_the_account_logs_in_and_goes_to_the_dashboard(client):
    response = client.post(SIGNUP, _form())

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get()
    assert user.email == "ada.lovelace@example.com"
    assert user.full_name == "Ada Lovelace"
    assert user.timezone == "Europe/London"
    assert user.check_password(DEFAULT_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_ignores_a_browser_timezone_it_does_not_know(client):
    client.post(SIGNUP, _form(timezone="Mars/Olympus_Mons"))
    assert User.objects.get().timezone == "UTC"


def test_signup_refuses_an_email_already_taken_in_another_letter_case(client):
    UserFactory(email="ada.lovelace@example.com")

    response = client.post(SIGNUP, _form(email="ADA.LOVELACE@example.COM"))

    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["email"][0]
    html = response.content.decode()
    assert 'value="ADA.LOVELACE@example.COM"' in html
    assert 'value="Ada Lovelace"' in html
    assert User.objects.count() == 1


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
