"""gunicorn settings every deployment shares; gunicorn reads this file from the directory it
starts in (the Dockerfile's /app, the page benchmark's and the smoke test's checkout). The
command line keeps the app, the address and the number of workers.
"""

from __future__ import annotations

import gc

# Container objects allocated, less those freed, before the garbage collector's youngest
# generation is collected (Python's default is 700). A form page such as the interview edit
# page allocates more than 700 per request, so at the default the collector ran 1.6 times a
# request, each time walking the forms still being drawn: 0.57 ms of CPU a request. At 7,000
# it runs about once every six requests, mostly on garbage, for 0.29 ms a request; beyond
# 10,000 the total no longer falls and each pause grows (20 ms and more at 50,000).
YOUNG_GENERATION_THRESHOLD = 7_000


def post_worker_init(worker: object) -> None:
    """Set the objects of the loaded app (modules, settings, URL patterns) aside from the
    garbage collector once the worker has imported it: they live as long as the worker, and
    every full collection would otherwise walk them all again, a pause of a few milliseconds
    landing on whichever request set it off. Then collect the youngest generation less often
    (``YOUNG_GENERATION_THRESHOLD``); the older generations keep their default ratios."""
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)
