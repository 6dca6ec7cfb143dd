from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outreach.models import Draft, Occasion, Outreach
from outreach.services.delivery import draft_send
from reminders.models import Reminder
from tests.factories import OutreachFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anymail_test_backend(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Followup <notify@followup.example>"
    mail.outbox = []


def saved_draft(scene, scene_client, **fields) -> Draft:
    scene_client.post(
        reverse("reminders:compose_for_reminder", args=[scene.thank_you.pk]),
        {"subject": fields.get("subject", "Thank you, Ana"), "body": fields.get("body", "Hi")},
    )
    return Draft.objects.get()


def send(scene_client, draft: Draft, **fields):
    return scene_client.post(
        reverse("outreach:draft_edit", args=[draft.pk]),
        {
            "subject": fields.get("subject", draft.subject),
            "body": fields.get("body", draft.body),
            "action": "send",
        },
    )


def test_sending_goes_from_the_app_as_the_user_with_reply_to_and_cc(
    scene, scene_client, anymail_test_backend
):
    draft = saved_draft(scene, scene_client)
    response = send(scene_client, draft, body="Thank you for the talk about event sourcing.")
    assert response.url == scene.application.get_absolute_url()
    [message] = mail.outbox
    assert message.from_email == "Robin Fischer <notify@followup.example>"
    assert message.to == ["ana@acme.example"]
    assert message.cc == ["Robin Fischer <robin@seeker.example>"]
    assert message.reply_to == ["Robin Fischer <robin@seeker.example>"]
    assert message.body == "Thank you for the talk about event sourcing."
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.SENT
    outreach = draft.outreach
    assert outreach.direction == Outreach.Direction.OUTGOING
    assert outreach.channel == Outreach.Channel.EMAIL
    assert outreach.delivery == Outreach.Delivery.SENT
    assert outreach.esp_message_id == str(message.anymail_status.message_id)
    assert outreach.reminder == scene.thank_you and outreach.contact == scene.contact
    scene.thank_you.refresh_from_db()
    assert scene.thank_you.state == Reminder.State.DONE


def test_a_second_send_of_the_same_draft_sends_nothing(scene, scene_client, anymail_test_backend):
    draft = saved_draft(scene, scene_client)
    send(scene_client, draft)
    send(scene_client, draft)
    draft_send(draft=Draft.objects.get(pk=draft.pk))
    assert len(mail.outbox) == 1
    assert Outreach.objects.count() == 1


def test_a_draft_claimed_by_another_request_is_not_sent_again(
    scene, scene_client, anymail_test_backend
):
    draft = saved_draft(scene, scene_client)
    Draft.objects.filter(pk=draft.pk).update(send_state=Draft.SendState.SENDING)
    draft_send(draft=draft)
    assert mail.outbox == []
    assert Draft.objects.get(pk=draft.pk).send_state == Draft.SendState.SENDING


def test_below_the_minimum_gap_the_send_buttons_give_way_to_a_date(
    scene, scene_client, anymail_test_backend
):
    OutreachFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        occurred_at=timezone.now() - timedelta(days=2),
    )
    draft = saved_draft(scene, scene_client)
    html = scene_client.get(reverse("outreach:draft_edit", args=[draft.pk])).content.decode()
    assert 'id="cadence-guard"' in html and "You can write to Ana again from" in html
    assert "Send through Followup" not in html and 'value="send"' not in html
    response = send(scene_client, draft)
    assert response.url == reverse("outreach:draft_edit", args=[draft.pk])
    assert mail.outbox == []
    assert Draft.objects.get(pk=draft.pk).send_state == Draft.SendState.IDLE
    page = scene_client.get(response.url).content.decode()
    assert "To avoid badgering them" in page


def test_i_sent_it_myself_records_the_outreach_without_sending(
    scene, scene_client, anymail_test_backend
):
    draft = saved_draft(scene, scene_client)
    scene_client.post(
        reverse("outreach:draft_edit", args=[draft.pk]),
        {"subject": draft.subject, "body": draft.body, "action": "sent_myself"},
    )
    assert mail.outbox == []
    outreach = Outreach.objects.get()
    assert outreach.delivery == Outreach.Delivery.NOT_SENT_BY_APP
    assert outreach.channel == Outreach.Channel.EMAIL
    assert Draft.objects.get().send_state == Draft.SendState.SENT


def test_a_posted_card_is_recorded_as_a_card(scene, scene_client):
    url = reverse("reminders:compose_for_reminder", args=[scene.thank_you.pk])
    page = scene_client.get(url, {"template": "builtin:card"})
    assert "I wrote and posted the card" in page.content.decode()
    scene_client.post(
        url,
        {
            "template_key": "builtin:card",
            "subject": "",
            "body": page.context["form"]["body"].value(),
            "action": "sent_myself",
        },
    )
    outreach = Outreach.objects.get()
    assert outreach.channel == Outreach.Channel.CARD
    assert Draft.objects.get().occasion == Occasion.CARD


