"""The notes rendered in Python link URLs exactly as the template's urlize filter does."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from interviews.note_html import urlized

TEXTS = [
    "",
    "Plain words only",
    "Note 3: talked about distributed systems and the team's roadmap.",
    "See https://example.com/a?b=1&c=2, then (www.example.org) and mail ana@example.com.",
    "Tags <b>bold</b> & 'quotes' \"double\" stay text",
    "Lines\n  with   spaces\tand tabs\n\nand http://x.example/ at the end:",
    "trailing.dots... and: colons; example.com/path or [https://a.example/(x)]",
    "unicode café.com naïve https://exämple.com/ü",
    "mailto:someone@example.com javascript:alert(1) ftp://x.example",
    # Only words with an @, ://, www. or a .com-like host reach urlize; these test the edges.
    "WWW.EXAMPLE.NET HTTPS://X.EXAMPLE host.GOV/x a.int: x.mil. (www.a.b) 1.5: e.g. i.e.",
    "&#64;x.com a&amp;b.edu http&#58;//x.org www&#46;x.y user@host. @home :// a.b.c",
]


@pytest.mark.parametrize("text", TEXTS)
def test_urlized_is_the_urlize_filter(text):
    expected = Template("{{ text|urlize }}").render(Context({"text": text}))
    assert urlized(text) == expected
