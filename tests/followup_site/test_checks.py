"""The mail-backend system check that ``migrate`` (the release step) runs before gunicorn."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from followup_site.checks import mail_backend_check

POSTMARK = "anymail.backends.postmark.EmailBackend"


def test_an_esp_backend_without_its_key_stops_the_release(settings):
    settings.EMAIL_BACKEND = POSTMARK
    settings.ANYMAIL = {}

    errors = mail_backend_check(None)

    assert [error.id for error in errors] == ["followup.E001"]
    assert "POSTMARK_SERVER_TOKEN" in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"followup\.E001"):
        call_command("check")


def test_an_esp_backend_with_its_key_passes(settings):
    settings.EMAIL_BACKEND = POSTMARK
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "server-token"}

    assert mail_backend_check(None) == []


def test_a_misspelt_backend_is_reported(settings):
    settings.EMAIL_BACKEND = "anymail.backends.postmrak.EmailBackend"

    assert [error.id for error in mail_backend_check(None)] == ["followup.E001"]


def test_smtp_and_captured_mail_pass(settings):
    for backend in (
        "django.core.mail.backends.smtp.EmailBackend",
        "followup_site.mailbox.CapturedMailBackend",
    ):
        settings.EMAIL_BACKEND = backend
        assert mail_backend_check(None) == []
