"""Leaving: after the password, no row and no file of the user is left, and nobody else's goes.

The every-table test walks ``apps.get_models()``: for each model, every chain of foreign keys
that leads to a user (``accounts.user_data.paths_to_user``) must find none of the deleted
user's rows, and no text column of any table may still hold their address. It runs on
SQLite and on PostgreSQL like the rest of the suite.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail, serializers
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.account_deletion import account_delete
from accounts.models import User
from accounts.user_data import owned_models, paths_to_user
from accounts.user_files import user_folder
from interviews.models import Application, Company
from reminders.models import Heartbeat, Reminder
from reminders.services.sweep import SweepResult, claimed_rows, reminders_claim, sweep_run
from reminders.services.sweep_batch import BatchSender
from tests.accounts.user_graph import everything_of, models_without_rows_of, staff_user
from tests.factories import DEFAULT_PASSWORD, ReminderFactory, UserFactory

pytestmark = pytest.mark.django_db

DELETE = reverse("accounts:delete")
CONFIRM = reverse("accounts:delete_confirm")


def _rows_reaching(user_pk: int) -> dict[str, int]:
    """For every model, how many rows reach the user through any chain of foreign keys."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for path in paths_to_user(model):
            lookup = "pk" if path == "" else f"{path}_id"
            count = model._default_manager.filter(**{lookup: user_pk}).count()
            if count:
                found[f"{model._meta.label_lower} via {path or 'pk'}"] = count
    return found


def _text_rows_naming(needle: str) -> list[str]:
    """Every row of every table with ``needle`` in one of its text columns."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        query = models.Q()
        for name in text_fields:
            query |= models.Q(**{f"{name}__icontains": needle})
        if text_fields and model._default_manager.filter(query).exists():
            found.append(model._meta.label_lower)
    return found


def _sessions_of(user_pk: int) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user_pk))


def _snapshot(user: User) -> dict[str, str]:
    """Every row the user owns, serialized: what must come through another's deletion."""
    return {
        entry.label: serializers.serialize("json", entry.rows_of(user.pk))
        for entry in owned_models()
    }


@pytest.fixture
def staff() -> User:
    return staff_user()


@pytest.fixture
def seeker(staff) -> User:
    user = UserFactory(email="leaving@seeker.example", full_name="Lea Leaving")
    everything_of(user, staff=staff)
    return user


@pytest.fixture
def bystander(staff) -> User:
    user = UserFactory(email="staying@seeker.example", full_name="Sam Staying")
    everything_of(user, staff=staff)
    return user


def test_deleting_an_account_leaves_no_row_of_the_user_in_any_table(
    seeker, bystander, client_for, caplog, django_capture_on_commit_callbacks
):
    # The graph reaches every model that can hold a user's rows, and every side table.
    assert models_without_rows_of(seeker) == []
    assert _rows_reaching(seeker.pk)
    assert "axes.accessattempt" in _text_rows_naming(seeker.email)
    assert "admin.logentry" in _text_rows_naming("Acme Robotics")
    assert _sessions_of(seeker.pk) == 1
    assert Heartbeat.objects.filter(name=f"digest:{seeker.pk}").exists()
    folder = user_folder(user_id=seeker.pk)
    assert any(folder.rglob("*.zip"))
    theirs = _snapshot(bystander)
    bystander_sessions = _sessions_of(bystander.pk)
    seeker_pk, seeker_email = seeker.pk, seeker.email

    client = client_for(seeker)
    with (
        caplog.at_level(logging.INFO, logger="accounts.account_deletion"),
        django_capture_on_commit_callbacks(execute=True),  # the files go once it commits
    ):
        response = client.post(DELETE, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("accounts:goodbye")
    assert _rows_reaching(seeker_pk) == {}
    assert _text_rows_naming(seeker_email) == []
    assert _text_rows_naming("leaving@") == []
    assert _sessions_of(seeker_pk) == 0
    assert not Heartbeat.objects.filter(name=f"digest:{seeker_pk}").exists()
    assert not folder.exists()
    # The bystander's rows, sessions and files are exactly as they were.
    assert _snapshot(bystander) == theirs
    assert _sessions_of(bystander.pk) == bystander_sessions
    assert any(user_folder(user_id=bystander.pk).rglob("*.zip"))
    assert Heartbeat.objects.filter(name=f"digest:{bystander.pk}").exists()
    # Logged by id only: no address, no name.
    logged = [r.getMessage() for r in caplog.records if r.name == "accounts.account_deletion"]
    assert logged == [f"Account deleted: user {seeker_pk}"]
    assert all("leaving" not in r.getMessage().lower() for r in caplog.records)


def test_after_deleting_the_user_is_logged_out_and_sees_goodbye(seeker, client_for):
    client = client_for(seeker)
    response = client.post(DELETE, {"password": DEFAULT_PASSWORD}, follow=True)
    assert "Your account is deleted" in response.content.decode()
    assert "_auth_user_id" not in client.session
    settings_page = client.get(reverse("accounts:settings"))
    assert settings_page.status_code == 302
    assert settings_page.url.startswith(reverse("accounts:login"))


def test_deletion_is_one_transaction_nothing_goes_if_a_step_fails(seeker, monkeypatch):
    from accounts import user_data

    def failing(*, user):
        raise RuntimeError("disk on fire")

    cleanups = {**user_data._registry.cleanups, "zz.failing": failing}
    monkeypatch.setattr(user_data._registry, "cleanups", cleanups)
    before = _rows_reaching(seeker.pk)
    with pytest.raises(RuntimeError):
        account_delete(user=seeker)
    assert _rows_reaching(seeker.pk) == before
    assert any(user_folder(user_id=seeker.pk).rglob("*.zip"))


def test_applications_go_before_the_companies_they_restrict(seeker):
    # A company alone cannot be deleted while applications point at it (issue 10) ...
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError):
        Company.objects.filter(user=seeker).delete()
    # ... yet the account goes, its applications first.
    account_delete(user=seeker)
    assert not Application.objects.filter(user_id=seeker.pk).exists()
    assert not Company.objects.filter(user_id=seeker.pk).exists()


