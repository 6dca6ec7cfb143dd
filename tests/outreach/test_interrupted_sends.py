"""A send to an interviewer whose outcome is unknown is resolved by the user, at most once.

A send is interrupted when the mail service did not answer (UNCERTAIN), or when the draft is
still SENDING five minutes after the send started (the process sending it died: a killed
worker, a restarted server). Its page says it may or may not have gone, and offers "it
arrived", "send again" (confirmed, one send per click) and delete. Mail goes over real SMTP
to a local server that can hold its reply to DATA, the moment a sender cannot know.
Times are UTC; the user's zone is Europe/Berlin.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from outreach.models import Draft, Outreach
from outreach.services.delivery import draft_send
from reminders.models import Reminder
from tests.mail_servers import ScriptedSMTP
from tests.outreach.support import draft_of

FIVE_MINUTES = Draft.SEND_INTERRUPTED_AFTER


@pytest.fixture
def smtp(settings):
    with ScriptedSMTP() as server:
        server.use(settings)
        settings.EMAIL_TIMEOUT = 60  # long enough to hold DATA until the test releases it
        yield server


def thank_you_draft(scene) -> Draft:
    return draft_of(
        scene.user,
        application=scene.application,
        contact=scene.contact,
        reminder=scene.thank_you,
        interview=scene.interview,
        subject="Thank you, Ana",
        body="Hi Ana,\n\nThank you for the talk about event sourcing.",
    )


def stuck_sending(draft: Draft, *, started) -> Draft:
    """The draft as a send leaves it when its process dies between claim and outcome."""
    Draft.objects.filter(pk=draft.pk).update(
        send_state=Draft.SendState.SENDING, send_attempts=1, send_started_at=started
    )
    draft.refresh_from_db()
    return draft


def page_of(client, draft: Draft) -> str:
    return client.get(reverse("outreach:draft_edit", args=[draft.pk])).content.decode()


def it_arrived(client, draft: Draft, *, attempt: int = 1):
    return client.post(
        reverse("outreach:draft_uncertain", args=[draft.pk]),
        {"went_out": "yes", "attempt": attempt},
    )


def send_again(client, draft: Draft, *, attempt: int = 1, confirm: str | None = "yes"):
    data = {"attempt": attempt} | ({"confirm": confirm} if confirm is not None else {})
    return client.post(reverse("outreach:draft_send_again", args=[draft.pk]), data)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_send_killed_mid_delivery_is_interrupted_after_five_minutes_and_sent_again_once(
    scene, scene_client, smtp, tmp_path
):
    """The process sending the draft is killed after the message reached the server, before
    the server answered: the draft stays SENDING, and no one can know whether it went."""
    draft = thank_you_draft(scene)
    smtp.holding = True
    env = os.environ | {
        "DEBUG": "true",
        "FOLLOWUP_VAR_DIR": str(tmp_path),
        "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "60",
    }
    script = (
        "from outreach.models import Draft; from outreach.services.delivery import draft_send; "
        f"draft_send(draft=Draft.objects.get(pk={draft.pk}))"
    )
    sender = subprocess.Popen(  # noqa: S603 - this test's own literals
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert smtp.wait_for_messages(1, timeout=60), "the send never reached the server"
    finally:
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=30)
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.SENDING and draft.send_attempts == 1
    smtp.release()

    # Within five minutes it may still be running: nothing can be done to it yet.
    html = page_of(scene_client, draft)
    assert 'id="send-running"' in html and 'id="interrupted-send"' not in html
    assert "Delete this draft" not in html
    assert send_again(scene_client, draft).status_code == 409
    assert scene_client.post(reverse("outreach:draft_delete", args=[draft.pk])).status_code == 409
    assert len(smtp.messages) == 1

    with time_machine.travel(draft.send_started_at + FIVE_MINUTES + timedelta(seconds=1)):
        html = page_of(scene_client, draft)
        assert 'id="interrupted-send"' in html
        assert "may or may not have gone out" in html
        assert "Followup cannot ask the mail service about it" in html
        assert 'id="it-arrived"' in html and 'id="send-again"' in html
        assert "Delete this draft" in html
        drafts_page = scene_client.get(reverse("outreach:draft_list")).content.decode()
        assert "Check: did it go out?" in drafts_page

        # Not confirmed: nothing goes out.
        response = send_again(scene_client, draft, confirm=None)
        assert response.status_code == 400
        assert "Nothing was sent" in response.content.decode()
        assert len(smtp.messages) == 1

        response = send_again(scene_client, draft)
        assert response.status_code == 302
        assert response.url == scene.application.get_absolute_url()
        # The same click again (a double click, a stale tab) sends nothing more.
        assert send_again(scene_client, draft).status_code == 409

    assert len(smtp.messages) == 2
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.SENT and draft.send_attempts == 2
    outreach = Outreach.objects.get()
    assert draft.outreach == outreach and outreach.delivery == Outreach.Delivery.SENT
    scene.thank_you.refresh_from_db()
    assert scene.thank_you.state == Reminder.State.DONE


@pytest.mark.django_db
def test_a_send_is_interrupted_only_once_five_minutes_have_passed(scene, scene_client):
    started = timezone.now()
    draft = stuck_sending(thank_you_draft(scene), started=started)
    with time_machine.travel(started + FIVE_MINUTES - timedelta(seconds=1), tick=False):
        assert not Draft.objects.get(pk=draft.pk).is_interrupted
        assert it_arrived(scene_client, draft).status_code == 409
        assert (
            "Check: did it go out?"
            not in scene_client.get(reverse("outreach:draft_list")).content.decode()
        )
    with time_machine.travel(started + FIVE_MINUTES + timedelta(seconds=1), tick=False):
        assert Draft.objects.get(pk=draft.pk).is_interrupted
        assert (
            "Check: did it go out?"
            in scene_client.get(reverse("outreach:draft_list")).content.decode()
        )
    assert not Outreach.objects.exists()


@pytest.mark.django_db
def test_it_arrived_records_the_send_at_the_time_it_started_once(scene, scene_client):
    started = timezone.now() - timedelta(minutes=20)
    draft = stuck_sending(thank_you_draft(scene), started=started)
    response = it_arrived(scene_client, draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.SENT
    outreach = Outreach.objects.get()
    assert draft.outreach == outreach
    assert outreach.occurred_at == started
    assert outreach.delivery == Outreach.Delivery.SENT and outreach.esp_message_id == ""
    scene.thank_you.refresh_from_db()
    assert scene.thank_you.state == Reminder.State.DONE
    # A second click of the same button changes nothing.
    response = it_arrived(scene_client, draft)
    assert response.status_code == 409
    assert "has changed since the page was shown" in response.content.decode()
    assert Outreach.objects.count() == 1


@pytest.mark.django_db
def test_it_did_not_arrive_makes_the_draft_editable_again(scene, scene_client):
    draft = stuck_sending(thank_you_draft(scene), started=timezone.now() - timedelta(hours=1))
    scene_client.post(
        reverse("outreach:draft_uncertain", args=[draft.pk]), {"went_out": "no", "attempt": 1}
    )
    draft.refresh_from_db()
    assert draft.send_state == Draft.SendState.FAILED and draft.is_editable
    assert not Outreach.objects.exists()


@pytest.mark.django_db
def test_an_interrupted_draft_can_be_deleted(scene, scene_client):
    for state, started in (
        (Draft.SendState.SENDING, timezone.now() - timedelta(minutes=6)),
        (Draft.SendState.UNCERTAIN, timezone.now()),
    ):
        draft = stuck_sending(thank_you_draft(scene), started=started)
        Draft.objects.filter(pk=draft.pk).update(send_state=state)
        response = scene_client.post(reverse("outreach:draft_delete", args=[draft.pk]))
        assert response.status_code == 302
        assert not Draft.objects.filter(pk=draft.pk).exists()
    assert not Outreach.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"went_out": "maybe", "attempt": "1"},
        {"went_out": "yes"},
        {"went_out": "yes", "attempt": "one"},
        {"went_out": "yes", "attempt": "-1"},
        {"went_out": "yes", "attempt": "9" * 40},
        {"went_out": "yes", "attempt": "²"},
    ],
)
def test_a_malformed_resolution_answers_400_and_changes_nothing(scene, scene_client, data):
    draft = stuck_sending(thank_you_draft(scene), started=timezone.now() - timedelta(hours=1))
    response = scene_client.post(reverse("outreach:draft_uncertain", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Say whether the message arrived" in response.content.decode()
    if data.get("attempt") != "1":
        response = scene_client.post(
            reverse("outreach:draft_send_again", args=[draft.pk]),
            {"confirm": "yes", "attempt": data.get("attempt", "")},
        )
        assert response.status_code == 400
        assert "Send it again from the button on this page" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).send_state == Draft.SendState.SENDING
    assert not Outreach.objects.exists()


@pytest.mark.django_db
def test_another_users_interrupted_draft_is_not_found(scene, client_for, other_user):
    draft = stuck_sending(thank_you_draft(scene), started=timezone.now() - timedelta(hours=1))
    stranger = client_for(other_user)
    assert it_arrived(stranger, draft).status_code == 404
    assert send_again(stranger, draft).status_code == 404
    assert Draft.objects.get(pk=draft.pk).send_state == Draft.SendState.SENDING


@pytest.mark.django_db(transaction=True)
def test_a_send_that_finishes_after_the_user_resolved_it_records_nothing_more(
    scene, scene_client, smtp
):
    """The sending process was only slow: it gets its answer after the user said "it
    arrived". The user's word stands and the timeline has the message once."""
    draft = thank_you_draft(scene)
    smtp.holding = True
    outcome: list[Draft] = []

    def send_in_another_request() -> None:
        try:
            outcome.append(draft_send(draft=Draft.objects.get(pk=draft.pk)))
        finally:
            connection.close()

    sender = threading.Thread(target=send_in_another_request)
    sender.start()
    try:
        assert smtp.wait_for_messages(1)
        draft.refresh_from_db()
        with time_machine.travel(draft.send_started_at + FIVE_MINUTES + timedelta(minutes=1)):
            assert it_arrived(scene_client, draft).status_code == 302
    finally:
        smtp.release()
        sender.join(timeout=60)
    assert outcome and outcome[0].send_state == Draft.SendState.SENT
    assert len(smtp.messages) == 1
    outreach = Outreach.objects.get()
    assert outreach.occurred_at == draft.send_started_at
    assert outreach.esp_message_id == ""
