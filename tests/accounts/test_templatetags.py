from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.templatetags.accounts_tags import duration


@pytest.mark.parametrize(
    ("wait", "words"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=2, minutes=30), "2 hours and 30 minutes"),
        (timedelta(seconds=10), "1 minute"),
        (None, "a few minutes"),
    ],
)
def test_lockout_wait_is_written_in_words(wait, words):
    assert duration(wait) == words
