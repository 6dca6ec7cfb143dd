"""Leaving: an account deleted with every row and every file of its user.

``account_delete`` works in this order:

1. In one transaction, with the user's row locked (an export asked for at the same moment
   waits, then finds no user):
   a. the cleanups the apps registered in ``accounts.user_data`` remove the rows that name
      the user without a foreign key: the digest mark (reminders), log-in records kept by
      address (axes), the user's sessions on other devices, and admin log entries about
      the user's rows;
   b. the user's applications are deleted first: a company is RESTRICTed while
      applications point at it (issue 10), so they must be gone (with their interviews,
      notes, tasks, timeline and drafts, by cascade) before the companies go;
   c. the user row goes, and its cascade takes the rest: companies, contacts, templates,
      the remaining tasks, exports, admin log entries by the user.
   Nothing is deleted unless all of it is.
2. Once committed, the user's folder (exports, uploads) is deleted; a rolled-back deletion
   keeps its files.
3. The deletion is logged by user id only: no address, no name.

Queued mail: the user's reminders are deleted with them. The sweep reads each row again
just before it sends (``reminders.services.sweep_batch.BatchSender.still_ours``): a row
that no longer exists is let go unsent, and the outcome it would have recorded updates
nothing. An email whose send had already begun when the deletion committed cannot be
called back.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from accounts.models import User
from accounts.user_data import OwnedModel, deletion_cleanups, owned_models
from accounts.user_files import user_folder_delete

logger = logging.getLogger(__name__)

_ID_CHUNK = 500


def account_delete(*, user: User) -> None:
    """Delete the account and everything of its user (see the module's steps).

    The caller has checked the password; this asks nothing more.
    """
    user_id = user.pk
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user_id).first()
        for cleanup in deletion_cleanups():
            cleanup(user=user)
        for entry in _deletion_order([e for e in owned_models() if e.owner != ""]):
            entry.rows_of(user_id).delete()
        user.delete()
        transaction.on_commit(lambda: user_folder_delete(user_id=user_id))
    logger.info("Account deleted: user %s", user_id)


def _restricts(model, target) -> bool:
    return any(
        f.is_relation
        and f.related_model is target
        and f.remote_field.on_delete in (models.RESTRICT, models.PROTECT)
        for f in model._meta.concrete_fields
    )


def _deletion_order(entries: list[OwnedModel]) -> list[OwnedModel]:
    """The owned models in an order that deletes rows before the rows they RESTRICT or
    PROTECT: applications before companies. The cascades do the rest."""
    remaining = list(entries)
    order: list[OwnedModel] = []
    while remaining:
        free = [
            entry
            for entry in remaining
            if not any(
                other is not entry and _restricts(other.model, entry.model) for other in remaining
            )
        ]
        if not free:  # a cycle of restrictions: none today; the cascade sorts it out or refuses
            order.extend(remaining)
            break
        order.extend(free)
        remaining = [entry for entry in remaining if entry not in free]
    return order


# --- Cleanups of the rows that name the user without a foreign key --------------------------


def login_records_delete(*, user: User) -> None:
    """django-axes keeps log-in attempts by the address typed: the user's go with them."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()


def sessions_delete(*, user: User) -> None:
    """End the user's sessions on every device: their rows hold the user's id.

    Sessions are stored signed, not by user, so each one is read; deleting an account is
    rare, and this is the price of not keeping a second index of who is logged in where.
    """
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return
    from django.contrib.sessions.models import Session

    key = str(user.pk)
    theirs = [
        session.session_key
        for session in Session.objects.iterator(chunk_size=_ID_CHUNK)
        if session.get_decoded().get(SESSION_KEY) == key
    ]
    for start in range(0, len(theirs), _ID_CHUNK):
        Session.objects.filter(session_key__in=theirs[start : start + _ID_CHUNK]).delete()


def admin_log_delete(*, user: User) -> None:
    """The admin's log names the rows staff changed by their text ("Acme Robotics"): the
    entries about the user's rows go with them. Entries the user made as staff cascade."""
    for entry in owned_models():
        content_type = ContentType.objects.get_for_model(entry.model)
        ids = [str(pk) for pk in entry.rows_of(user.pk).values_list("pk", flat=True)]
        for start in range(0, len(ids), _ID_CHUNK):
            LogEntry.objects.filter(
                content_type=content_type, object_id__in=ids[start : start + _ID_CHUNK]
            ).delete()
