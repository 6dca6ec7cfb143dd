"""gunicorn settings every deployment shares; gunicorn reads this file from the directory it
starts in (the Dockerfile's /app, the page benchmark's and the smoke test's checkout). The
command line keeps the app, the address and the number of workers.
"""

from __future__ import annotations

import gc
import logging

# Container objects allocated, less those freed, before the garbage collector's youngest
# generation is collected (Python's default is 700). A form page such as the interview edit
# page allocates more than 700 per request, so at the default the collector ran 1.6 times a
# request, each time walking the forms still being drawn: 0.57 ms of CPU a request. At 7,000
# it runs about once every six requests, mostly on garbage, for 0.29 ms a request; beyond
# 10,000 the total no longer falls and each pause grows (20 ms and more at 50,000).
YOUNG_GENERATION_THRESHOLD = 7_000


def post_worker_init(worker: object) -> None:
    """Once the worker has loaded the app, do what its first requests would otherwise do
    (import the views, compile the templates, build the long selects: followup_site/warmup.py).
    Then set what it loaded (modules, settings, URL patterns, templates) aside from the
    garbage collector: it lives as long as the worker, and every full collection would
    otherwise walk it all again, a pause of a few milliseconds landing on whichever request
    set it off. Then collect the youngest generation less often
    (``YOUNG_GENERATION_THRESHOLD``); the older generations keep their default ratios."""
    _warm_up()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)


def _warm_up() -> None:
    from followup_site.warmup import warm_up

    try:
        warm_up()
    except Exception:
        # A page that cannot be drawn fails in its own requests, with the usual error
        # report; it must not keep the worker, and every other page, from starting.
        logging.getLogger(__name__).exception("Warm-up failed: this worker starts cold.")
