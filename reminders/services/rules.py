"""Applying the follow-up rules to an application's reminders."""

from __future__ import annotations

from interviews.models import Application


def rules_apply_for_application(*, application: Application) -> None:
    """Bring the application's reminders in line with the follow-up rules.

    Called by the interviews services, inside their transaction, whenever an interview is
    logged, edited or deleted, or the application changes stage or closes.
    """
