from __future__ import annotations

import re

import pytest
from django.urls import reverse

from followup_site.mailbox import captured_messages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-with-77-words"
_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/[^\s\"<]+)")


@pytest.fixture(autouse=True)
def _capture_mail(settings) -> None:
    # pytest-django swaps in the in-memory backend; these tests read the mail the way a
    # person in the embedded mode does, from the captured .eml files.
    settings.EMAIL_BACKEND = "followup_site.mailbox.CapturedMailBackend"


def _log_in(client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_password_reset_by_email_end_to_end(client, password):
    user = UserFactory(email="grace@example.com", full_name="Grace Hopper")

    response = client.post(reverse("accounts:password_reset"), {"email": "GRACE@example.com"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")

    [mail] = captured_messages(recipient="grace@example.com")
    assert mail.subject == "Reset your Followup password"
    assert "Grace Hopper" in mail.text
    assert mail.html is not None
    assert "Choose a new password" in mail.html
    link = _LINK.search(mail.text).group(1)
    assert _LINK.search(mail.html).group(1) == link

    # Django swaps the token in the link for one kept in the session, then shows the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]

    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert _log_in(client, "grace@example.com", password).status_code == 200
    assert _log_in(client, "grace@example.com", NEW_PASSWORD).status_code == 302

    # The link works once.
    client.post(reverse("accounts:logout"))
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "no longer works" in again.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client, user):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert captured_messages() == []


def test_password_reset_email_escapes_the_users_name_in_html(client):
    UserFactory(email="eve@example.com", full_name="<b>Eve</b>")

    client.post(reverse("accounts:password_reset"), {"email": "eve@example.com"})

    [mail] = captured_messages(recipient="eve@example.com")
    assert "<b>Eve</b>" not in mail.html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in mail.html
    # The plain-text part is not HTML, so it shows the name as typed.
    assert "<b>Eve</b>" in mail.text


def test_password_reset_refuses_a_weak_new_password(client, user):
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    [mail] = captured_messages(recipient=user.email)
    form_page = client.get(_LINK.search(mail.text).group(1), follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "12345678", "new_password2": "12345678"},
    )

    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors


def test_password_change_keeps_the_user_logged_in(logged_in_client, user, password):
    response = logged_in_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_client.get(reverse("accounts:settings")).status_code == 200


def test_password_change_with_a_wrong_current_password_says_so(logged_in_client, user, password):
    response = logged_in_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "not-my-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(password)


def test_a_password_reset_by_email_also_verifies_the_address(client):
    user = UserFactory(email="grace@example.com", email_verified_at=None)
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    [mail] = captured_messages(recipient=user.email)
    form_page = client.get(_LINK.search(mail.text).group(1), follow=True)

    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.email_verified
