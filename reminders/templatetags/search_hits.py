"""``{% search_hit hit %}``: one result of the search page, built in Python.

A search shows up to a hundred results, each a dozen template nodes plus a loop over its
snippet's parts; here a result is joined from f-strings, every part escaped by ``esc``
and only the matches marked, with the same markup the template had. (Django's
``format_html`` took some seven calls a result, each checking its arguments for lazy
strings: a tenth of the page's CPU.)
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from followup_site.widgets import esc
from reminders.search import Hit

register = template.Library()


@register.simple_tag
def search_hit(hit: Hit) -> SafeString:
    snippet = "".join(
        f"<mark>{esc(part)}</mark>" if match else esc(part) for part, match in hit.snippet
    )
    label = (
        f'<span class="badge bg-body-secondary text-body border">{esc(hit.label)}</span>'
        if hit.label
        else ""
    )
    context = (
        f'<div class="small text-body-secondary text-break">{esc(hit.context)}</div>'
        if hit.context
        else ""
    )
    return SafeString(
        '<li class="list-group-item position-relative search-hit">\n'
        '  <div class="d-flex flex-wrap justify-content-between align-items-baseline gap-2">\n'
        '    <a class="fw-semibold text-break stretched-link search-hit-link" '
        f'href="{esc(hit.url)}">{esc(hit.title)}</a>\n'
        f"    {label}\n"
        "  </div>\n"
        f"  {context}\n"
        f'  <div class="small text-break search-snippet">{snippet}</div>\n'
        "</li>"
    )
