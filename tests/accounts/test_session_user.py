"""request.user read by hand (accounts/session_user.py) is Django's ``auth.get_user``: the
same user with the same field values, and every other outcome (anonymous, a flushed
session, a session re-keyed for a fallback secret) left to Django, on both databases."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts import session_user
from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _request(user: User, backend: str = BACKEND):
    """A request whose stored session signed ``user`` in through ``backend``, with the keys
    ``auth.login`` writes (not login itself, which would move last_login on each call)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store()
    session[auth.SESSION_KEY] = str(user.pk)
    session[auth.BACKEND_SESSION_KEY] = backend
    session[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    request = RequestFactory().get("/")
    request.session = store(session.session_key)
    return request


def _outcome(get_user, make_request):
    request = make_request()
    key = request.session.session_key
    user = get_user(request)
    values = None
    if user.is_authenticated:
        values = [getattr(user, field.attname) for field in User._meta.concrete_fields]
    return (
        type(user),
        values,
        request.session.session_key == key,
        dict(request.session.items()),
    )


def _same_as_django(make_request):
    ours = _outcome(session_user.get_user, make_request)
    django = _outcome(auth.get_user, make_request)
    assert ours == django
    return ours


def test_signed_in_user_is_read_by_hand_with_the_orms_values():
    user = UserFactory(full_name="<script>\"'&", signature="x\ny")
    user_type, values, same_key, _ = _same_as_django(lambda: _request(user))
    assert user_type is User
    assert values[0] == user.pk
    assert same_key
    request = _request(user)
    request.session.keys()  # the session's own read is not the user's
    with CaptureQueriesContext(connection) as queries:
        session_user.get_user(request)
    assert len(queries) == 1


def test_no_session_is_anonymous():
    def make_request():
        request = RequestFactory().get("/")
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        return request

    assert _same_as_django(make_request)[0] is AnonymousUser


def test_a_backend_not_configured_is_anonymous(settings):
    user = UserFactory()
    make_request = lambda: _request(user, backend="accounts.backends.Elsewhere")  # noqa: E731
    assert _same_as_django(make_request)[0] is AnonymousUser


@pytest.mark.parametrize("user_id", ["999999", "99999999999999999999"])
def test_a_user_that_does_not_exist_is_anonymous(user_id):
    user = UserFactory()

    def make_request():
        request = _request(user)
        request.session[auth.SESSION_KEY] = user_id
        return request

    assert _same_as_django(make_request)[0] is AnonymousUser


def test_an_inactive_user_is_anonymous():
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert _same_as_django(lambda: _request(user))[0] is AnonymousUser


def test_a_password_changed_elsewhere_signs_out():
    user = UserFactory()

    def make_request():
        request = _request(user)
        request.session[auth.HASH_SESSION_KEY] = "stale"
        return request

    user_type, _, _, session = _same_as_django(make_request)
    assert user_type is AnonymousUser
    assert session == {}


def test_a_hash_of_a_fallback_secret_is_re_signed(settings):
    user = UserFactory()
    old_secret = settings.SECRET_KEY

    def make_request():
        settings.SECRET_KEY = old_secret
        settings.SECRET_KEY_FALLBACKS = []
        request = _request(user)
        settings.SECRET_KEY = "a-new-secret-" + old_secret
        settings.SECRET_KEY_FALLBACKS = [old_secret]
        return request

    user_type, _, same_key, session = _same_as_django(make_request)
    assert user_type is User
    assert not same_key
    assert session[auth.HASH_SESSION_KEY] == User.objects.get(pk=user.pk).get_session_auth_hash()


def test_pages_sign_in_through_the_middleware(client, user):
    client.force_login(user, backend=BACKEND)
    response = client.get("/accounts/settings/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user
