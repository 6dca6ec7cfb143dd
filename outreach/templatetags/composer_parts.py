"""Parts of the composer built in Python: the checklist's items, the snippets from the
notes and the merge-field help.

The checklist is drawn on every composer page and with every autosave; through the template
each item was a dozen nodes (three if/elif chains on its level), each snippet some twenty.
The merge fields are a fixed list of some twenty names and help texts. All are written here
with the same markup the template had, every value escaped (by ``esc``, which passes plain
text without HTML characters as it is: Django's ``format_html`` cost some hundred function
calls an item).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import pgettext

from followup_site.widgets import esc
from outreach.checklist import Check
from outreach.merge import FIELDS, Snippet

register = template.Library()

# level -> (icon classes, icon, what a screen reader hears first)
_LEVELS = {
    "ok": ("text-success", "✓", "Done:"),
    "warn": ("text-warning-emphasis", "!", "To do:"),
}
_OTHER_LEVEL = ("text-info-emphasis", "i", "Note:")

_ITEM = (
    '<li class="d-flex gap-2 py-1 checklist-item checklist-{}" data-check="{}">\n'
    '<span aria-hidden="true" class="flex-shrink-0 fw-bold {}">{}</span>\n'
    '<span class="text-break"><span class="visually-hidden">{} </span>{}{}</span>\n'
    "</li>\n"
)


def _detail(check: Check) -> str:
    if not check.detail:
        return ""
    return f'<br><span class="small text-body-secondary">{esc(check.detail)}</span>'


@register.simple_tag
def checklist_items(checks: Iterable[Check]) -> SafeString:
    """The ``<li>`` of each check, as the loop of ``outreach/checklist.html`` drew them."""
    items = []
    for check in checks:
        classes, icon, heard = _LEVELS.get(check.level, _OTHER_LEVEL)
        items.append(
            _ITEM.format(
                esc(check.level),
                esc(check.key),
                classes,
                icon,
                heard,
                esc(check.label),
                _detail(check),
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every value in it is escaped by esc


_SNIPPET_TEXT = (
    '<div class="d-flex gap-2 align-items-start">\n'
    '<span class="flex-grow-1 text-pre text-break snippet-text">{}</span>\n'
    '<button type="button" class="btn btn-sm btn-outline-primary flex-shrink-0" '
    'data-snippet="{}" data-fills="{}" aria-label="Insert “{}”" hidden>Insert</button>\n'
    "</div>\n"
)
_SNIPPET = (
    '<li class="border-top py-2 snippet">\n'
    '<div class="small text-body-secondary">{}</div>\n{}{}</li>\n'
)
_SNIPPET_LINK = (
    '<div class="d-flex gap-2 align-items-start mt-1">\n'
    '<a class="flex-grow-1 small text-break" href="{}" rel="noopener noreferrer" '
    'target="_blank">{}</a>\n'
    '<button type="button" class="btn btn-sm btn-outline-secondary flex-shrink-0" '
    'data-snippet="{}" data-fills="{}" aria-label="Insert link {}" hidden>Insert link</button>\n'
    "</div>\n"
)


# How much of a note's text or link its Insert button's label quotes.
_SHORT = 60


def _shortener() -> Callable[[str], str]:
    """``Truncator(text).chars(60)`` for many texts: the ellipsis translated once, and no
    walk over every character for the plain text most notes and links are (ASCII has no
    combining characters to skip and is NFC)."""
    ellipsis = pgettext("String to return when truncating text", "%(truncated_text)s…")
    kept = calculate_truncate_chars_length(_SHORT, ellipsis)

    def short(text: str) -> str:
        if text.isascii():
            return text if len(text) <= _SHORT else add_truncation_text(text[:kept], ellipsis)
        if len(text) <= _SHORT and unicodedata.is_normalized("NFC", text):
            return text
        return Truncator(text).chars(_SHORT, truncate=ellipsis)

    return short


def _snippet(snippet: Snippet, short: Callable[[str], str]) -> str:
    text = link = ""
    if snippet.text:
        value = esc(snippet.text)
        text = _SNIPPET_TEXT.format(value, value, esc(snippet.fills), esc(short(snippet.text)))
    if snippet.link:
        value = esc(snippet.link)
        link = _SNIPPET_LINK.format(
            value, value, value, esc(snippet.link_fills), esc(short(snippet.link))
        )
    return _SNIPPET.format(esc(snippet.label), text, link)


@register.simple_tag
def snippet_items(snippets: Iterable[Snippet]) -> SafeString:
    """The ``<li>`` of each note offered beside the draft, with its Insert buttons."""
    short = _shortener()
    # Every value in them is escaped by esc.
    return mark_safe("".join(_snippet(snippet, short) for snippet in snippets))  # noqa: S308


@register.simple_tag
@cache
def merge_field_items() -> SafeString:
    """The ``<li>`` of each merge field with its help: a fixed text, built once."""
    return format_html_join(
        "",
        "<li><code>{{{{ {} }}}}</code> {}</li>",
        FIELDS.items(),
    )
