"""gunicorn settings every deployment shares; gunicorn reads this file from the directory it
starts in (the Dockerfile's /app, the page benchmark's and the smoke test's checkout). The
command line keeps the app, the address and the number of workers.
"""

from __future__ import annotations

import gc


def post_worker_init(worker: object) -> None:
    """Set the objects of the loaded app (modules, settings, URL patterns) aside from the
    garbage collector once the worker has imported it: they live as long as the worker, and
    every full collection would otherwise walk them all again, a pause of a few milliseconds
    landing on whichever request set it off."""
    gc.freeze()
