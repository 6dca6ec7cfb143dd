"""The one entry point that brings an application's follow-up plan up to date.

The follow-up rules live in ``reminders``, above this app and above ``outreach``. Whatever
changes a fact the rules read (an interview logged, edited or deleted, a stage changed, an
application closed or reopened, an email sent, a reply received, a task done by hand) calls
:func:`application_replan` inside its own transaction; the reminders app listens and
re-plans at once, in that same transaction, so the tasks never disagree with the facts.
Apps below ``reminders`` therefore never import it.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``application_id``; the reminders app is the receiver.
application_changed = Signal()


def application_replan(*, application_id: int) -> None:
    """Ask for the follow-up plan of one application to be brought up to date now."""
    application_changed.send(sender=application_replan, application_id=application_id)
