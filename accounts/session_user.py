"""``request.user`` for a session signed in through ModelBackend, read by hand.

Every signed-in page loads its user: Django's ``auth.get_user`` loads the backend named in
the session and ModelBackend reads the row through the ORM, some 1,500 function calls
(0.39 ms of CPU against 0.14 ms for the same row read by hand into ``User.from_db``).

The session keeps naming ``django.contrib.auth.backends.ModelBackend``, so sessions signed
in before and after this stay valid, and the backend stays in AUTHENTICATION_BACKENDS. Only
the answer that needs no decision is taken here: the session's user exists, may sign in
(ModelBackend's ``user_can_authenticate``), and the session's hash is that of the current
SECRET_KEY. Anything else (no session, another backend, no such user, an inactive one, a
password changed elsewhere, a hash of a fallback secret to re-sign) goes to Django's own
``auth.get_user``, which decides, flushes or re-keys the session as it always did.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from accounts.models import User
from followup_site.ids import id_or_none
from followup_site.raw_sql import ModelColumns, planned_cursor

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
_COLUMNS = ModelColumns(User, "u")
_SQL = (
    f"SELECT {_COLUMNS.sql} FROM {User._meta.db_table} u "  # noqa: S608 - names from the model
    f"WHERE u.{User._meta.pk.column} = %(pk)s"
)
_BACKEND = ModelBackend()


def read_user(user_id: object) -> User | None:
    """What ``ModelBackend().get_user(user_id)`` answers, by one hand-written read: the user
    of that id if it may sign in, else None."""
    pk = id_or_none(user_id)
    if pk is None:
        return None
    # Every signed-in page runs it: prepared, it is planned once per connection.
    with planned_cursor() as cursor:
        cursor.execute(_SQL, {"pk": pk})
        row = cursor.fetchone()
    if row is None:
        return None
    user = _COLUMNS.build(row, connection)
    return user if _BACKEND.user_can_authenticate(user) else None


def get_user(request: HttpRequest) -> User | AnonymousUser:
    """``auth.get_user(request)``: the same user, read by hand when the session verifies."""
    session = request.session
    try:
        backend_path = session[auth.BACKEND_SESSION_KEY]
        user_id = session[auth.SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    if backend_path == MODEL_BACKEND and MODEL_BACKEND in settings.AUTHENTICATION_BACKENDS:
        user = read_user(user_id)
        session_hash = session.get(auth.HASH_SESSION_KEY)
        if (
            user is not None
            and session_hash
            and constant_time_compare(session_hash, user.get_session_auth_hash())
        ):
            return user
    return auth.get_user(request)
