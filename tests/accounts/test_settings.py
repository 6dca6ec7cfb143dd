from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")


def _form(user, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": user.full_name,
        "timezone": user.timezone,
        "country": user.country,
        "signature": user.signature,
        "notification_mode": user.notification_mode,
        "thank_you_notify_delay_minutes": user.thank_you_notify_delay_minutes,
        "quiet_hours_start": user.quiet_hours_start.strftime("%H:%M"),
        "quiet_hours_end": user.quiet_hours_end.strftime("%H:%M"),
        "digest_hour": user.digest_hour,
        "call_after_business_days": user.call_after_business_days,
        "checkin_interval_days": user.checkin_interval_days,
        "min_gap_days": user.min_gap_days,
        "checkin_min_gap_days": user.checkin_min_gap_days,
        "max_unanswered_outreaches": user.max_unanswered_outreaches,
    }
    data.update(overrides)
    return data


def test_settings_page_shows_every_preference_and_a_slot_for_more_sections(
    logged_in_client,
):
    response = logged_in_client.get(SETTINGS)

    assert response.status_code == 200
    html = response.content.decode()
    for name in _form(response.wsgi_request.user):
        assert f'name="{name}"' in html, name
    assert "Follow-up preferences" in html
    assert '<optgroup label="Europe">' in html
    assert '<option value="Europe/Berlin" selected>Berlin (UTC+' in html
    assert '<option value="DE">Germany (DE)</option>' in html


def test_settings_update_saves_everything_and_says_so(logged_in_client, user):
    data = _form(
        user,
        full_name="Ada King",
        timezone="America/New_York",
        country="GB",
        signature="Ada\nada@example.com",
        notification_mode="digest",
        thank_you_notify_delay_minutes=30,
        quiet_hours_start="22:30",
        quiet_hours_end="07:15",
        digest_hour=9,
        call_after_business_days=5,
        checkin_interval_days=21,
        min_gap_days=10,
        checkin_min_gap_days=14,
        max_unanswered_outreaches=3,
    )

    response = logged_in_client.post(SETTINGS, data, follow=True)

    assert response.redirect_chain == [(SETTINGS, 302)]
    assert "Your settings are saved." in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Ada King"
    assert user.timezone == "America/New_York"
    assert user.country == "GB"
    assert user.signature == "Ada\nada@example.com"
    assert user.notification_mode == user.NotificationMode.DIGEST
    assert user.thank_you_notify_delay_minutes == 30
    assert (user.quiet_hours_start, user.quiet_hours_end) == (time(22, 30), time(7, 15))
    assert user.digest_hour == 9
    assert user.call_after_business_days == 5
    assert user.checkin_interval_days == 21
    assert user.min_gap_days == 10
    assert user.checkin_min_gap_days == 14
    assert user.max_unanswered_outreaches == 3


def test_settings_refuse_an_unknown_timezone_and_keep_what_was_typed(logged_in_client, user):
    response = logged_in_client.post(
        SETTINGS, _form(user, timezone="Mars/Olympus_Mons", full_name="Typed Name")
    )

    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors
    assert 'value="Typed Name"' in response.content.decode()
    user.refresh_from_db()
    assert user.timezone == "Europe/Berlin"


def test_settings_refuse_a_country_without_a_holiday_calendar(logged_in_client, user):
    response = logged_in_client.post(SETTINGS, _form(user, country="XX"))

    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    user.refresh_from_db()
    assert user.country == "US"


def test_settings_refuse_quiet_hours_that_start_and_end_together(logged_in_client, user):
    response = logged_in_client.post(
        SETTINGS,
        _form(user, quiet_hours_start="09:00", quiet_hours_end="09:00", full_name="Kept"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["quiet_hours_end"]
    assert "different time" in errors[0]
    html = response.content.decode()
    assert 'value="Kept"' in html
    # The rejected name did not leak into the page header via request.user.
    assert ">Kept</a>" not in html
    user.refresh_from_db()
    assert user.full_name != "Kept"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("call_after_business_days", 0),
        ("checkin_interval_days", 500),
        ("max_unanswered_outreaches", 11),
        ("thank_you_notify_delay_minutes", -5),
        ("digest_hour", 24),
        ("quiet_hours_start", "25:99"),
        ("notification_mode", "carrier-pigeon"),
    ],
)
def test_settings_refuse_out_of_range_values_with_a_field_error(
    logged_in_client, user, field, value
):
    response = logged_in_client.post(SETTINGS, _form(user, **{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_settings_escape_the_name_the_user_typed(logged_in_client, user):
    logged_in_client.post(SETTINGS, _form(user, full_name="<script>alert(1)</script>"))

    html = logged_in_client.get(SETTINGS).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_settings_show_times_in_the_users_own_timezone(client_for, user):
    user.timezone = "Asia/Tokyo"
    user.save()
    client = client_for(user)

    with time_machine.travel(datetime(2025, 1, 15, 12, 0, tzinfo=UTC), tick=False):
        html = client.get(SETTINGS).content.decode()

    # Noon in UTC is 21:00 in Tokyo.
    assert "Wed 15 Jan 2025, 21:00" in html


def test_timezone_changes_take_effect_on_the_next_page(logged_in_client, user):
    logged_in_client.post(SETTINGS, _form(user, timezone="America/Los_Angeles"))

    with time_machine.travel(datetime(2025, 7, 1, 6, 30, tzinfo=UTC), tick=False):
        html = logged_in_client.get(SETTINGS).content.decode()

    # 06:30 UTC is the evening before in California (UTC-7 in summer).
    assert "Mon 30 Jun 2025, 23:30" in html
