from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.urls import reverse

from followup_site.mailbox import CapturedMailBackend, captured_messages
from tests.factories import UserFactory

VERIFICATION = {"X-Followup-Purpose": "email-verification"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _capture_mail(settings) -> None:
    # pytest-django swaps in the in-memory backend; these tests exercise the real one.
    settings.EMAIL_BACKEND = "followup_site.mailbox.CapturedMailBackend"


def _send(
    to: str,
    subject: str = "Hello",
    *,
    html: str | None = None,
    bcc=(),
    headers=None,
    from_email: str = "app@example.com",
    reply_to=(),
) -> None:
    message = EmailMultiAlternatives(
        subject,
        "Plain body",
        from_email,
        [to],
        bcc=bcc,
        headers=headers,
        reply_to=reply_to,
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    message.send()


class _BrokenMessage(EmailMessage):
    """A message that fails while it is being written out."""

    def message(self, *args, **kwargs):
        raise RuntimeError("rendering failed half-way")


def test_backend_writes_one_eml_file_per_message(settings):
    sent = mail.get_connection().send_messages(
        [
            EmailMessage("One", "1", "app@example.com", ["a@example.com"]),
            EmailMessage("Two", "2", "app@example.com", ["b@example.com"]),
            EmailMessage("Nobody", "3", "app@example.com", []),
        ]
    )

    assert sent == 2
    files = sorted(Path(settings.CAPTURED_MAIL_DIR).iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    assert [m.subject for m in captured_messages()] == ["Two", "One"]


def test_backend_leaves_no_partial_file_when_writing_fails(settings):
    backend = CapturedMailBackend()
    broken = _BrokenMessage("Broken", "x", "app@example.com", ["a@example.com"])

    with pytest.raises(RuntimeError):
        backend.send_messages([broken])

    assert list(Path(settings.CAPTURED_MAIL_DIR).iterdir()) == []


def test_backend_skips_a_failed_message_quietly_when_asked(settings):
    backend = CapturedMailBackend(fail_silently=True)
    good = EmailMessage("Good", "x", "app@example.com", ["a@example.com"])
    broken = _BrokenMessage("Broken", "x", "app@example.com", ["a@example.com"])

    assert backend.send_messages([broken, good]) == 1
    assert [p.suffix for p in Path(settings.CAPTURED_MAIL_DIR).iterdir()] == [".eml"]


def test_a_file_still_being_written_is_not_listed(settings):
    _send("a@example.com")
    Path(settings.CAPTURED_MAIL_DIR, "tmpabc123.tmp").write_bytes(b"Subject: half")

    assert len(captured_messages()) == 1


def test_mail_list_shows_only_messages_to_the_signed_in_user(client_for):
    ada = UserFactory(email="ada@example.com")
    _send("Ada@Example.com", "For Ada")
    _send("bob@example.com", "For Bob")
    _send("bob@example.com", "Bob, with Ada in Bcc", bcc=["ada@example.com"])

    html = client_for(ada).get(reverse("mailbox:list")).content.decode()

    assert "For Ada" in html
    assert "Bob, with Ada in Bcc" in html
    assert "For Bob" not in html


def test_superuser_sees_every_message(client_for):
    admin = UserFactory(is_staff=True, is_superuser=True)
    _send("ada@example.com", "For Ada")
    _send("bob@example.com", "For Bob")

    html = client_for(admin).get(reverse("mailbox:list")).content.decode()

    assert "For Ada" in html
    assert "For Bob" in html


def test_another_users_message_is_not_found(client_for):
    ada = UserFactory(email="ada@example.com")
    _send("bob@example.com", "For Bob", html="<p>Bob only</p>")
    [bobs] = captured_messages()
    client = client_for(ada)

    assert client.get(reverse("mailbox:detail", args=[bobs.id])).status_code == 404
    assert client.get(reverse("mailbox:html", args=[bobs.id])).status_code == 404


@pytest.mark.parametrize(
    "message_id",
    ["not-a-message", "..", "20250101T000000Z-" + "0" * 32, "20250101T000000Z-%2e%2e"],
)
def test_an_invalid_or_unknown_message_id_is_not_found(client_for, user, message_id):
    response = client_for(user).get(f"/mail/{message_id}/")
    assert response.status_code == 404


def test_mail_pages_need_a_login(client):
    response = client.get(reverse("mailbox:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_detail_page_frames_the_html_part_and_shows_the_text(client_for):
    ada = UserFactory(email="ada@example.com")
    _send("ada@example.com", "With HTML", html="<p>Hi</p>")
    [message] = captured_messages()

    html = client_for(ada).get(reverse("mailbox:detail", args=[message.id])).content.decode()

    assert f'src="{reverse("mailbox:html", args=[message.id])}"' in html
    assert "Plain body" in html


def test_html_part_is_sandboxed_and_opens_links_in_the_whole_window(client_for):
    ada = UserFactory(email="ada@example.com")
    _send(
        "ada@example.com",
        html="<!doctype html><html><head><title>T</title></head><body><script>x()</script>"
        '<a href="https://example.com/">link</a></body></html>',
    )
    [message] = captured_messages()

    response = client_for(ada).get(reverse("mailbox:html", args=[message.id]))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy.startswith("sandbox ")
    assert "allow-scripts" not in policy
    assert "allow-same-origin" not in policy
    assert "default-src 'none'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    body = response.content.decode()
    assert body.startswith("<!doctype html>")
    assert '<head><base target="_top"><title>' in body


def test_html_part_without_a_head_still_gets_the_base_target(client_for):
    ada = UserFactory(email="ada@example.com")
    _send("ada@example.com", html="<p>Just a paragraph</p>")
    [message] = captured_messages()

    body = client_for(ada).get(reverse("mailbox:html", args=[message.id])).content.decode()

    assert body == '<base target="_top"><p>Just a paragraph</p>'


def test_a_message_without_html_has_no_html_page(client_for):
    ada = UserFactory(email="ada@example.com")
    _send("ada@example.com")
    [message] = captured_messages()

    response = client_for(ada).get(reverse("mailbox:html", args=[message.id]))

    assert response.status_code == 404


def test_list_page_escapes_a_subject_containing_html(client_for):
    ada = UserFactory(email="ada@example.com")
    _send("ada@example.com", '<img src=x onerror="alert(1)">Offer')

    html = client_for(ada).get(reverse("mailbox:list")).content.decode()

    assert '<img src=x onerror="alert(1)">' not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Offer" in html


def test_a_message_with_a_broken_date_header_still_lists(client_for, settings):
    ada = UserFactory(email="ada@example.com")
    directory = Path(settings.CAPTURED_MAIL_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"20250101T000000000000Z-{'a' * 32}.eml").write_bytes(
        b"From: app@example.com\r\nTo: ada@example.com\r\nSubject: Odd\r\n"
        b"Date: not a date\r\n\r\nBody\r\n"
    )

    response = client_for(ada).get(reverse("mailbox:list"))

    assert response.status_code == 200
    assert "Odd" in response.content.decode()


# --- Who sees what --------------------------------------------------------------------------


def test_a_verified_user_sees_mail_sent_by_their_address_but_not_other_peoples(client_for):
    ada = UserFactory(email="ada@example.com")
    _send("anja@acme.example", "Sent through Followup for Ada", reply_to=["ada@example.com"])
    _send("anja@acme.example", "From Ada's own address", from_email="Ada <ada@example.com>")
    _send("anja@acme.example", "Sent for Bob", reply_to=["bob@example.com"])
    _send("bob@example.com", "Bob's reminder")

    html = client_for(ada).get(reverse("mailbox:list")).content.decode()

    assert "Sent through Followup for Ada" in html
    assert "From Ada&#x27;s own address" in html
    assert "Sent for Bob" not in html
    assert "Bob&#x27;s reminder" not in html


def test_an_unverified_user_sees_only_the_verification_email_to_them(client_for):
    ada = UserFactory(email="ada@example.com", email_verified_at=None)
    _send("ada@example.com", "Verify your address", headers=VERIFICATION)
    _send("ada@example.com", "Your reminder")
    _send("anja@acme.example", "Sent for Ada", reply_to=["ada@example.com"])
    _send("bob@example.com", "Verify Bob's address", headers=VERIFICATION)
    client = client_for(ada)

    html = client.get(reverse("mailbox:list")).content.decode()

    assert "Verify your address" in html
    assert "Your reminder" not in html
    assert "Sent for Ada" not in html
    assert "Bob" not in html
    assert "only the email that verifies it shows here" in html
    by_subject = {m.subject: m.id for m in captured_messages()}
    verification = reverse("mailbox:detail", args=[by_subject["Verify your address"]])
    assert client.get(verification).status_code == 200
    for hidden in ("Your reminder", "Sent for Ada", "Verify Bob's address"):
        response = client.get(reverse("mailbox:detail", args=[by_subject[hidden]]))
        assert response.status_code == 404, hidden


def test_a_verified_user_no_longer_reads_the_prompt_about_verification(client_for):
    ada = UserFactory(email="ada@example.com")
    _send("ada@example.com", "Your reminder")

    html = client_for(ada).get(reverse("mailbox:list")).content.decode()

    assert "Your reminder" in html
    assert "only the email that verifies it" not in html


def test_the_mail_pages_answer_404_when_mail_is_not_captured_in_development(client_for, settings):
    ada = UserFactory(email="ada@example.com")
    _send("ada@example.com", "For Ada", html="<p>Hi</p>")
    [message] = captured_messages()
    settings.MAIL_CAPTURE_ENABLED = False
    client = client_for(ada)

    assert client.get(reverse("mailbox:list")).status_code == 404
    assert client.get(reverse("mailbox:detail", args=[message.id])).status_code == 404
    assert client.get(reverse("mailbox:html", args=[message.id])).status_code == 404


def test_production_mode_has_no_mail_pages_at_all():
    """With DEBUG off the URLs are not even mounted: /mail/ is an ordinary 404."""
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "from django.urls import Resolver404, resolve\n"
        "try:\n"
        "    resolve('/mail/')\n"
        "    print('mounted')\n"
        "except Resolver404:\n"
        "    print('not mounted')\n"
        "print(settings.MAIL_CAPTURE_ENABLED, Client().get('/mail/').status_code)\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND", "SITE_URL"}},
        "DJANGO_SETTINGS_MODULE": "followup_site.settings",
        "DEBUG": "false",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }

    result = subprocess.run(  # noqa: S603 - this module's own script
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.split() == ["not", "mounted", "False", "404"], result.stderr
