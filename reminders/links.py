"""Signed, expiring links in reminder emails, each scoped to one action on one reminder.

The token carries the reminder id, the action and the owner's id, signed with SECRET_KEY and
a salt only these links use; it is the authority for the action, so no log-in is needed
from a mail client. A link for one reminder can never act on another, and a link stops
working after LINK_MAX_AGE. Each token also carries a random nonce, its link id: the action is
recorded under it, so a link works once (reminders.models.UsedActionLink).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_bytes

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
    return _dumps({"r": reminder.pk, "u": reminder.user_id, "a": action, "n": nonce})


@lru_cache(maxsize=4)
def _keyed_hmac(secret: str | bytes) -> hmac.HMAC:
    """An HMAC-SHA256 keyed as ``signing.TimestampSigner(salt=SALT)`` keys it."""
    key = hashlib.sha256(force_bytes(SALT + "signer") + force_bytes(secret)).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _dumps(payload: dict) -> str:
    """``signing.dumps(payload, salt=SALT)``, byte for byte, at a third of its cost.

    Django derives the HMAC key from the salt and SECRET_KEY anew for every token, and a
    sweep signs three or four per reminder; here the keyed HMAC is made once per secret and
    copied. The construction is Django's (URL-safe base64 of compact JSON, a base62
    timestamp, HMAC-SHA256 over both), so ``link_read`` checks these tokens with
    ``signing.loads``, expiry and key rotation included.
    """
    data = json.dumps(payload, separators=(",", ":")).encode("latin-1")
    value = f"{_b64(data)}:{signing.b62_encode(int(time.time()))}"
    mac = _keyed_hmac(settings.SECRET_KEY).copy()
    mac.update(value.encode())
    return f"{value}:{_b64(mac.digest())}"


_PLACEHOLDER = "TOKEN"


@lru_cache(maxsize=16)
def _action_url_parts(site_url: str, script_prefix: str, urlconf: str | None) -> tuple[str, str]:
    """The absolute action URL before and after its token, reversed once.

    A sweep builds three or four links per reminder, and ``reverse()`` cost more than
    signing them. A token only holds URL-safe base64 and ``:``, which ``reverse()`` leaves
    unquoted, so putting it between these parts gives the URL ``reverse()`` would. The
    arguments key the cache: the script prefix and URLconf ``reverse()`` itself depends on.
    """
    del script_prefix, urlconf  # reverse() reads them itself; they only key the cache
    url = site_url + reverse("reminders:email_action", args=[_PLACEHOLDER])
    before, _, after = url.rpartition(_PLACEHOLDER)
    return before, after


def reminder_action_url(*, reminder: Reminder, action: str) -> str:
    """The absolute URL of the confirmation page for ``action`` on ``reminder``."""
    token = reminder_action_token(reminder=reminder, action=action)
    before, after = _action_url_parts(settings.SITE_URL, get_script_prefix(), get_urlconf())
    return before + token + after


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
