from __future__ import annotations

import secrets
import zoneinfo
from datetime import time

import holidays
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as dj_timezone


def new_token() -> str:
    """A URL-safe secret for the calendar feed and the inbound-mail address."""
    return secrets.token_urlsafe(24)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "%(value)s is not a known time zone; pick one like Europe/Berlin.",
            params={"value": value},
        )


def validate_country(value: str) -> None:
    """Accept only a two-letter code the ``holidays`` package has a calendar for."""
    if value not in holidays.list_supported_countries():
        raise ValidationError(
            "%(value)s is not a country we have public holidays for; use a two-letter code "
            "like US, GB or DE.",
            params={"value": value},
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Email addresses are stored lower-cased, so log-in is case-insensitive.
        return self.get(**{self.model.USERNAME_FIELD: (username or "").lower()})


class User(AbstractBaseUser, PermissionsMixin):
    """A job seeker. Logs in with an email address; holds the follow-up preferences."""

    class NotificationMode(models.TextChoices):
        IMMEDIATE = "immediate", "Send each reminder as it comes due"
        DIGEST = "digest", "Collect reminders into one daily digest"

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField("name", max_length=150, blank=True)
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="Reminders are timed in this zone.",
    )
    country = models.CharField(
        max_length=2,
        default="US",
        validators=[validate_country],
        help_text="Two-letter country code; its public holidays are not business days.",
    )
    signature = models.TextField(blank=True, max_length=1000)

    # Follow-up preferences: the product defaults of DESIGN section 4, adjustable per user.
    notification_mode = models.CharField(
        max_length=10, choices=NotificationMode.choices, default=NotificationMode.IMMEDIATE
    )
    thank_you_notify_delay_minutes = models.PositiveIntegerField(
        default=60, validators=[MaxValueValidator(12 * 60)]
    )
    quiet_hours_start = models.TimeField(default=time(21, 0))
    quiet_hours_end = models.TimeField(default=time(8, 0))
    digest_hour = models.PositiveSmallIntegerField(default=8, validators=[MaxValueValidator(23)])
    call_after_business_days = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    checkin_interval_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(7), MaxValueValidator(120)]
    )
    min_gap_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    checkin_min_gap_days = models.PositiveSmallIntegerField(
        default=28, validators=[MinValueValidator(7), MaxValueValidator(120)]
    )
    max_unanswered_outreaches = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    calendar_token = models.CharField(max_length=64, unique=True, default=new_token)
    inbound_token = models.CharField(max_length=64, unique=True, default=new_token)

    # Set when the owner of the address follows the link Followup mailed to it. Until then
    # Followup sends nothing on the account's behalf and shows it no captured mail.
    email_verified_at = models.DateTimeField("email verified", null=True, blank=True)

    # When the user last opened the dashboard (to within accounts.services.DASHBOARD_SEEN_EVERY),
    # and where the current visit's new replies begin: the previous visit's last look. The
    # Today strip lists the replies that came in since then. None until the first visit, and
    # the second None throughout the first visit.
    dashboard_seen_at = models.DateTimeField(null=True, blank=True)
    dashboard_replies_since = models.DateTimeField(null=True, blank=True)

    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=dj_timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"
        constraints = [
            # Addresses are stored lower-cased; this keeps a stray upper-case write from
            # creating a second account for the same inbox.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="An account with this email address already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class DataExport(models.Model):
    """A zip of everything the user keeps here, built by a worker and kept for a while.

    The file lives under the user's folder (``accounts.user_files``) until ``expires_at``;
    then the periodic cleanup deletes it and the row stays EXPIRED, so that the old link
    says the file is gone (410) rather than that it never existed.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    # Percent of the steps done (one per kind of row or file), for the progress bar.
    progress = models.PositiveSmallIntegerField(default=0)
    # The file's name inside the user's export folder; random, so never guessed.
    file_name = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=dj_timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "expires_at"], name="data_export_expiry_idx")]

    def __str__(self) -> str:
        return f"Export {self.pk} of user {self.user_id} ({self.state})"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.BUILDING)
