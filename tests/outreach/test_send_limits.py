"""What Followup will send for a user: nothing before they verify, and a daily cap after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import User
from outreach.models import Draft, Outreach
from outreach.services.delivery import SendRefused, draft_message
from tests.factories import ContactFactory, OutreachFactory
from tests.outreach.test_delivery import saved_draft, send

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # the user is in Europe/Berlin: 16:00


@pytest.fixture
def unverified(scene):
    User.objects.filter(pk=scene.user.pk).update(email_verified_at=None)
    scene.user.refresh_from_db()
    return scene


def _sent_through_app(scene, *, count: int, at, delivery=Outreach.Delivery.SENT) -> None:
    for _ in range(count):
        contact = ContactFactory(user=scene.user, company=scene.application.company)
        OutreachFactory(
            user=scene.user,
            application=scene.application,
            contact=contact,
            occurred_at=at,
            delivery=delivery,
        )


def test_an_unverified_user_cannot_send_through_the_app(unverified, scene_client):
    draft = saved_draft(unverified, scene_client)

    response = send(scene_client, draft)

    assert response.url == reverse("outreach:draft_edit", args=[draft.pk])
    page = scene_client.get(response.url).content.decode()
    assert "Confirm your address robin@seeker.example first" in page
    assert 'id="send-needs-verification"' in page
    assert mail.outbox == []
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.IDLE
    assert not Outreach.objects.exists()
    # Their own mail program still works.
    eml = scene_client.get(reverse("outreach:draft_eml", args=[draft.pk]))
    assert eml.status_code == 200


def test_no_message_with_an_unverified_reply_to_is_ever_built(unverified, scene_client):
    draft = saved_draft(unverified, scene_client)

    with pytest.raises(SendRefused):
        draft_message(draft=draft)


def test_messages_carry_the_verified_address_as_reply_to(scene, scene_client):
    draft = saved_draft(scene, scene_client)

    message = draft_message(draft=draft)

    assert message.reply_to == ["Robin Fischer <robin@seeker.example>"]


@time_machine.travel(NOW, tick=False)
def test_the_daily_cap_counts_app_sends_in_the_last_24_hours(scene, scene_client, settings):
    settings.DAILY_SEND_LIMIT = 3
    _sent_through_app(scene, count=3, at=NOW - timedelta(hours=23))
    # Messages the user sent from their own mail program do not count.
    _sent_through_app(scene, count=5, at=NOW, delivery=Outreach.Delivery.NOT_SENT_BY_APP)
    draft = saved_draft(scene, scene_client)

    response = send(scene_client, draft)

    page = scene_client.get(response.url).content.decode()
    assert "You have sent 3 messages through Followup in the last 24 hours" in page
    assert mail.outbox == []
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.IDLE


@time_machine.travel(NOW, tick=False)
def test_the_cap_frees_up_as_sends_pass_24_hours(scene, scene_client, settings):
    settings.DAILY_SEND_LIMIT = 3
    _sent_through_app(scene, count=3, at=NOW - timedelta(hours=23))
    draft = saved_draft(scene, scene_client)
    assert send(scene_client, draft).url == reverse("outreach:draft_edit", args=[draft.pk])

    with time_machine.travel(NOW + timedelta(hours=1, minutes=1), tick=False):
        response = send(scene_client, draft)

    assert response.url == scene.application.get_absolute_url()
    assert len(mail.outbox) == 1


@time_machine.travel(NOW, tick=False)
def test_a_send_whose_outcome_is_unknown_counts_against_the_cap(scene, scene_client, settings):
    settings.DAILY_SEND_LIMIT = 3
    _sent_through_app(scene, count=2, at=NOW - timedelta(hours=1))
    draft = saved_draft(scene, scene_client)
    other = ContactFactory(user=scene.user, company=scene.application.company)
    Draft.objects.create(
        user=scene.user,
        application=scene.application,
        contact=other,
        subject="Checking in",
        body="Hi",
        send_state=Draft.SendState.UNCERTAIN,
    )

    send(scene_client, draft)

    assert mail.outbox == []
