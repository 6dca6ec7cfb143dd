"""Writes for the accounts app: signing up, verifying the address, saving settings."""

from __future__ import annotations

import copy
import enum
import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone as dj_timezone

from accounts.account_emails import signup_attempt_email, verification_email
from accounts.models import User, new_token
from accounts.signals import follow_up_preferences_changed
from accounts.throttle import throttle_hit

logger = logging.getLogger(__name__)

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


# --- Signing up and verifying the address ---------------------------------------------------

_VERIFICATION_SALT = "accounts.email-verification"


class VerificationLinkInvalid(ValidationError):
    """The link is malformed, expired, already used, or for an address the account no
    longer has."""


def user_sign_up(*, email: str, password: str, full_name: str, timezone: str | None = None) -> None:
    """Sign up, telling the caller nothing about whether the address already has an account.

    1. A new address: create the account (unverified) and email it a verification link.
    2. An address with an account (or one a concurrent sign-up just took): change nothing;
       hash the password anyway, so that both paths take about as long, and tell the owner
       someone tried, at most once per THROTTLE_SIGNUP_NOTICES_PER_TARGET.
    The caller validates the form and shows the same page either way.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    if not User.objects.filter(email__iexact=email).exists():
        try:
            user = user_create(
                email=email, password=password, full_name=full_name, timezone=timezone
            )
        except ValidationError:
            pass  # taken a moment ago by a concurrent sign-up: the owner is told below
        else:
            email_verification_send(user=user)
            return
    make_password(password)
    owner = User.objects.filter(email__iexact=email).first()
    if owner is None or not throttle_hit(
        scope="signup-notice", value=email, rate=settings.THROTTLE_SIGNUP_NOTICES_PER_TARGET
    ):
        return
    _send(signup_attempt_email(user=owner), what="sign-up notice", user=owner)


def email_verification_link(*, user: User) -> str:
    """A signed link naming the account and its current address; see ``email_verify``."""
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=_VERIFICATION_SALT)
    return settings.SITE_URL + reverse("accounts:verify_email", args=[token])


class VerificationSend(enum.Enum):
    SENT = "sent"
    ALREADY_VERIFIED = "already verified"
    THROTTLED = "throttled"
    FAILED = "failed"  # the mail server refused or was unreachable; logged


def email_verification_send(*, user: User) -> VerificationSend:
    """Email a fresh verification link, unless the address is verified or the user has had
    THROTTLE_VERIFICATION_EMAILS_PER_USER already."""
    if user.email_verified:
        return VerificationSend.ALREADY_VERIFIED
    if not throttle_hit(
        scope="verification-email",
        value=str(user.pk),
        rate=settings.THROTTLE_VERIFICATION_EMAILS_PER_USER,
    ):
        return VerificationSend.THROTTLED
    message = verification_email(
        user=user,
        link=email_verification_link(user=user),
        max_age_hours=settings.EMAIL_VERIFICATION_MAX_AGE_HOURS,
    )
    sent = _send(message, what="verification email", user=user)
    return VerificationSend.SENT if sent else VerificationSend.FAILED


def email_verification_user(*, token: str) -> User:
    """The account a verification link is for, while the link still works.

    Raises VerificationLinkInvalid when the link is malformed or older than
    EMAIL_VERIFICATION_MAX_AGE_HOURS, the account is gone, its address changed since, or it
    is verified already (so the link is useless once used).
    """
    try:
        payload = signing.loads(
            token,
            salt=_VERIFICATION_SALT,
            max_age=settings.EMAIL_VERIFICATION_MAX_AGE_HOURS * 3600,
        )
        user_id, email = int(payload["u"]), str(payload["e"])
    except signing.SignatureExpired as error:
        raise VerificationLinkInvalid("This link has expired.", code="expired") from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise VerificationLinkInvalid("This link is not valid.", code="invalid") from error
    user = User.objects.filter(pk=user_id, email=email).first()
    if user is None:
        raise VerificationLinkInvalid("This link is not valid.", code="invalid")
    if user.email_verified:
        raise VerificationLinkInvalid("This address is confirmed already.", code="used")
    return user


def email_verify(*, token: str) -> User:
    """Mark the link's address verified; a second use, or a concurrent one, changes nothing.

    The conditional UPDATE is the single-use guard: only the request whose UPDATE took the
    row verifies, and only if the address is still the one the link was made for.
    """
    user = email_verification_user(token=token)
    now = dj_timezone.now()
    verified = User.objects.filter(
        pk=user.pk, email=user.email, email_verified_at__isnull=True
    ).update(email_verified_at=now)
    if verified != 1:
        raise VerificationLinkInvalid("This address is confirmed already.", code="used")
    user.email_verified_at = now
    return user


def email_verified_by_reset(*, user: User) -> None:
    """A password reset by a link mailed to the address proves it as well as our own link."""
    now = dj_timezone.now()
    if User.objects.filter(pk=user.pk, email=user.email, email_verified_at__isnull=True).update(
        email_verified_at=now
    ):
        user.email_verified_at = now


def _send(message, *, what: str, user: User) -> bool:
    # A mail server that is down must not turn sign-up into an error page (nor tell apart
    # the two sign-up paths); the banner offers the link again, so log it and go on.
    try:
        message.send()
    except Exception:  # any backend error: recorded, then the page goes on
        logger.exception("Could not send the %s to user %s", what, user.pk)
        return False
    return True


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


# A visit to the dashboard lasts while the user comes back within DASHBOARD_VISIT_GAP of their
# last look: throughout it, the Today strip keeps the replies that were new when it began, so
# that a reload, or the phone after the laptop, does not make them vanish unread. The last
# look is stored at most every DASHBOARD_SEEN_EVERY: most reloads write nothing.
DASHBOARD_VISIT_GAP = timedelta(minutes=30)
DASHBOARD_SEEN_EVERY = timedelta(minutes=5)


def user_dashboard_seen(*, user: User, now: datetime) -> datetime | None:
    """Mark the dashboard as seen at ``now``; returns where this visit's new replies begin:
    the last look of the previous visit (None throughout the first visit).

    A single UPDATE of two columns, so that a dashboard view does not rewrite the whole
    user row (and cannot overwrite a settings change saved meanwhile), and only when a visit
    begins or the last look stored is DASHBOARD_SEEN_EVERY old.
    """
    last, since = user.dashboard_seen_at, user.dashboard_replies_since
    if last is None:
        write = True
    elif now - last >= DASHBOARD_VISIT_GAP:
        since, write = last, True
    else:
        write = now - last >= DASHBOARD_SEEN_EVERY
    if write:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            _dashboard_seen_without_waiting_for_disk(user_id=user.pk, now=now, since=since)
        else:
            User.objects.filter(pk=user.pk).update(
                dashboard_seen_at=now, dashboard_replies_since=since
            )
        user.dashboard_seen_at, user.dashboard_replies_since = now, since
    return since


def _dashboard_seen_without_waiting_for_disk(
    *, user_id: int, now: datetime, since: datetime | None
) -> None:
    """The same UPDATE, committed without waiting for its WAL to reach the disk.

    Waiting for the disk (1 to 3 ms, more under load) was the dashboard's slowest query, for
    a time stamp whose loss costs nothing: if the database server crashed within a fraction
    of a second of the visit (``wal_writer_delay`` times three), the next visit would list
    the same new replies again. ``set_config(..., true)`` relaxes ``synchronous_commit`` for
    this statement's own transaction only (it runs in autocommit, never inside someone
    else's transaction), in the one round trip of the UPDATE.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {User._meta.db_table} "  # noqa: S608 - the model's table
            "SET dashboard_seen_at = %s, dashboard_replies_since = %s "
            "WHERE id = %s AND set_config('synchronous_commit', 'off', true) = 'off'",
            [now, since, user_id],
        )
