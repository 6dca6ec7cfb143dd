"""Invitations forwarded to the user's inbound address, through anymail's real Postmark
inbound webhook over HTTP to the live server."""

from __future__ import annotations

import base64
from datetime import UTC, timedelta

import pytest
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from interviews.models import Contact, Interview, Invitation
from outreach.models import Outreach, WebhookEvent
from outreach.services.webhooks import inbound_receive
from reminders.models import Reminder
from tests.factories import ApplicationFactory, UserFactory
from tests.interviews.invitation_files import ROBIN, calendar, event_lines, google_invite
from tests.outreach.test_webhooks import DOMAIN, SECRET, inbound_payload, post

pytestmark = pytest.mark.django_db(transaction=True)

INBOUND = "/anymail/postmark/inbound/"


@pytest.fixture(autouse=True)
def _webhook_settings(settings, mount_esp):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.INBOUND_DOMAIN = DOMAIN
    mount_esp("postmark")


@pytest.fixture
def robin(db):
    return UserFactory(email=ROBIN, full_name="Robin Fischer", timezone="Europe/Berlin")


def _utc(moment) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def invite_at(start, **event) -> bytes:
    """A Google invitation from Acme Robotics starting at ``start``, an hour long."""
    return google_invite(
        start=f"DTSTART:{_utc(start)}", end=f"DTEND:{_utc(start + timedelta(hours=1))}", **event
    )


def forwarded(user, data: bytes, *, message_id: str, sender: str = ROBIN, **attachment) -> dict:
    """The user forwards the invitation email to their secret address, .ics attached."""
    payload = inbound_payload(token=user.inbound_token, sender=sender, message_id=message_id)
    payload["Subject"] = "Fwd: Invitation: Interview with Acme Robotics"
    payload["Attachments"] = [
        {
            "Name": attachment.get("name", "invite.ics"),
            "Content": base64.b64encode(data).decode(),
            "ContentType": attachment.get("content_type", "text/calendar; method=REQUEST"),
            "ContentLength": len(data),
        }
    ]
    return payload


def test_a_forwarded_invitation_becomes_an_interview_and_later_versions_move_and_cancel_it(
    live_server, robin
):
    acme = ApplicationFactory(user=robin, company__name="Acme Robotics", stage="applied")
    # Yesterday's interview, forwarded late: its thank-yous are planned at once.
    start = timezone.now() - timedelta(hours=30)

    assert post(live_server, INBOUND, forwarded(robin, invite_at(start), message_id="m1")) == 200

    interview = Interview.objects.get()
    assert (interview.application, interview.starts_at) == (acme, start.replace(microsecond=0))
    assert sorted(c.name for c in interview.interviewers.all()) == ["Ana Ortiz", "Tom Weber"]
    thanks = Reminder.objects.filter(application=acme, kind=Reminder.Kind.THANK_YOU)
    assert thanks.count() == 2
    # The user's own mail is not a reply from an interviewer.
    assert not Outreach.objects.exists()

    # The same email delivered again by the ESP is processed once.
    assert post(live_server, INBOUND, forwarded(robin, invite_at(start), message_id="m1")) == 200
    assert Interview.objects.count() == 1 and Contact.objects.count() == 2

    # The organiser moves it to tomorrow (SEQUENCE 1): moved, the thank-yous wait for it.
    later = timezone.now() + timedelta(days=1)
    assert (
        post(live_server, INBOUND, forwarded(robin, invite_at(later, sequence=1), message_id="m2"))
        == 200
    )
    interview.refresh_from_db()
    assert interview.starts_at == later.replace(microsecond=0)
    assert not Reminder.objects.filter(
        application=acme, kind=Reminder.Kind.THANK_YOU, state__in=Reminder.OPEN_STATES
    ).exists()

    # Then cancels it.
    cancel = invite_at(later, sequence=2, method="CANCEL")
    assert post(live_server, INBOUND, forwarded(robin, cancel, message_id="m3")) == 200
    assert not Interview.objects.exists()
    assert Invitation.objects.get().state == "cancelled"
    assert WebhookEvent.objects.filter(kind="inbound").count() == 3


def test_an_invitation_from_anyone_but_the_user_is_ignored(live_server, robin):
    ApplicationFactory(user=robin, company__name="Acme Robotics")
    data = invite_at(timezone.now() + timedelta(days=2))
    payload = forwarded(robin, data, message_id="x1", sender="mallory@evil.example")
    assert post(live_server, INBOUND, payload) == 200
    assert not Interview.objects.exists() and not Invitation.objects.exists()


def test_an_unverified_account_takes_no_invitation(live_server, db):
    robin = UserFactory(email=ROBIN, email_verified_at=None)
    ApplicationFactory(user=robin, company__name="Acme Robotics")
    data = invite_at(timezone.now() + timedelta(days=2))
    assert post(live_server, INBOUND, forwarded(robin, data, message_id="u1")) == 200
    assert not Interview.objects.exists() and not Invitation.objects.exists()


