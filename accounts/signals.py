"""Signals of the accounts app, for the apps above it that must react without being imported."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``user_id`` after a preference that the follow-up rules read has changed (time
# zone, quiet hours, delays, intervals, digest). The reminders app re-plans that user's open
# applications in a Celery task, once the change is committed.
follow_up_preferences_changed = Signal()
