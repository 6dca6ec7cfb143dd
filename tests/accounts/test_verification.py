"""Email verification: the link, its single use, the banner and sending it again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import email_verification_link
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

_LINK = re.compile(r"https?://[^/\s]+(/accounts/verify/[^\s\"<]+/)")
RESEND = reverse("accounts:verification_resend")


def _sign_up(client, email: str = "ada@example.com") -> None:
    client.post(
        reverse("accounts:signup"),
        {
            "email": email,
            "full_name": "Ada Lovelace",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )


def _path(link: str) -> str:
    return _LINK.search(link).group(1)


def test_the_emailed_link_confirms_the_address_on_post_only_and_once(client, mailoutbox):
    _sign_up(client)
    [mail] = mailoutbox
    link = _path(mail.body)
    assert _path(mail.alternatives[0][0]) == link

    # A mail scanner following the link changes nothing.
    page = client.get(link)
    assert page.status_code == 200
    assert "ada@example.com" in page.content.decode()
    assert User.objects.get().email_verified_at is None

    response = client.post(link)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert User.objects.get().email_verified

    again = client.post(link)
    assert again.status_code == 410
    assert "confirmed already" in again.content.decode()


def test_a_logged_in_owner_goes_on_to_the_dashboard(client_for):
    user = UserFactory(email_verified_at=None)
    client = client_for(user)

    response = client.post(_path(email_verification_link(user=user)))

    assert response.url == reverse("dashboard")
    user.refresh_from_db()
    assert user.email_verified


def test_a_link_for_an_address_the_account_no_longer_has_is_useless(client):
    user = UserFactory(email="old@example.com", email_verified_at=None)
    link = _path(email_verification_link(user=user))
    User.objects.filter(pk=user.pk).update(email="new@example.com")

    response = client.post(link)

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_a_link_expires(client, settings):
    settings.EMAIL_VERIFICATION_MAX_AGE_HOURS = 72
    user = UserFactory(email_verified_at=None)
    with time_machine.travel(timezone.now() - timedelta(hours=73), tick=False):
        link = _path(email_verification_link(user=user))

    response = client.post(link)

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None


@pytest.mark.parametrize("token", ["abc", "e30:1t2:bad", "x" * 3000])
def test_a_malformed_link_answers_400_not_500(client, token):
    response = client.post(f"/accounts/verify/{token}/")

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_a_nul_byte_in_the_link_answers_400_before_the_view(client):
    response = client.post("/accounts/verify/%00/")

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_unverified_users_see_the_banner_on_every_page(client_for):
    unverified = client_for(UserFactory(email_verified_at=None))
    verified = client_for(UserFactory())

    for url in (reverse("dashboard"), reverse("accounts:settings")):
        assert 'id="verify-banner"' in unverified.get(url).content.decode()
        assert 'id="verify-banner"' not in verified.get(url).content.decode()


def test_sending_the_link_again_is_throttled_per_user(client_for, mailoutbox, settings):
    settings.THROTTLE_VERIFICATION_EMAILS_PER_USER = "3/h"
    user = UserFactory(email_verified_at=None)
    client = client_for(user)

    answers = [client.post(RESEND, {"next": "/accounts/settings/"}, follow=True) for _ in range(5)]

    assert len(mailoutbox) == 3
    assert all(m.to == [user.email] for m in mailoutbox)
    assert answers[0].redirect_chain[-1][0] == "/accounts/settings/"
    assert "We sent a new link" in answers[0].content.decode()
    assert "sent no new one" in answers[4].content.decode()
    # A fresh link each time, and the latest works.
    response = client.post(_path(mailoutbox[-1].body))
    assert response.url == reverse("dashboard")


def test_sending_the_link_again_goes_back_only_to_this_site(client_for, mailoutbox):
    client = client_for(UserFactory(email_verified_at=None))

    response = client.post(RESEND, {"next": "https://evil.example/"})

    assert response.url == reverse("dashboard")


def test_a_verified_user_gets_no_new_link(client_for, mailoutbox):
    client = client_for(UserFactory())

    client.post(RESEND)

    assert mailoutbox == []


def test_a_mail_server_that_is_down_is_said_so_not_blamed_on_the_throttle(client_for, settings):
    # A real SMTP connection to a port nobody listens on.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client = client_for(UserFactory(email_verified_at=None))

    response = client.post(RESEND, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert "could not send the email just now" in html
    assert "sent no new one" not in html


def test_sign_up_still_answers_when_the_mail_server_is_down(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    _sign_up(client)

    assert User.objects.get().email == "ada@example.com"
    assert client.get(reverse("accounts:signup_sent")).status_code == 200
