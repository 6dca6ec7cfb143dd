"""The Content-Security-Policy header, and templates that need no exception from it.

The browser test (tests/browser/test_content_security_policy.py) proves the pages work under
the policy; these catch a regression before a browser runs: a page served without the header,
or a template that brings back an inline script, style or event handler.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Emails are not pages: mail clients need inline styles, and the viewer frames them under a
# policy of their own (followup_site/mailbox.py).
EMAIL_TEMPLATES = {"emails", "jinja2/emails", "registration/password_reset_email.html"}
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle=", re.IGNORECASE),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def _page_templates() -> list[Path]:
    return [
        path
        for path in TEMPLATES.rglob("*.html")
        if not any(
            str(path.relative_to(TEMPLATES)).startswith(prefix) for prefix in EMAIL_TEMPLATES
        )
    ]


def test_no_page_template_has_inline_script_style_or_handlers():
    templates = _page_templates()
    assert len(templates) > 20  # the walk finds the pages
    found = [
        f"{path.relative_to(TEMPLATES)}: {what}"
        for path in templates
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert found == []


@pytest.mark.parametrize("name", ["accounts:login", "accounts:signup"])
def test_pages_carry_the_strict_policy(client, name):
    policy = client.get(reverse(name))["Content-Security-Policy"]

    directives = dict(part.strip().split(None, 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"


def test_a_signed_in_page_carries_the_policy_too(logged_in_client):
    policy = logged_in_client.get(reverse("dashboard"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