def test_an_unmatched_invitation_waits_for_the_user_to_pick_the_application(
    live_server, robin, client_for
):
    data = invite_at(timezone.now() + timedelta(days=2), summary="Interview with Globex")
    # An attachment named .ics with a generic type counts too.
    payload = forwarded(
        robin, data, message_id="p1", name="invite.ICS", content_type="application/octet-stream"
    )
    assert post(live_server, INBOUND, payload) == 200
    waiting = Invitation.objects.get()
    assert (waiting.state, waiting.interview) == ("pending", None)
    assert not Interview.objects.exists()

    # Forwarded again, and moved (SEQUENCE 1): still one, waiting with the new time.
    assert post(live_server, INBOUND, payload) == 200
    moved_at = timezone.now() + timedelta(days=3)
    moved = forwarded(
        robin, invite_at(moved_at, summary="Interview with Globex", sequence=1), message_id="p2"
    )
    assert post(live_server, INBOUND, moved) == 200
    waiting.refresh_from_db()
    assert (waiting.sequence, waiting.starts_at) == (1, moved_at.replace(microsecond=0))

    client = client_for(robin)
    page = client.get(reverse("interviews:invitation_import"))
    assert "Interview with Globex" in page.content.decode()
    # Uploading the file the user has is the same confirmation, not "already imported";
    # the older copy is refused in favour of the one waiting.
    uploaded = client.post(
        reverse("interviews:invitation_import"),
        {"file": SimpleUploadedFile("invite.ics", data, "text/calendar")},
    )
    assert uploaded.status_code == 200
    older = client.post(
        reverse("interviews:invitation_confirm"),
        {
            "invitation": uploaded.context["form"].initial["invitation"],
            "company_name": "Globex",
            "role": "SRE",
        },
    )
    assert older.status_code == 400
    assert "A newer version of this invitation is waiting" in older.content.decode()
    review = client.get(reverse("interviews:invitation_waiting", args=[waiting.pk]))
    form = review.context["form"]
    assert form.initial["company_name"] == "Globex"
    response = client.post(
        reverse("interviews:invitation_confirm"),
        {"invitation": form.initial["invitation"], "company_name": "Globex", "role": "SRE"},
    )
    interview = Interview.objects.get()
    assert response.url == interview.get_absolute_url()
    assert str(interview.application) == "SRE at Globex"
    assert interview.starts_at == moved_at.replace(microsecond=0)
    waiting.refresh_from_db()
    assert (waiting.state, waiting.interview, waiting.calendar) == ("imported", interview, "")


@pytest.mark.parametrize(
    "data",
    [
        calendar(
            *[
                ["BEGIN:VEVENT", f"UID:e{n}", "DTSTART:20260310T140000Z", "END:VEVENT"]
                for n in range(10_000)
            ]
        ),
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"\xff\xfe\x00garbage",
    ],
    ids=["10000-events", "no-dtstart", "binary"],
)
def test_a_bad_attachment_is_answered_200_and_saves_nothing(live_server, robin, data):
    ApplicationFactory(user=robin, company__name="Acme Robotics")
    assert post(live_server, INBOUND, forwarded(robin, data, message_id="bad")) == 200
    assert not Interview.objects.exists() and not Invitation.objects.exists()
    # The webhook still works afterwards.
    good = forwarded(robin, invite_at(timezone.now() + timedelta(days=2)), message_id="good")
    assert post(live_server, INBOUND, good) == 200
    assert Interview.objects.count() == 1


def test_an_inline_text_calendar_part_is_read_as_the_invitation(robin):
    """Gmail sends the event as a text/calendar alternative of the message body."""
    ApplicationFactory(user=robin, company__name="Acme Robotics")
    ics = invite_at(timezone.now() + timedelta(days=3)).decode()
    raw = (
        f"From: Robin Fischer <{ROBIN}>\r\n"
        f"To: reply+{robin.inbound_token}@{DOMAIN}\r\n"
        "Subject: Fwd: Invitation\r\nMessage-ID: <fwd-1@seeker.example>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the invitation.\r\n"
        '--b1\r\nContent-Type: text/calendar; charset="UTF-8"; method=REQUEST\r\n'
        "Content-Transfer-Encoding: 7bit\r\n\r\n"
        f"{ics}\r\n--b1--\r\n"
    )
    event = AnymailInboundEvent(
        event_type="inbound",
        event_id=None,
        message=AnymailInboundMessage.parse_raw_mime(raw),
    )
    inbound_receive(esp="postmark", event=event)
    assert Interview.objects.get().interviewers.count() == 2
    # Several events in a forwarded file wait for the user instead of guessing.
    two = calendar(
        event_lines(uid="one@x", start=f"DTSTART:{_utc(timezone.now() + timedelta(days=4))}"),
        event_lines(uid="two@x", start=f"DTSTART:{_utc(timezone.now() + timedelta(days=5))}"),
    )
    event = AnymailInboundEvent(
        event_type="inbound",
        event_id="evt-2",
        message=AnymailInboundMessage.parse_raw_mime(raw.replace(ics, two.decode())),
    )
    inbound_receive(esp="postmark", event=event)
    assert Invitation.objects.get(uid="one@x").state == "pending"
