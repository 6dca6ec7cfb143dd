"""Signed, expiring links in reminder emails, each scoped to one action on one reminder.

The token carries the reminder id, the action and the owner's id, signed with SECRET_KEY and
a salt only these links use; it is the authority for the action, so no log-in is needed
from a mail client. A link for one reminder can never act on another, and a link stops
working after LINK_MAX_AGE. Each token also carries a random nonce, its link id: the action is
recorded under it, so a link works once (reminders.models.UsedActionLink).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from reminders.models import Reminder

SALT = "followup.reminders.email-action"
LINK_MAX_AGE = timedelta(days=14)
ACTIONS = ("done", "snooze_day", "snooze_week", "snooze_deadline")


class InvalidLink(Exception):
    """The token is malformed, tampered with, expired, or names an unknown action."""


@dataclass(frozen=True)
class LinkClaim:
    reminder_id: int
    user_id: int
    action: str
    # Tokens from before the nonce existed are named by their own hash instead.
    link_id: str


def reminder_action_token(*, reminder: Reminder, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"Unknown reminder action {action!r}.")
    nonce = secrets.token_urlsafe(16)
    return signing.dumps(
        {"r": reminder.pk, "u": reminder.user_id, "a": action, "n": nonce}, salt=SALT
    )


def reminder_action_url(*, reminder: Reminder, action: str) -> str:
    """The absolute URL of the confirmation page for ``action`` on ``reminder``."""
    token = reminder_action_token(reminder=reminder, action=action)
    return settings.SITE_URL + reverse("reminders:email_action", args=[token])


def reminder_task_url(*, reminder: Reminder) -> str:
    """The task's own page in the app (it asks the user to log in)."""
    return f"{settings.SITE_URL}/tasks/{reminder.pk}/"


def link_read(*, token: str) -> LinkClaim:
    """What a token allows, or InvalidLink."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidLink(str(error)) from error
    try:
        claim = LinkClaim(
            reminder_id=int(data["r"]),
            user_id=int(data["u"]),
            action=data["a"],
            link_id=str(data.get("n") or hashlib.sha256(token.encode()).hexdigest())[:64],
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InvalidLink("malformed token") from error
    if claim.action not in ACTIONS:
        raise InvalidLink("unknown action")
    return claim
