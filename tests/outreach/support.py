"""Drafts built directly, in any send state, for the tests of the pages that list them."""

from __future__ import annotations

from datetime import datetime

from interviews.models import Application, Contact
from outreach.models import Draft, Occasion
from tests.factories import ApplicationFactory, ContactFactory


def draft_of(
    user,
    *,
    application: Application | None = None,
    contact: Contact | None = None,
    saved_at: datetime | None = None,
    **fields: object,
) -> Draft:
    """A draft of ``user``'s (to a new person for a new application unless given one)."""
    application = application or ApplicationFactory(user=user)
    contact = contact or ContactFactory(user=user, company=application.company)
    fields.setdefault("occasion", Occasion.THANK_YOU)
    fields.setdefault("subject", f"Thank you, {contact.name}")
    fields.setdefault("body", "Hi,\n\nThank you for your time.")
    draft = Draft.objects.create(user=user, application=application, contact=contact, **fields)
    if saved_at is not None:
        Draft.objects.filter(pk=draft.pk).update(updated_at=saved_at)
        draft.refresh_from_db()
    return draft
