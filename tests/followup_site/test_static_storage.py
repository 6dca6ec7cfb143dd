"""The static storages remember each URL, and answer as the storages they extend do."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

from followup_site.static_storage import (
    RememberedManifestStaticFilesStorage,
    RememberedStaticFilesStorage,
)


def _manifest_root(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"css/a.css": "css/a.0123abcd.css"}})
    )
    return str(tmp_path)


def test_plain_storage_answers_as_django_and_remembers(settings):
    remembered = RememberedStaticFilesStorage()
    plain = StaticFilesStorage()
    for name in ("js/theme.js", "vendor/htmx/htmx.min.js", "a b&c.css"):
        assert remembered.url(name) == plain.url(name)
        assert remembered.url(name) == plain.url(name)
    assert len(remembered._remembered_urls) == 3


def test_manifest_storage_answers_as_whitenoise_and_remembers(settings, tmp_path):
    settings.DEBUG = False
    root = _manifest_root(tmp_path)
    remembered = RememberedManifestStaticFilesStorage(location=root)
    whitenoise = CompressedManifestStaticFilesStorage(location=root)
    hashed = "/static/css/a.0123abcd.css"
    assert remembered.url("css/a.css") == whitenoise.url("css/a.css") == hashed
    assert remembered.url("css/a.css") == whitenoise.url("css/a.css")
    assert list(remembered._remembered_urls) == [("css/a.css", False)]
    # With DEBUG on the manifest storage answers unhashed names: not the remembered answer.
    settings.DEBUG = True
    assert remembered.url("css/a.css") == whitenoise.url("css/a.css") == "/static/css/a.css"


def test_manifest_storage_remembers_no_failure(settings, tmp_path):
    settings.DEBUG = False
    remembered = RememberedManifestStaticFilesStorage(location=_manifest_root(tmp_path))
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            remembered.url("css/missing.css")
    assert remembered._remembered_urls == {}


def test_forced_url_is_not_remembered(settings, tmp_path):
    settings.DEBUG = False
    remembered = RememberedManifestStaticFilesStorage(location=_manifest_root(tmp_path))
    assert remembered.url("css/a.css", force=True) == "/static/css/a.0123abcd.css"
    assert remembered._remembered_urls == {}
