"""Real Celery workers as subprocesses, against the suite's own database and a broker.

Shared by the worker tests: the environment a worker needs to see the test database (the
PostgreSQL ``test_<name>`` or the SQLite test file), a context manager that starts and stops
one, and a queue of a test's own on a broker other runs may share.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time as wall
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from kombu import Exchange, Queue

from followup_site.celery import app
from tests.conftest import require_service


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_env(var_dir: Path, *, broker_url: str | None = None) -> dict[str, str]:
    """The worker's environment: ``var_dir`` for its files (the filesystem broker's folders
    among them), and the broker from REDIS_URL unless ``broker_url`` names one."""
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL",)}
    env.update(
        DEBUG="true",
        FOLLOWUP_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url(),
        EMAIL_BACKEND="followup_site.mailbox.CapturedMailBackend",
    )
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except redis.exceptions.ConnectionError:
            require_service(f"Redis at {redis_url} is not reachable")
    return env


@contextmanager
def worker(log: Path, env: dict[str, str], *options: str) -> Iterator[subprocess.Popen]:
    """A ``celery worker`` subprocess writing to ``log``; stopped (warm, else killed) on exit."""
    with log.open("w") as out:
        worker = subprocess.Popen(  # noqa: S603 - the options are this module's literals
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "followup_site",
                "worker",
                *options,
                "--loglevel=INFO",
                "--pool=solo",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield worker
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def wait_for(worker: subprocess.Popen, done: Callable[[], bool], *, deadline: float) -> bool:
    """Poll ``done`` until it holds, the worker exits, or ``deadline`` seconds have passed."""
    started = wall.monotonic()
    while worker.poll() is None and wall.monotonic() - started < deadline:
        if done():
            return True
        wall.sleep(0.5)
    return done()


@contextmanager
def routed_to_own_queue(task_name: str) -> Iterator[Queue]:
    """Route ``task_name``, as this process publishes it, to a new queue; then delete that queue.

    The broker this process publishes to may be shared: the Redis database with other runs
    of the suite, the folders under ``settings.VAR_DIR`` with the other test processes of
    this tree. A queue of its own keeps the task from their workers, and their tasks from
    the worker that consumes it.
    """
    name = f"followup-test-{uuid.uuid4().hex[:12]}"
    queue = Queue(name, Exchange(name), routing_key=name)
    previous = app.conf.task_routes
    app.conf.update(task_routes={task_name: {"queue": queue}})  # update() re-reads the routes
    try:
        yield queue
    finally:
        app.conf.update(task_routes=previous)
        with app.connection_for_write() as conn:
            bound = queue(conn.default_channel)
            bound.declare()  # the channel removes only the bindings it knows of
            bound.delete()
        control = app.conf.broker_transport_options.get("control_folder")
        if control:  # the filesystem transport leaves the exchange's (now empty) table behind
            (Path(control) / f"{name}.exchange").unlink(missing_ok=True)
