"""Signed links in reminder emails: GET confirms, POST acts. Timezone: Europe/Berlin."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client

from reminders.links import SALT, link_read, reminder_action_token, reminder_action_url
from reminders.models import Reminder, UsedActionLink
from tests.factories import ReminderFactory
from tests.reminders.support import BERLIN, local, user_in

pytestmark = pytest.mark.django_db

NOW = local(BERLIN, 2026, 3, 10, 12, 0)


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reminder():
    seeker = user_in(BERLIN)
    return ReminderFactory(
        user=seeker, title="Call Anna", due_at=NOW + timedelta(hours=2), notify_at=None
    )


def _path(reminder, action):
    return reminder_action_url(reminder=reminder, action=action).removeprefix(
        "http://localhost:8000"
    )


@pytest.fixture
def browser():
    """A mail client's browser: not logged in, and CSRF is enforced as in production."""
    return Client(enforce_csrf_checks=True)


def _post_from_the_page(browser, path):
    page = browser.get(path)
    token = browser.cookies["csrftoken"].value
    return page, browser.post(path, {"csrfmiddlewaretoken": token})


def test_link_is_absolute_and_carries_reminder_action_and_owner(reminder, settings):
    settings.SITE_URL = "https://followup.example"
    url = reminder_action_url(reminder=reminder, action="snooze_week")
    assert url.startswith("https://followup.example/tasks/act/")
    claim = link_read(token=url.rstrip("/").rsplit("/", 1)[1])
    assert (claim.reminder_id, claim.user_id, claim.action) == (
        reminder.pk,
        reminder.user_id,
        "snooze_week",
    )


def test_get_shows_a_confirmation_and_changes_nothing(reminder, browser):
    response = browser.get(_path(reminder, "done"))
    assert response.status_code == 200
    assert b"Mark this task as done?" in response.content
    assert b"Call Anna" in response.content
    assert b'method="post"' in response.content
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING


def test_post_marks_the_task_done_without_a_login(reminder, browser):
    _, response = _post_from_the_page(browser, _path(reminder, "done"))
    assert response.status_code == 200
    assert b"Marked as done" in response.content
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE


@pytest.mark.parametrize(("action", "days"), [("snooze_day", 1), ("snooze_week", 7)])
def test_post_snoozes_on_the_users_wall_clock(reminder, browser, action, days):
    _, response = _post_from_the_page(browser, _path(reminder, action))
    assert b"Snoozed" in response.content
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SNOOZED
    assert reminder.due_at == local(BERLIN, 2026, 3, 10 + days, 14, 0)
    assert reminder.notify_at == reminder.due_at


def test_post_without_the_csrf_token_is_refused(reminder, browser):
    response = browser.post(_path(reminder, "done"))
    assert response.status_code == 403
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING


def test_an_expired_link_shows_a_friendly_page_and_changes_nothing(reminder, browser):
    path = _path(reminder, "done")
    with time_machine.travel(NOW + timedelta(days=15), tick=False):
        response = browser.get(path)
    assert response.status_code == 400
    assert b"This link no longer works" in response.content
    assert b"/accounts/login/" in response.content
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING


def test_a_tampered_link_does_not_work(reminder, browser):
    other = ReminderFactory(user=reminder.user)
    token = reminder_action_token(reminder=reminder, action="done")
    # Swapping in another reminder's signed part breaks the signature.
    other_token = reminder_action_token(reminder=other, action="done")
    forged = other_token.split(":", 1)[0] + ":" + token.split(":", 1)[1]
    response = browser.get(f"/tasks/act/{forged}/")
    assert response.status_code == 400
    assert b"This link no longer works" in response.content


def test_a_link_for_a_deleted_task_says_it_no_longer_works(reminder, browser):
    path = _path(reminder, "done")
    reminder.delete()
    assert browser.get(path).status_code == 404


def test_an_already_done_task_says_so(reminder, browser):
    path = _path(reminder, "snooze_day")
    browser.get(path)  # the confirmation page, opened before the task was done elsewhere
    token = browser.cookies["csrftoken"].value
    Reminder.objects.filter(pk=reminder.pk).update(state=Reminder.State.DONE)

    assert b"already done" in browser.get(path).content
    response = browser.post(path, {"csrfmiddlewaretoken": token})
    assert b"already done" in response.content
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.DONE


def test_a_thank_you_link_snoozes_until_before_the_deadline_and_an_old_day_link_is_refused(
    browser,
):
    seeker = user_in(BERLIN)
    deadline = NOW + timedelta(hours=20)
    thanks = ReminderFactory(
        user=seeker, kind=Reminder.Kind.THANK_YOU, title="", due_at=deadline, notify_at=None
    )

    _, refused = _post_from_the_page(browser, _path(thanks, "snooze_day"))
    assert refused.status_code == 409
    assert "cannot be snoozed past its deadline" in refused.content.decode()
    thanks.refresh_from_db()
    assert (thanks.state, thanks.due_at) == (Reminder.State.PENDING, deadline)

    _, done = _post_from_the_page(browser, _path(thanks, "snooze_deadline"))
    assert done.status_code == 200
    thanks.refresh_from_db()
    assert thanks.state == Reminder.State.SNOOZED
    assert (thanks.due_at, thanks.notify_at) == (deadline, deadline - timedelta(hours=2))