# --- Queued mail ----------------------------------------------------------------------------


def _due_reminder(user: User) -> Reminder:
    now = timezone.now()
    return ReminderFactory(
        user=user, title="Call Ana back", due_at=now, notify_at=now - timedelta(minutes=1)
    )


def test_a_reminder_claimed_by_a_sweep_is_not_sent_once_the_account_is_deleted(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = UserFactory(quiet_hours_start="00:00", quiet_hours_end="00:00")
    _due_reminder(user)
    now = timezone.now()
    # A sweep has claimed the row and read it, and is about to send ...
    pks, lease = reminders_claim(now=now)
    rows = claimed_rows(pks, lease)
    assert len(rows) == 1
    # ... when the user deletes the account.
    account_delete(user=user)
    result = SweepResult()
    batch = BatchSender(rows=rows, lease=lease, now=now, result=result)
    try:
        sent = batch.send(rows, lambda: pytest.fail("rendered the email of a deleted account"))
    finally:
        batch.finish()
    assert sent is False
    assert result.released == 1
    assert mail.outbox == []


def test_a_due_reminder_of_a_deleted_account_is_never_sent(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    leaving = UserFactory(quiet_hours_start="00:00", quiet_hours_end="00:00")
    staying = UserFactory(quiet_hours_start="00:00", quiet_hours_end="00:00")
    _due_reminder(leaving)
    _due_reminder(staying)
    account_delete(user=leaving)
    result = sweep_run()
    assert result.sent == 1
    assert [m.to for m in mail.outbox] == [[staying.email]]


# --- Bad requests ---------------------------------------------------------------------------


def test_deleting_by_get_is_refused(seeker, client_for):
    client = client_for(seeker)
    assert client.get(DELETE).status_code == 405
    assert User.objects.filter(pk=seeker.pk).exists()


def test_the_confirm_page_asks_for_the_password(seeker, client_for):
    page = client_for(seeker).get(CONFIRM)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="password"' in html
    assert f'action="{DELETE}"' in html
    assert "cannot be undone" in html


def test_a_wrong_password_deletes_nothing_and_says_so(seeker, client_for):
    response = client_for(seeker).post(DELETE, {"password": "not-my-password"})
    assert response.status_code == 400
    assert "That is not the password of this account. Nothing was deleted." in (
        response.content.decode()
    )
    assert User.objects.filter(pk=seeker.pk).exists()


def test_a_missing_password_is_a_form_error(seeker, client_for):
    response = client_for(seeker).post(DELETE, {})
    assert response.status_code == 400
    assert "Type your password to confirm. Nothing was deleted." in response.content.decode()
    assert User.objects.filter(pk=seeker.pk).exists()


def test_wrong_passwords_are_throttled_like_log_ins(client_for, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory()
    client = client_for(user)
    statuses = [client.post(DELETE, {"password": f"guess-{n}"}).status_code for n in range(4)]
    assert statuses[:2] == [400, 400]
    assert statuses[-1] == 429
    # Locked out now: even the right password deletes nothing until the lock-out ends.
    assert client.post(DELETE, {"password": DEFAULT_PASSWORD}).status_code == 429
    assert User.objects.filter(pk=user.pk).exists()


def test_an_address_that_keeps_guessing_is_refused_before_the_password_is_checked(
    client_for, settings
):
    settings.THROTTLE_LOGIN_FAILURES_PER_ADDRESS = "2/h"
    for _ in range(2):
        Client().post(reverse("accounts:login"), {"username": "x@example.com", "password": "no"})
    user = UserFactory()
    response = client_for(user).post(DELETE, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "wrong passwords from your network" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_deletion_needs_a_log_in():
    response = Client().post(DELETE, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_goodbye_page_is_public():
    response = Client().get(reverse("accounts:goodbye"))
    assert response.status_code == 200
    assert "Your account is deleted" in response.content.decode()
