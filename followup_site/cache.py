"""The cache of the embedded mode: files under ``var/``, shared by web, worker and beat.

The throttles (django-ratelimit) count requests in the cache, so the cache must be shared
by every process that serves requests and must count atomically. With Redis configured,
Django's RedisCache does both. Without it everything runs on one machine, and Django's
FileBasedCache is shared but counts with a read and a later write: two processes could
both read 4 and both write 5. This subclass takes an exclusive lock on one file for each
add and increment, so counts are exact across processes, and an increment keeps the
entry's expiry instead of resetting it to the default timeout.
"""

from __future__ import annotations

import os
import pickle
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

_LOCK_NAME = "counters.lock"  # not a .djcache file, so culling and clear() leave it alone


class LockedFileCache(FileBasedCache):
    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._createdir()
        with open(os.path.join(self._dir, _LOCK_NAME), "ab") as lock_file:
            locks.lock(lock_file, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock_file)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta: int = 1, version=None) -> int:
        with self._locked():
            fname = self._key_to_file(key, version)
            try:
                # Written only by this cache in its own 0700 directory, as Django's
                # FileBasedCache reads it.
                with open(fname, "rb") as cache_file:
                    expiry = pickle.load(cache_file)  # noqa: S301
                    value = pickle.loads(zlib.decompress(cache_file.read()))  # noqa: S301
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found") from None
            now = time.time()
            if expiry is not None and expiry <= now:
                self._delete(fname)
                raise ValueError(f"Key '{key}' not found")
            new_value = value + delta
            self.set(key, new_value, None if expiry is None else expiry - now, version)
            return new_value
