"""anymail's Postmark webhooks, posted over real HTTP to the live server."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import inbound_address
from outreach.models import Outreach, WebhookEvent
from outreach.services.timeline import outreach_record
from reminders.board import dashboard_notices
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from tests.factories import OutreachFactory

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "postmark:a-long-webhook-secret-9f3c"
DOMAIN = "in.followup.example"
ESP_ID = "b7bc2f4a-e38e-4336-af7d-e6c392c2f817"


@pytest.fixture(autouse=True)
def _webhook_settings(settings, mount_esp):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.INBOUND_DOMAIN = DOMAIN
    mount_esp("postmark")


def post(live_server, path: str, payload: dict, *, auth: str | None = SECRET) -> int:
    request = urllib.request.Request(  # noqa: S310 (http to the live server)
        live_server.url + path,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    if auth is not None:
        token = base64.b64encode(auth.encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def inbound_payload(*, token: str, sender: str = "ana@acme.example", message_id: str) -> dict:
    """Shaped like Postmark's inbound webhook: the reply was BCC'd to the secret address."""
    secret_address = f"reply+{token}@{DOMAIN}"
    return {
        "FromName": "Ana Ortiz",
        "MessageStream": "inbound",
        "From": sender,
        "FromFull": {"Email": sender, "Name": "Ana Ortiz", "MailboxHash": ""},
        "To": '"Robin Fischer" <robin@seeker.example>',
        "ToFull": [{"Email": "robin@seeker.example", "Name": "Robin Fischer", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "Bcc": secret_address,
        "BccFull": [{"Email": secret_address, "Name": "", "MailboxHash": token}],
        "OriginalRecipient": secret_address,
        "ReplyTo": "",
        "Subject": "Re: Thank you for our conversation",
        "MessageID": message_id,
        "Date": "Tue, 6 May 2025 16:45:32 +0200",
        "MailboxHash": token,
        "TextBody": "Hi Robin,\n\nThanks! Could we talk on Friday?\n\n> On Monday you wrote...",
        "HtmlBody": "<p>Hi Robin,</p><p>Thanks! Could we talk on Friday?</p>",
        "StrippedTextReply": "Hi Robin,\n\nThanks! Could we talk on Friday?",
        "Tag": "",
        "Headers": [
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "X-Spam-Score", "Value": "-0.1"},
            {"Name": "Message-ID", "Value": "<CAF3x9@mail.acme.example>"},
        ],
        "Attachments": [],
    }


def delivery_payload() -> dict:
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": ESP_ID,
        "Recipient": "ana@acme.example",
        "Tag": "",
        "DeliveredAt": "2025-05-06T10:00:05Z",
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": {},
    }


def bounce_payload(bounce_id: int = 4323372036854775807) -> dict:
    return {
        "RecordType": "Bounce",
        "ID": bounce_id,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "",
        "MessageID": ESP_ID,
        "ServerID": 23,
        "MessageStream": "outbound",
        "Description": "The server was unable to deliver your message (unknown user).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": "ana@acme.example",
        "From": "notify@followup.example",
        "BouncedAt": "2025-05-06T10:05:00Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Thank you for our conversation",
        "Metadata": {},
    }


@pytest.fixture
def awaiting_reply(scene):
    """A follow-up email with no answer for ten days: the rules have set a phone call."""
    sent = outreach_record(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        direction=Outreach.Direction.OUTGOING,
        channel=Outreach.Channel.EMAIL,
        occurred_at=timezone.now() - timedelta(days=10),
        subject="Following up",
        delivery=Outreach.Delivery.SENT,
        esp_message_id=ESP_ID,
    )
    plan_apply(application=scene.application)
    call = Reminder.objects.get(kind=Reminder.Kind.PHONE_CALL, trigger_outreach=sent)
    assert call.is_open
    return sent, call


def test_a_reply_from_the_contact_is_recorded_and_calls_off_the_phone_call(
    scene, awaiting_reply, live_server
):
    _, call = awaiting_reply
    payload = inbound_payload(token=scene.user.inbound_token, message_id="73e6d360-aaaa")
    assert post(live_server, "/anymail/postmark/inbound/", payload) == 200
    reply = Outreach.objects.get(direction=Outreach.Direction.INCOMING)
    assert reply.contact == scene.contact and reply.application == scene.application
    assert reply.channel == Outreach.Channel.EMAIL
    assert reply.body == "Hi Robin,\n\nThanks! Could we talk on Friday?"
    assert reply.subject == "Re: Thank you for our conversation"
    call.refresh_from_db()
    assert call.state == Reminder.State.CANCELLED


def test_the_same_inbound_event_twice_is_recorded_once(scene, awaiting_reply, live_server):
    payload = inbound_payload(token=scene.user.inbound_token, message_id="73e6d360-bbbb")
    assert post(live_server, "/anymail/postmark/inbound/", payload) == 200
    assert post(live_server, "/anymail/postmark/inbound/", payload) == 200
    assert Outreach.objects.filter(direction=Outreach.Direction.INCOMING).count() == 1
    assert WebhookEvent.objects.filter(event_id="73e6d360-bbbb").count() == 1


@pytest.mark.parametrize("auth", [None, "postmark:wrong-secret", "other:" + SECRET])
def test_without_the_right_secret_nothing_is_recorded(scene, awaiting_reply, live_server, auth):
    inbound = inbound_payload(token=scene.user.inbound_token, message_id="73e6d360-cccc")
    assert post(live_server, "/anymail/postmark/inbound/", inbound, auth=auth) in (400, 401, 403)
    assert post(live_server, "/anymail/postmark/tracking/", bounce_payload(), auth=auth) in (
        400,
        401,
        403,
    )
    assert not Outreach.objects.filter(direction=Outreach.Direction.INCOMING).exists()
    assert Outreach.objects.get().delivery == Outreach.Delivery.SENT
    assert not WebhookEvent.objects.exists()


@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailInsecureWebhookWarning")
def test_a_server_without_a_webhook_secret_records_nothing(
    scene, awaiting_reply, live_server, settings
):
    settings.ANYMAIL = {}
    payload = inbound_payload(token=scene.user.inbound_token, message_id="73e6d360-dddd")
    post(live_server, "/anymail/postmark/inbound/", payload, auth=None)
    assert not Outreach.objects.filter(direction=Outreach.Direction.INCOMING).exists()


def test_an_unknown_sender_is_ignored(scene, awaiting_reply, live_server):
    payload = inbound_payload(
        token=scene.user.inbound_token, sender="stranger@spam.example", message_id="m-eeee"
    )
    assert post(live_server, "/anymail/postmark/inbound/", payload) == 200
    assert not Outreach.objects.filter(direction=Outreach.Direction.INCOMING).exists()


def test_a_reply_is_mapped_by_the_secret_address_never_by_from_alone(
    scene, awaiting_reply, live_server, other_user
):
    # Addressed to another user's secret address: that user has no such contact.
    payload = inbound_payload(token=other_user.inbound_token, message_id="m-ffff")
    assert post(live_server, "/anymail/postmark/inbound/", payload) == 200
    # Addressed to no secret address at all, though From is the user's contact.
    payload = inbound_payload(token="not-a-real-token-000000", message_id="m-gggg")
    assert post(live_server, "/anymail/postmark/inbound/", payload) == 200
    assert not Outreach.objects.filter(direction=Outreach.Direction.INCOMING).exists()


def test_delivery_then_bounce_update_the_outreach_and_show_on_the_dashboard(
    scene, awaiting_reply, live_server
):
    sent, _ = awaiting_reply
    assert post(live_server, "/anymail/postmark/tracking/", delivery_payload()) == 200
    sent.refresh_from_db()
    assert sent.delivery == Outreach.Delivery.DELIVERED
    assert post(live_server, "/anymail/postmark/tracking/", bounce_payload()) == 200
    assert post(live_server, "/anymail/postmark/tracking/", bounce_payload()) == 200
    sent.refresh_from_db()
    assert sent.delivery == Outreach.Delivery.BOUNCED
    assert "unknown user" in sent.delivery_detail
    assert WebhookEvent.objects.filter(kind="bounced").count() == 1
    # A late delivery report never hides the bounce.
    late = delivery_payload() | {"DeliveredAt": "2025-05-06T11:00:00Z"}
    assert post(live_server, "/anymail/postmark/tracking/", late) == 200
    sent.refresh_from_db()
    assert sent.delivery == Outreach.Delivery.BOUNCED
    bounced = dashboard_notices(user=scene.user, now=timezone.now()).bounced
    assert bounced == [sent]
    html = render_to_string("outreach/bounces.html", {"bounced": bounced})
    assert "Emails that did not arrive" in html and "ana@acme.example" in html


def test_a_spam_complaint_is_recorded(scene, awaiting_reply, live_server):
    sent, _ = awaiting_reply
    complaint = bounce_payload(bounce_id=77) | {
        "RecordType": "SpamComplaint",
        "Type": "SpamComplaint",
        "TypeCode": 512,
    }
    assert post(live_server, "/anymail/postmark/tracking/", complaint) == 200
    sent.refresh_from_db()
    assert sent.delivery == Outreach.Delivery.COMPLAINED


def test_the_settings_include_shows_the_secret_address(scene):
    address = inbound_address(user=scene.user)
    assert address == f"reply+{scene.user.inbound_token}@{DOMAIN}"
    html = render_to_string("outreach/inbound_settings.html", {"inbound_address": address})
    assert address in html and "BCC" in html


def test_a_reply_to_a_deactivated_account_is_kept_and_shown_on_reactivation(
    scene, awaiting_reply, live_server, client_for
):
    _, call = awaiting_reply
    User.objects.filter(pk=scene.user.pk).update(is_active=False)
    payload = inbound_payload(token=scene.user.inbound_token, message_id="73e6d360-inactive")
    assert post(live_server, "/anymail/postmark/inbound/", payload) == 200
    reply = Outreach.objects.get(direction=Outreach.Direction.INCOMING)
    assert reply.received_while_inactive
    assert reply.contact == scene.contact and reply.application == scene.application
    # It is a reply like any other for the rules: the phone call is off.
    call.refresh_from_db()
    assert call.state == Reminder.State.CANCELLED

    # Back from deactivation: the dashboard says what came in meanwhile.
    User.objects.filter(pk=scene.user.pk).update(is_active=True)
    client = client_for(User.objects.get(pk=scene.user.pk))
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert 'id="inactive-replies"' in dashboard
    assert "while your account was inactive" in dashboard
    assert "Re: Thank you for our conversation" in dashboard and "Ana Ortiz" in dashboard
    assert scene.application.get_absolute_url() in dashboard
    timeline = client.get(scene.application.get_absolute_url()).content.decode()
    assert f'id="outreach-{reply.pk}"' in timeline
    assert "Arrived while your account was inactive" in timeline

    # Once acknowledged it leaves the dashboard and stays on the timeline.
    response = client.post(reverse("outreach:inactive_replies_seen"))
    assert response.status_code == 302
    assert 'id="inactive-replies"' not in client.get(reverse("dashboard")).content.decode()
    reply.refresh_from_db()
    assert not reply.received_while_inactive
    assert Outreach.objects.filter(pk=reply.pk, direction=Outreach.Direction.INCOMING).exists()


def test_a_reply_to_an_active_account_is_not_marked_as_received_while_inactive(
    scene, awaiting_reply, live_server, client_for
):
    payload = inbound_payload(token=scene.user.inbound_token, message_id="73e6d360-active")
    assert post(live_server, "/anymail/postmark/inbound/", payload) == 200
    assert not Outreach.objects.get(direction=Outreach.Direction.INCOMING).received_while_inactive
    dashboard = client_for(scene.user).get(reverse("dashboard")).content.decode()
    assert 'id="inactive-replies"' not in dashboard


def test_acknowledging_inactive_replies_touches_only_ones_own(
    scene, awaiting_reply, client_for, other_user
):
    mine = outreach_record(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        direction=Outreach.Direction.INCOMING,
        channel=Outreach.Channel.EMAIL,
        occurred_at=timezone.now(),
        subject="Mine",
    )
    theirs = OutreachFactory(
        user=other_user, direction=Outreach.Direction.INCOMING, received_while_inactive=True
    )
    Outreach.objects.filter(pk=mine.pk).update(received_while_inactive=True)
    client = client_for(scene.user)
    assert client.get(reverse("outreach:inactive_replies_seen")).status_code == 405
    client.post(reverse("outreach:inactive_replies_seen"))
    assert not Outreach.objects.get(pk=mine.pk).received_while_inactive
    assert Outreach.objects.get(pk=theirs.pk).received_while_inactive


def test_a_bounce_of_the_users_own_copy_leaves_the_message_to_the_contact_alone(
    scene, awaiting_reply, live_server
):
    """The user is in CC under the same message id; only the contact's address counts."""
    sent, _ = awaiting_reply
    own_copy = bounce_payload(bounce_id=901) | {"Email": scene.user.email}
    assert post(live_server, "/anymail/postmark/tracking/", own_copy) == 200
    sent.refresh_from_db()
    assert sent.delivery == Outreach.Delivery.SENT
    own_delivery = delivery_payload() | {"Recipient": scene.user.email}
    assert post(live_server, "/anymail/postmark/tracking/", own_delivery) == 200
    sent.refresh_from_db()
    assert sent.delivery == Outreach.Delivery.SENT
    # The contact's own report still counts, whatever the case of the address.
    contact_bounce = bounce_payload(bounce_id=902) | {"Email": "Ana@Acme.Example"}
    assert post(live_server, "/anymail/postmark/tracking/", contact_bounce) == 200
    sent.refresh_from_db()
    assert sent.delivery == Outreach.Delivery.BOUNCED


