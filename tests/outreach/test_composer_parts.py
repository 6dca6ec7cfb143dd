"""The composer's parts drawn in Python (outreach.templatetags.composer_parts): a snippet's
Insert label quotes the note as Django's ``Truncator`` shortens it, every value escaped."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.text import Truncator

from outreach.checklist import Check
from outreach.merge import Snippet
from outreach.templatetags.composer_parts import _shortener, checklist_items, snippet_items

HOSTILE = "<script>\"'&"
TEXTS = [
    "",
    "short",
    HOSTILE,
    "x" * 60,
    "x" * 61,
    HOSTILE * 10,
    "é" * 61,
    "e\u0301" * 40,
    "e\u0301" * 70,
    "a" * 59 + "\u0301\u0301",
    "ﬁ" * 61,
]


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_short_quote_is_truncators(language):
    with translation.override(language):
        short = _shortener()
        for text in TEXTS:
            assert short(text) == Truncator(text).chars(60)


def test_snippets_and_checks_escape_every_value():
    snippets = snippet_items(
        [Snippet(label=HOSTILE, text=HOSTILE * 10, fills=HOSTILE, link=f"https://e.x/?{HOSTILE}")]
    )
    checks = checklist_items([Check(key=HOSTILE, level=HOSTILE, label=HOSTILE, detail=HOSTILE)])
    for html in (snippets, checks):
        assert "<script>" not in html and "&lt;script&gt;&quot;&#x27;&amp;" in html
