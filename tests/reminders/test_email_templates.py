"""The Jinja2 reminder, group and digest emails render exactly what the Django templates did.

The expected parts were rendered from the Django templates before the port (see
tests/reminders/email_cases.py); a difference of one space or one escaped character fails.
"""

from __future__ import annotations

import pytest

from reminders.emails import render_parts
from tests.reminders.email_cases import GOLDEN_DIR, cases

PARTS = ("subject.txt", "body.txt", "body.html")


@pytest.mark.parametrize(("name", "email", "context"), cases(), ids=[c[0] for c in cases()])
def test_renders_as_the_django_templates_did(name, email, context):
    rendered = render_parts(email, context)
    for part, text in zip(PARTS, rendered, strict=True):
        assert text == (GOLDEN_DIR / f"{name}.{part}").read_text(encoding="utf-8"), part


def test_every_golden_file_is_checked():
    expected = {f"{name}.{part}" for name, _, _ in cases() for part in PARTS}
    assert {path.name for path in GOLDEN_DIR.iterdir()} == expected


def test_html_escapes_user_text_and_text_parts_do_not():
    _, email, context = next(c for c in cases() if "phone_call_email-nasty" in c[0])
    subject, text, html = render_parts(email, context)
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; &quot;Ben&quot; &#x27;O&#x27;Neil&#x27;" in html
    assert "<b>Ana</b>" not in html
    assert "<b>Ana</b> & \"Ben\" 'O'Neil'" in text
    assert "<b>Ana</b>" in subject