def test_after_the_user_replaces_the_reply_address_mail_to_the_old_one_is_ignored(
    scene, awaiting_reply, live_server, client_for
):
    old_token = scene.user.inbound_token
    client_for(scene.user).post(reverse("accounts:token_rotate", args=["inbound"]))
    scene.user.refresh_from_db()
    assert scene.user.inbound_token != old_token
    stale = inbound_payload(token=old_token, message_id="m-rotated-old")
    assert post(live_server, "/anymail/postmark/inbound/", stale) == 200
    assert not Outreach.objects.filter(direction=Outreach.Direction.INCOMING).exists()
    fresh = inbound_payload(token=scene.user.inbound_token, message_id="m-rotated-new")
    assert post(live_server, "/anymail/postmark/inbound/", fresh) == 200
    assert Outreach.objects.filter(direction=Outreach.Direction.INCOMING).count() == 1


def test_nul_bytes_in_a_reply_or_a_bounce_are_dropped_not_a_server_error(
    scene, awaiting_reply, live_server
):
    """JSON may carry \\u0000; PostgreSQL cannot store it, and a 500 makes the ESP retry."""
    sent, _ = awaiting_reply
    payload = inbound_payload(token=scene.user.inbound_token, message_id="m-nul") | {
        "Subject": "Re: Thanks\u0000",
        "StrippedTextReply": "Hi Robin,\u0000 see you Friday",
    }
    assert post(live_server, "/anymail/postmark/inbound/", payload) == 200
    reply = Outreach.objects.get(direction=Outreach.Direction.INCOMING)
    assert (reply.subject, reply.body) == ("Re: Thanks", "Hi Robin, see you Friday")
    bounce = bounce_payload(bounce_id=903) | {"Description": "Unknown\u0000 user"}
    assert post(live_server, "/anymail/postmark/tracking/", bounce) == 200
    sent.refresh_from_db()
    assert sent.delivery == Outreach.Delivery.BOUNCED and sent.delivery_detail == "Unknown user"
