"""``{% search_hit hit %}``: one result of the search page, built in Python.

A search shows up to a hundred results, each a dozen template nodes plus a loop over its
snippet's parts; here a result is a few ``format_html`` calls (every part escaped, only the
matches marked), with the same markup the template had.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from reminders.search import Hit

register = template.Library()


@register.simple_tag
def search_hit(hit: Hit) -> SafeString:
    snippet = format_html_join(
        "",
        "{}",
        ((format_html("<mark>{}</mark>", part) if match else part,) for part, match in hit.snippet),
    )
    return format_html(
        '<li class="list-group-item position-relative search-hit">\n'
        '  <div class="d-flex flex-wrap justify-content-between align-items-baseline gap-2">\n'
        '    <a class="fw-semibold text-break stretched-link search-hit-link" href="{url}">'
        "{title}</a>\n"
        "    {label}\n"
        "  </div>\n"
        "  {context}\n"
        '  <div class="small text-break search-snippet">{snippet}</div>\n'
        "</li>",
        url=hit.url,
        title=hit.title,
        label=format_html(
            '<span class="badge bg-body-secondary text-body border">{}</span>', hit.label
        )
        if hit.label
        else "",
        context=format_html(
            '<div class="small text-body-secondary text-break">{}</div>', hit.context
        )
        if hit.context
        else "",
        snippet=snippet,
    )