def test_a_snooze_link_works_once_and_a_replay_says_it_was_used(reminder, browser):
    path = _path(reminder, "snooze_week")
    _, first = _post_from_the_page(browser, path)
    assert first.status_code == 200
    reminder.refresh_from_db()
    snoozed_until = reminder.due_at
    assert snoozed_until == local(BERLIN, 2026, 3, 17, 14, 0)
    token = browser.cookies["csrftoken"].value
    for _ in range(3):
        replay = browser.post(path, {"csrfmiddlewaretoken": token})
        assert replay.status_code == 410
        page = replay.content.decode()
        assert "This link was already used" in page
        assert f"/tasks/{reminder.pk}/" in page
    again = browser.get(path)
    assert again.status_code == 410 and b"already used" in again.content
    reminder.refresh_from_db()
    assert reminder.due_at == snoozed_until
    assert UsedActionLink.objects.filter(reminder=reminder).count() == 1


def test_each_email_has_its_own_links_even_within_one_second(reminder, browser):
    """Two reminder emails for one task carry two links; each works once."""
    first, second = _path(reminder, "snooze_day"), _path(reminder, "snooze_day")
    assert first != second
    assert _post_from_the_page(browser, first)[1].status_code == 200
    assert _post_from_the_page(browser, second)[1].status_code == 200
    reminder.refresh_from_db()
    assert reminder.due_at == local(BERLIN, 2026, 3, 12, 14, 0)


def test_a_link_from_before_nonces_also_works_once(reminder, browser):
    legacy = signing.dumps({"r": reminder.pk, "u": reminder.user_id, "a": "snooze_day"}, salt=SALT)
    path = f"/tasks/act/{legacy}/"
    assert _post_from_the_page(browser, path)[1].status_code == 200
    assert _post_from_the_page(browser, path)[1].status_code == 410
    reminder.refresh_from_db()
    assert reminder.due_at == local(BERLIN, 2026, 3, 11, 14, 0)


def test_a_refused_action_leaves_the_link_usable(browser):
    seeker = user_in(BERLIN)
    thanks = ReminderFactory(
        user=seeker,
        kind=Reminder.Kind.THANK_YOU,
        title="",
        due_at=NOW + timedelta(hours=20),
        notify_at=None,
    )
    _, refused = _post_from_the_page(browser, _path(thanks, "snooze_day"))
    assert refused.status_code == 409
    assert not UsedActionLink.objects.exists()


def test_an_action_url_is_what_reverse_gives_for_its_token(reminder, settings):
    from django.urls import reverse

    url = reminder_action_url(reminder=reminder, action="snooze_day")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert url == settings.SITE_URL + reverse("reminders:email_action", args=[token])
    assert link_read(token=token).action == "snooze_day"


def test_an_action_url_follows_the_script_prefix(reminder, settings):
    """The reversed URL is cached, but not across a change of script prefix or site URL."""
    from django.urls import set_script_prefix

    assert "/app/" not in reminder_action_url(reminder=reminder, action="done")
    set_script_prefix("/app/")
    try:
        prefixed = reminder_action_url(reminder=reminder, action="done")
        assert prefixed.startswith(settings.SITE_URL + "/app/"), prefixed
    finally:
        set_script_prefix("/")
    settings.SITE_URL = "https://followup.example"
    assert reminder_action_url(reminder=reminder, action="done").startswith(
        "https://followup.example/"
    )


def test_a_token_is_what_django_signing_gives(settings):
    """The cheaper signing of action links is Django's, byte for byte, for any secret."""
    from reminders.links import _dumps

    payload = {"r": 12, "u": 3, "a": "done", "n": "nonce-<&>"}
    assert _dumps(payload) == signing.dumps(payload, salt=SALT)
    settings.SECRET_KEY = "another-secret-" + "x" * 50
    assert _dumps(payload) == signing.dumps(payload, salt=SALT)
    assert signing.loads(_dumps(payload), salt=SALT, max_age=60) == payload


def test_used_links_are_forgotten_once_their_signature_has_expired(reminder, browser):
    """The hourly clean-up deletes a used link's record only when the link itself would be
    refused for its age, so a replay can never pass in between."""
    from reminders.links import LINK_MAX_AGE
    from reminders.tasks import used_links_expire

    old_path = _path(reminder, "snooze_day")
    assert _post_from_the_page(browser, old_path)[1].status_code == 200
    with time_machine.travel(NOW + LINK_MAX_AGE - timedelta(days=1), tick=False):
        recent_path = _path(reminder, "snooze_day")
        assert _post_from_the_page(browser, recent_path)[1].status_code == 200
    with time_machine.travel(NOW + LINK_MAX_AGE + timedelta(seconds=1), tick=False):
        assert used_links_expire() == 1
        # The forgotten link is refused for its age, not carried out again.
        assert browser.get(old_path).status_code == 400
        # The one used since is still remembered and still refused as used.
        assert browser.get(recent_path).status_code == 410
    assert UsedActionLink.objects.count() == 1


def test_the_clean_up_runs_on_beat():
    from followup_site.celery import app

    entries = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "reminders.tasks.used_links_expire" in entries
