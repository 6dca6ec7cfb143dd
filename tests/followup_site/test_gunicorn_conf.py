"""The worker hook in gunicorn.conf.py, run in a fresh interpreter as a worker would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"

_WORKER = """
import gc, json, runpy, sys
conf = runpy.run_path(sys.argv[1])
before = gc.get_threshold()
conf["post_worker_init"](None)
print(json.dumps({"before": before, "after": gc.get_threshold(),
                  "frozen": gc.get_freeze_count(), "young": conf["YOUNG_GENERATION_THRESHOLD"]}))
"""


def test_a_worker_freezes_the_loaded_app_and_collects_its_young_objects_less_often():
    done = subprocess.run(  # noqa: S603 - our own interpreter and file
        [sys.executable, "-c", _WORKER, str(CONF)],
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(done.stdout)

    assert seen["frozen"] > 0
    assert seen["after"][0] == seen["young"] > seen["before"][0]
    assert seen["after"][1:] == seen["before"][1:]
