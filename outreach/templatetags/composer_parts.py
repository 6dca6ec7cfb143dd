"""Parts of the composer built in Python: the checklist's items and the merge-field help.

The checklist is drawn on every composer page and with every autosave; through the template
each item was a dozen nodes (three if/elif chains on its level). The merge fields are a
fixed list of some twenty names and help texts. Both are written here with the same markup
the template had, every value escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from outreach.checklist import Check
from outreach.merge import FIELDS

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


@register.simple_tag
@cache
def merge_field_items() -> SafeString:
    """The ``<li>`` of each merge field with its help: a fixed text, built once."""
    return format_html_join(
        "",
        "<li><code>{{{{ {} }}}}</code> {}</li>",
        FIELDS.items(),
    )
