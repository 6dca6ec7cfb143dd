"""Parts of the composer built in Python: the checklist's items, the snippets from the
notes and the merge-field help.

The checklist is drawn on every composer page and with every autosave; through the template
each item was a dozen nodes (three if/elif chains on its level), each snippet some twenty.
The merge fields are a fixed list of some twenty names and help texts. All are written here
with the same markup the template had, every value escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

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


def _detail(check: Check) -> SafeString | str:
    if not check.detail:
        return ""
    return format_html('<br><span class="small text-body-secondary">{}</span>', check.detail)


@register.simple_tag
def checklist_items(checks: Iterable[Check]) -> SafeString:
    """The ``<li>`` of each check, as the loop of ``outreach/checklist.html`` drew them."""
    return format_html_join(
        "",
        _ITEM,
        (
            (
                check.level,
                check.key,
                *_LEVELS.get(check.level, _OTHER_LEVEL),
                check.label,
                _detail(check),
            )
            for check in checks
        ),
    )


_SNIPPET_TEXT = (
    '<div class="d-flex gap-2 align-items-start">\n'
    '<span class="flex-grow-1 text-pre text-break snippet-text">{}</span>\n'
    '<button type="button" class="btn btn-sm btn-outline-primary flex-shrink-0" '
    'data-snippet="{}" data-fills="{}" aria-label="Insert “{}”" hidden>Insert</button>\n'
    "</div>\n"
)
_SNIPPET_LINK = (
    '<div class="d-flex gap-2 align-items-start mt-1">\n'
    '<a class="flex-grow-1 small text-break" href="{}" rel="noopener noreferrer" '
    'target="_blank">{}</a>\n'
    '<button type="button" class="btn btn-sm btn-outline-secondary flex-shrink-0" '
    'data-snippet="{}" data-fills="{}" aria-label="Insert link {}" hidden>Insert link</button>\n'
    "</div>\n"
)


def _snippet(snippet: Snippet) -> SafeString:
    text = link = ""
    if snippet.text:
        short = Truncator(snippet.text).chars(60)
        text = format_html(_SNIPPET_TEXT, snippet.text, snippet.text, snippet.fills, short)
    if snippet.link:
        short = Truncator(snippet.link).chars(60)
        link = format_html(
            _SNIPPET_LINK, snippet.link, snippet.link, snippet.link, snippet.link_fills, short
        )
    return format_html(
        '<li class="border-top py-2 snippet">\n'
        '<div class="small text-body-secondary">{}</div>\n{}{}</li>\n',
        snippet.label,
        text,
        link,
    )


@register.simple_tag
def snippet_items(snippets: Iterable[Snippet]) -> SafeString:
    """The ``<li>`` of each note offered beside the draft, with its Insert buttons."""
    return SafeString("".join(_snippet(snippet) for snippet in snippets))


@register.simple_tag
@cache
def merge_field_items() -> SafeString:
    """The ``<li>`` of each merge field with its help: a fixed text, built once."""
    return format_html_join(
        "",
        "<li><code>{{{{ {} }}}}</code> {}</li>",
        FIELDS.items(),
    )