def test_the_eml_download_is_an_unsent_message_from_the_user(scene, scene_client):
    draft = saved_draft(scene, scene_client, body="Hello Ana,\n\nThank you.")
    response = scene_client.get(reverse("outreach:draft_eml", args=[draft.pk]))
    assert response["Content-Type"] == "message/rfc822"
    assert "attachment" in response["Content-Disposition"]
    parsed = message_from_bytes(response.content, policy=policy.default)
    assert parsed["X-Unsent"] == "1"
    assert parsed["From"].addresses[0].addr_spec == "robin@seeker.example"
    assert parsed["Subject"] == "Thank you, Ana"
    assert not Outreach.objects.exists()


def test_the_mailto_link_carries_the_encoded_subject_and_body(scene, scene_client):
    draft = saved_draft(scene, scene_client, subject="Thanks & more", body="Line 1\nLine 2?")
    html = scene_client.get(reverse("outreach:draft_edit", args=[draft.pk])).content.decode()
    assert (
        'href="mailto:ana@acme.example?subject=Thanks%20%26%20more&amp;body=Line%201%0D%0ALine%202%3F"'
        in html
    )


# --- A real ESP call against a local stand-in for Postmark's API -----------------------------


class FakePostmark:
    """Answers Postmark's /email endpoint the way it is told to: ok, reject or hang."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                outer.requests.append(json.loads(self.rfile.read(length)))
                if outer.mode == "hang":
                    time.sleep(1.5)
                if outer.mode == "reject":
                    status, payload = (
                        422,
                        {
                            "ErrorCode": 300,
                            "Message": "Invalid 'To' address: 'ana@acme.example'.",
                        },
                    )
                else:
                    status, payload = (
                        200,
                        {
                            "To": "ana@acme.example",
                            "SubmittedAt": "2025-05-06T10:00:00Z",
                            "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
                            "ErrorCode": 0,
                            "Message": "OK",
                        },
                    )
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def postmark(settings):
    fake = FakePostmark()
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {
        "POSTMARK_SERVER_TOKEN": "server-token",
        "POSTMARK_API_URL": fake.url,
        "REQUESTS_TIMEOUT": 0.5,
    }
    yield fake
    fake.close()


def test_postmark_message_id_is_kept_for_tracking(scene, scene_client, postmark):
    draft = saved_draft(scene, scene_client)
    send(scene_client, draft)
    assert postmark.requests[0]["To"] == "ana@acme.example"
    assert Outreach.objects.get().esp_message_id == "b7bc2f4a-e38e-4336-af7d-e6c392c2f817"


def test_a_refusal_is_a_failure_the_user_may_retry(scene, scene_client, postmark):
    postmark.mode = "reject"
    draft = saved_draft(scene, scene_client)
    send(scene_client, draft)
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.FAILED
    assert "refused ana@acme.example (invalid)" in draft.send_error
    assert not Outreach.objects.exists()
    page = scene_client.get(reverse("outreach:draft_edit", args=[draft.pk])).content.decode()
    assert "The message was not sent" in page and "Try sending again" in page
    postmark.mode = "ok"
    send(scene_client, draft)
    assert Draft.objects.get(pk=draft.pk).send_state == Draft.SendState.SENT
    assert len(postmark.requests) == 2


def test_a_timeout_is_uncertain_shown_to_check_and_never_resent_on_its_own(
    scene, scene_client, postmark
):
    postmark.mode = "hang"
    draft = saved_draft(scene, scene_client)
    send(scene_client, draft)
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.UNCERTAIN
    assert not Outreach.objects.exists()
    page = scene_client.get(reverse("outreach:draft_edit", args=[draft.pk])).content.decode()
    assert "This message may or may not have gone out" in page
    assert 'value="send"' not in page
    # Pressing send again (a stale tab) does not resend.
    postmark.mode = "ok"
    send(scene_client, draft)
    assert len(postmark.requests) == 1
    # The user checks their copy: not there, so they may send it again.
    uncertain = reverse("outreach:draft_uncertain", args=[draft.pk])
    scene_client.post(uncertain, {"went_out": "no", "attempt": 1})
    assert Draft.objects.get(pk=draft.pk).send_state == Draft.SendState.FAILED
    send(scene_client, draft)
    assert len(postmark.requests) == 2
    assert Outreach.objects.count() == 1


def test_an_uncertain_send_the_user_confirms_is_recorded(scene, scene_client, postmark):
    postmark.mode = "hang"
    draft = saved_draft(scene, scene_client)
    send(scene_client, draft)
    scene_client.post(
        reverse("outreach:draft_uncertain", args=[draft.pk]), {"went_out": "yes", "attempt": 1}
    )
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.SENT
    assert draft.outreach.delivery == Outreach.Delivery.SENT
    assert len(postmark.requests) == 1
