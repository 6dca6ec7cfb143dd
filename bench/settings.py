"""The product's settings, with one difference: the bench's URLs (bench/urls.py) on top.

`bench/pages.py` serves the app with these, so that two reference views (a bare one and a
trivial logged-in one) answer from the same gunicorn, through the same middleware, in the
same run, while nothing bench-only is ever mounted in the product's own URLs.
"""

from __future__ import annotations

from followup_site.settings import *  # noqa: F403 - the product's settings, unchanged

ROOT_URLCONF = "bench.urls"
