"""Writes of the reminder engine: applying the follow-up rules and recording outreach."""

from __future__ import annotations

from interviews.models import Application


def rules_apply_for_application(*, application: Application) -> None:
    """Bring the application's reminders in line with the follow-up rules.

    Called by the interviews services, inside their transaction, whenever an interview is
    logged or edited or the application changes stage. The rules engine fills this in.
    """
