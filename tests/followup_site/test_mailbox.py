from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.urls import reverse

from followup_site.mailbox import CapturedMailBackend, captured_messages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _capture_mail(settings) -> None:
    # pytest-django swaps in the in-memory backend; these tests exercise the real one.
    settings.EMAIL_BACKEND = "followup_site.mailbox.CapturedMailBackend"


def _send(to: str, subject: str = "Hello", *, html: str | None = None, bcc=()) -> None:
    message = EmailMultiAlternatives(subject, "Plain body", "app@example.com", [to], bcc=bcc)
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
