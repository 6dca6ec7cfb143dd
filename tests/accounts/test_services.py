from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from accounts.models import User
from accounts.services import user_create, user_dashboard_seen, user_update_settings
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_user_create_stores_the_address_lower_cased_with_a_hashed_password():
    user = user_create(email=" Ada@Example.COM ", password=DEFAULT_PASSWORD, full_name="Ada")

    assert user.email == "ada@example.com"
    assert user.password != DEFAULT_PASSWORD
    assert user.check_password(DEFAULT_PASSWORD)
    assert user.timezone == "UTC"


def test_user_create_refuses_an_address_taken_in_another_case():
    UserFactory(email="ada@example.com")

    with pytest.raises(ValidationError) as caught:
        user_create(email="ADA@example.com", password=DEFAULT_PASSWORD, full_name="Ada")

    assert "email" in caught.value.message_dict


def test_the_database_refuses_two_accounts_for_one_inbox_whatever_the_case():
    UserFactory(email="ada@example.com")

    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="ADA@example.com")])


def test_user_update_settings_changes_only_what_is_given(user):
    user_update_settings(user=user, digest_hour=18)

    user.refresh_from_db()
    assert user.digest_hour == 18
    assert user.timezone == "Europe/Berlin"
    assert user.quiet_hours_start == time(21, 0)


def test_user_update_settings_leaves_the_instance_untouched_when_it_refuses(user):
    with pytest.raises(ValidationError) as caught:
        user_update_settings(user=user, full_name="New name", country="ZZ")

    assert "country" in caught.value.message_dict
    assert user.full_name != "New name"
    assert user.country == "US"


def test_user_update_settings_refuses_zero_length_quiet_hours(user):
    with pytest.raises(ValidationError) as caught:
        user_update_settings(user=user, quiet_hours_start=time(8, 0))

    assert "quiet_hours_end" in caught.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_a_dashboard_visit_is_stored_and_leaves_the_connections_commits_durable():
    """Outside a transaction the visit is committed without waiting for the disk (on
    PostgreSQL): for that statement only, the connection's next commits wait as before."""
    first = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    user = UserFactory(dashboard_seen_at=None)

    assert user_dashboard_seen(user=user, now=first) is None
    assert user_dashboard_seen(user=user, now=first + timedelta(hours=1)) == first

    stored = User.objects.get(pk=user.pk)
    assert (stored.dashboard_seen_at, stored.dashboard_replies_since) == (
        first + timedelta(hours=1),
        first,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"


@pytest.mark.parametrize(
    ("minutes_later", "written"),
    [(1, False), (4, False), (5, True), (29, True), (30, True)],
)
def test_a_look_within_a_visit_is_written_only_every_five_minutes(
    minutes_later, written, django_assert_num_queries
):
    first = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    user = UserFactory(dashboard_seen_at=first, dashboard_replies_since=first - timedelta(days=1))
    later = first + timedelta(minutes=minutes_later)

    with django_assert_num_queries(1 if written else 0):
        since = user_dashboard_seen(user=user, now=later)

    # Half an hour after the last look a new visit begins: its new replies start there.
    assert since == (first if minutes_later >= 30 else first - timedelta(days=1))
    stored = User.objects.get(pk=user.pk)
    assert stored.dashboard_seen_at == (later if written else first)
    assert stored.dashboard_replies_since == since
