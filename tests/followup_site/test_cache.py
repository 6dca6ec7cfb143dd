"""The embedded mode's cache counts exactly across processes, as the throttles need."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from followup_site.cache import LockedFileCache

PROCESSES = 4
INCREMENTS = 100


def _hammer(cache_class: type, location: str, start: multiprocessing.Event) -> None:
    cache = cache_class(location, {})
    start.wait()
    for _ in range(INCREMENTS):
        cache.add("hits", 0, 3600)
        cache.incr("hits")


def _count_after_racing(cache_class: type, location: Path) -> int:
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [
        context.Process(target=_hammer, args=(cache_class, str(location), start))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=120)
    assert all(worker.exitcode == 0 for worker in workers)
    return cache_class(str(location), {}).get("hits")


def test_increments_from_several_processes_are_all_counted(tmp_path):
    assert _count_after_racing(LockedFileCache, tmp_path / "locked") == PROCESSES * INCREMENTS


def test_an_increment_keeps_the_expiry_the_count_was_added_with(tmp_path):
    cache = LockedFileCache(str(tmp_path), {"TIMEOUT": 300})
    cache.add("hits", 1, 2)

    assert cache.incr("hits") == 2
    time.sleep(2.2)

    assert cache.get("hits") is None
    with pytest.raises(ValueError, match="not found"):
        cache.incr("hits")
