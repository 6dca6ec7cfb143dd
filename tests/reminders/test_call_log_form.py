"""The call page's log form, drawn by {% python_crispy %} inside the page's own <form> tag:
posted back with its errors and every value typed escaped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reminders.models import Reminder
from tests.factories import ReminderFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


def test_a_call_log_that_fails_comes_back_with_its_error_and_the_text_escaped(
    logged_in_client, user
):
    call = ReminderFactory(user=user, kind=Reminder.Kind.PHONE_CALL)

    page = logged_in_client.post(
        reverse("reminders:call_for_reminder", args=[call.pk]),
        {"outcome": "<b>", "notes": HOSTILE, "next_step": HOSTILE},
    )

    assert page.status_code == 400
    text = page.content.decode()
    assert HOSTILE not in text
    assert f">\n{HOSTILE_ESCAPED}</textarea>" in text
    assert f'name="next_step" value="{HOSTILE_ESCAPED}"' in text
    assert "Select a valid choice. &lt;b&gt; is not one of the available choices." in text
    form = text[text.index('<form method="post">') :]
    assert form.index('name="csrfmiddlewaretoken"') < form.index("</form>")
    assert form.index('value="Log the call"') < form.index("</form>")
