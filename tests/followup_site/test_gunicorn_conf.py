"""The worker hook in gunicorn.conf.py, run in a fresh interpreter as a worker would: the
app loaded (Django set up), then the hook."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"

_WORKER = """
import gc, json, os, runpy, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followup_site.settings")
import django
django.setup()
from django.db import connection
from django.template import engines
from django.urls import get_resolver
from accounts.forms import country_select_choices
from followup_site import warmup

if sys.argv[2] == "failing":
    def failing():
        raise RuntimeError("a template that cannot compile")
    warmup.warm_up = failing

conf = runpy.run_path(sys.argv[1])
before = gc.get_threshold()
conf["post_worker_init"](None)
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "before": before, "after": gc.get_threshold(),
    "frozen": gc.get_freeze_count(), "young": conf["YOUNG_GENERATION_THRESHOLD"],
    "resolver_ready": get_resolver()._populated,
    "templates_cached": sorted(loader.get_template_cache),
    "templates": warmup.project_template_names(),
    "countries_built": country_select_choices.cache_info().currsize,
    "database_connected": connection.connection is not None,
}))
"""


def _worker(mode: str) -> tuple[dict, str]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and file
        [sys.executable, "-c", _WORKER, str(CONF), mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=CONF.parent,
    )
    return json.loads(done.stdout.splitlines()[-1]), done.stderr


def test_a_worker_freezes_the_loaded_app_and_collects_its_young_objects_less_often():
    seen, _ = _worker("normal")

    assert seen["frozen"] > 0
    assert seen["after"][0] == seen["young"] > seen["before"][0]
    assert seen["after"][1:] == seen["before"][1:]


def test_a_worker_is_warm_before_its_first_request_and_has_not_touched_the_database():
    seen, _ = _worker("normal")

    assert seen["resolver_ready"]
    assert "interviews/dashboard.html" in seen["templates"]
    assert set(seen["templates"]) <= set(seen["templates_cached"])
    assert seen["countries_built"] == 1
    assert not seen["database_connected"]


def test_a_failed_warm_up_is_logged_and_the_worker_still_starts():
    seen, stderr = _worker("failing")

    assert "Warm-up failed" in stderr
    assert "a template that cannot compile" in stderr
    assert seen["frozen"] > 0
    assert seen["after"][0] == seen["young"]
    assert not seen["resolver_ready"]
