"""Static-file storages that work out each file's URL once per process.

``{% static %}`` asks the storage for a URL on every use: six times per page in base.html
alone. With the manifest storage each answer walks the name through ``stored_name``, the
manifest lookup and ``urljoin`` (about a hundred function calls), yet it depends only on
the name and settings fixed for the life of a process (STATIC_URL, the manifest read at
start-up, DEBUG). These storages remember each name's answer; a test that changes
STATIC_URL, STATIC_ROOT or STORAGES gets a new storage (Django's setting_changed handler),
so a fresh memory too.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedUrlsMixin:
    """``url(name)`` worked out once per name (and DEBUG, which the manifest storage reads:
    unhashed names while it is on). ``force=True`` (collectstatic's own use) and any
    failure, such as a name missing from the manifest, are never remembered."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._remembered_urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str, force: bool = False) -> str:
        if force:
            return super().url(name, force)
        key = (name, settings.DEBUG)
        found = self._remembered_urls.get(key)
        if found is None:
            found = self._remembered_urls[key] = super().url(name)
        return found


class RememberedStaticFilesStorage(RememberedUrlsMixin, StaticFilesStorage):
    """Django's plain storage (DEBUG), URLs remembered."""


class RememberedManifestStaticFilesStorage(
    RememberedUrlsMixin, CompressedManifestStaticFilesStorage
):
    """WhiteNoise's compressed manifest storage (production), URLs remembered."""

    def post_process(self, *args: object, **kwargs: object):
        """collectstatic rewrites the manifest: forget what the old one answered."""
        self._remembered_urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._remembered_urls.clear()
