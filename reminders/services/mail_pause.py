"""Sending paused for everyone while the mail settings are broken, and resumed by itself.

A configuration error (SMTP 530/535, an ESP's 401/403: ``outreach.mail_errors``) says that
no message will go out for anyone until the operator fixes the settings. Counting it as an
attempt against each reminder would fail them all for a typo in a token, so instead:

1. the first such error records the pause (one ``Heartbeat`` row, with the error) and logs
   an ERROR; ``/healthz`` answers 503 while the row exists;
2. while paused, each sweep sends one email as a probe and leaves the other rows due;
3. the first probe that goes out lifts the pause, and the sweep goes on with the backlog.
"""

from __future__ import annotations

import logging
from datetime import datetime

from reminders.models import Heartbeat

logger = logging.getLogger(__name__)

PAUSE_MARK = "mail-paused"


def mail_paused() -> Heartbeat | None:
    """The pause row (since when, and why) while sending is paused, else None."""
    return Heartbeat.objects.filter(name=PAUSE_MARK).first()


def mail_pause(*, reason: str, now: datetime) -> None:
    """Pause sending for everyone; an operator must fix the mail settings."""
    _, created = Heartbeat.objects.get_or_create(
        name=PAUSE_MARK, defaults={"at": now, "detail": reason}
    )
    if created:
        logger.error(
            "Sending email is paused: the mail service refused our credentials or settings "
            "(%s). Fix EMAIL_* / ANYMAIL_* settings; sending resumes after the next "
            "successful attempt.",
            reason,
        )
    else:
        Heartbeat.objects.filter(name=PAUSE_MARK).update(detail=reason)


def mail_resume() -> None:
    """Lift the pause after a message went out."""
    deleted, _ = Heartbeat.objects.filter(name=PAUSE_MARK).delete()
    if deleted:
        logger.warning("Sending email has resumed: a message went out again.")
