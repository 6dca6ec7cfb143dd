"""Writes for the accounts app: creating a user and saving their settings."""

from __future__ import annotations

import copy
from datetime import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User, new_token
from accounts.signals import follow_up_preferences_changed

DUPLICATE_EMAIL_MESSAGE = "An account with this email address already exists."

# The fields a user may change on the settings page, in the order they are shown.
SETTINGS_FIELDS = (
    "full_name",
    "timezone",
    "country",
    "signature",
    "notification_mode",
    "thank_you_notify_delay_minutes",
    "quiet_hours_start",
    "quiet_hours_end",
    "digest_hour",
    "call_after_business_days",
    "checkin_interval_days",
    "min_gap_days",
    "checkin_min_gap_days",
    "max_unanswered_outreaches",
)
# The settings the follow-up rules read (reminders.facts.Preferences): changing one of them
# moves the reminders already planned.
SCHEDULING_FIELDS = frozenset(SETTINGS_FIELDS) - {"full_name", "signature"}


def user_create(*, email: str, password: str, full_name: str, timezone: str | None = None) -> User:
    """Create an account; the address is stored lower-cased so log-in ignores case.

    The caller validates the password (the sign-up form runs Django's validators against
    the new user). Raises ValidationError if the address is taken in any letter case,
    including when a concurrent sign-up wins the race for it.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE})
    extra: dict[str, object] = {"full_name": full_name.strip()}
    if timezone:
        extra["timezone"] = timezone
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, **extra)
    except IntegrityError as error:
        raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE}) from error


def user_update_settings(
    *,
    user: User,
    full_name: str | None = None,
    timezone: str | None = None,
    country: str | None = None,
    signature: str | None = None,
    notification_mode: str | None = None,
    thank_you_notify_delay_minutes: int | None = None,
    quiet_hours_start: time | None = None,
    quiet_hours_end: time | None = None,
    digest_hour: int | None = None,
    call_after_business_days: int | None = None,
    checkin_interval_days: int | None = None,
    min_gap_days: int | None = None,
    checkin_min_gap_days: int | None = None,
    max_unanswered_outreaches: int | None = None,
) -> User:
    """Save the given settings (None leaves a setting as it is) after validating the row.

    When a setting the follow-up rules read changes, ``follow_up_preferences_changed`` is
    sent: the reminders app then re-plans each open application in a Celery task once this
    transaction commits, so reminders not yet sent (and not snoozed) move to the new quiet
    hours, time zone or intervals without holding up the settings page.

    Raises ValidationError, keyed by field, when a value is out of range, the time zone or
    country is unknown, or quiet hours start and end at the same minute.
    """
    given = {
        "full_name": full_name,
        "timezone": timezone,
        "country": country,
        "signature": signature,
        "notification_mode": notification_mode,
        "thank_you_notify_delay_minutes": thank_you_notify_delay_minutes,
        "quiet_hours_start": quiet_hours_start,
        "quiet_hours_end": quiet_hours_end,
        "digest_hour": digest_hour,
        "call_after_business_days": call_after_business_days,
        "checkin_interval_days": checkin_interval_days,
        "min_gap_days": min_gap_days,
        "checkin_min_gap_days": checkin_min_gap_days,
        "max_unanswered_outreaches": max_unanswered_outreaches,
    }
    changes = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in given.items()
        if value is not None
    }
    # Validate a copy so that a refused change never lingers on the caller's instance
    # (often request.user, which the rest of the request goes on to show).
    candidate = copy.copy(user)
    for name, value in changes.items():
        setattr(candidate, name, value)
    if candidate.quiet_hours_start == candidate.quiet_hours_end:
        raise ValidationError(
            {
                "quiet_hours_end": (
                    "Quiet hours need to end at a different time than they start, "
                    "for example from 21:00 to 08:00."
                )
            }
        )
    exclude = [f.name for f in User._meta.get_fields() if f.name not in changes]
    candidate.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    reschedule = any(
        getattr(user, name) != value for name, value in changes.items() if name in SCHEDULING_FIELDS
    )
    for name, value in changes.items():
        setattr(user, name, value)
    if not changes:
        return user
    with transaction.atomic():
        user.save(update_fields=list(changes))
        if reschedule:
            follow_up_preferences_changed.send(sender=User, user_id=user.pk)
    return user


# The user's secret tokens that can be replaced from the settings page, and what each is.
ROTATABLE_TOKENS = {
    "inbound": "inbound_token",
    "calendar": "calendar_token",
}


def user_token_rotate(*, user: User, token: str) -> str:
    """Replace one of the user's secret tokens; the old one stops working at once.

    Both are looked up by value on every use (the reply address by the inbound webhook, the
    calendar address by the feed), so once the row is saved nothing answers to the old one.
    """
    field = ROTATABLE_TOKENS.get(token)
    if field is None:
        raise ValidationError(f"There is no token called {token!r}.")
    setattr(user, field, new_token())
    user.save(update_fields=[field])
    return getattr(user, field)
