"""In the browser: a thank-you whose send was killed is found, checked and sent again once.

The draft has been SENDING for ten minutes (its process died), so it is interrupted. Mail
goes over real SMTP to a local server. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from outreach.models import Draft, Outreach
from tests.browser.support import log_in
from tests.mail_servers import ScriptedSMTP
from tests.outreach.support import draft_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings):
    with ScriptedSMTP() as server:
        server.use(settings)
        yield server


def test_an_interrupted_send_is_checked_and_sent_again_once(
    scene, page, live_server, smtp, screenshot
):
    draft = draft_of(
        scene.user,
        application=scene.application,
        contact=scene.contact,
        reminder=scene.thank_you,
        subject="Thank you, Ana",
        body="Hi Ana,\n\nThank you for the talk about event sourcing.",
    )
    Draft.objects.filter(pk=draft.pk).update(
        send_state=Draft.SendState.SENDING,
        send_attempts=1,
        send_started_at=timezone.now() - timedelta(minutes=10),
    )
    log_in(page, scene.user)

    page.goto("/outreach/drafts/")
    row = page.locator(f"#draft-{draft.pk}")
    assert "Check: did it go out?" in row.inner_text()
    row.get_by_role("link", name=re.compile("Check it")).click()

    panel = page.locator("#interrupted-send")
    panel.wait_for()
    assert "may or may not have gone out" in panel.inner_text()
    assert "Followup cannot ask the mail service about it" in panel.inner_text()
    assert page.get_by_role("button", name="Delete this draft").is_visible()
    screenshot(page, "interrupted-send")

    # Without the confirmation the browser does not even post it.
    panel.get_by_role("button", name="Send again").click()
    assert page.url.endswith(f"/outreach/drafts/{draft.pk}/")
    assert smtp.messages == []

    panel.get_by_label(re.compile("I found no copy")).check()
    panel.get_by_role("button", name="Send again").click()
    page.wait_for_url(re.compile(rf"{re.escape(scene.application.get_absolute_url())}$"))
    assert "Sent again to Ana Ortiz" in page.inner_text("main")
    screenshot(page, "interrupted-send-sent-again")

    assert len(smtp.messages) == 1
    assert Draft.objects.get(pk=draft.pk).send_state == Draft.SendState.SENT
    assert Outreach.objects.filter(draft=draft).count() == 1
