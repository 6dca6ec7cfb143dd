"""The stats page's charts: SVG drawn on the server, each with a table for screen readers.

``{% bar_chart bars chart_id=... caption=... %}`` and ``{% column_chart ... %}`` write the
markup the chart includes held, from the geometry ``outreach.stats._scaled`` set, in a few
``format_html`` calls instead of some forty template nodes a bar.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from outreach.stats import Bar, chart_height

register = template.Library()

_RATE_HEADS = mark_safe(
    '<th scope="col">Answered</th><th scope="col">Sent</th><th scope="col">Rate</th>'
)
_COUNT_HEADS = mark_safe('<th scope="col">Count</th>')


def _rate(bar: Bar, none: str) -> str:
    return f"{bar.rate}%" if bar.rate is not None else none


@register.simple_tag
def bar_chart(
    bars: list[Bar], *, chart_id: str, caption: str, label_heading: str = "", rates: bool = False
) -> SafeString:
    """A horizontal bar chart; with ``rates``, each bar's "answered of sent" as a percentage."""
    rows = format_html_join(
        "\n",
        '    <g transform="translate(0 {})">\n'
        '      <text class="chart-label" x="112" y="20" text-anchor="end">{}</text>\n'
        '      <rect class="chart-track" x="120" y="6" width="150" height="18" rx="2"></rect>\n'
        "      {}\n"
        '      <text class="chart-value" x="{}" y="20">{}</text>\n'
        "    </g>",
        (
            (
                bar.y,
                Truncator(bar.label).chars(18),
                format_html(
                    '<rect class="chart-bar" x="120" y="6" width="{}" height="18" rx="2"></rect>',
                    f"{bar.length:.1f}",
                )
                if bar.length
                else "",
                int(bar.length) + 124,
                _rate(bar, "\u2013") if rates else bar.value,
            )
            for bar in bars
        ),
    )
    if rates:
        heads = _RATE_HEADS
        table_rows = format_html_join(
            "\n",
            '      <tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
            ((bar.label, bar.value, bar.of, _rate(bar, "none sent")) for bar in bars),
        )
    else:
        heads = _COUNT_HEADS
        table_rows = format_html_join(
            "\n",
            '      <tr><th scope="row">{}</th><td>{}</td></tr>',
            ((bar.label, bar.value) for bar in bars),
        )
    return format_html(
        '<figure class="chart-figure mb-0" id="{chart_id}">\n'
        '  <figcaption class="small text-body-secondary mb-2">{caption}</figcaption>\n'
        '  <svg class="chart" viewBox="0 0 330 {height}" aria-hidden="true" focusable="false" '
        'preserveAspectRatio="xMinYMin meet">\n'
        "{rows}\n"
        "  </svg>\n"
        '  <div class="visually-hidden chart-table"><table>\n'
        "    <caption>{caption}</caption>\n"
        '    <thead><tr><th scope="col">{label_heading}</th>{heads}</tr></thead>\n'
        "    <tbody>\n"
        "{table_rows}\n"
        "    </tbody>\n"
        "  </table></div>\n"
        "</figure>",
        chart_id=chart_id,
        caption=caption,
        height=chart_height(bars),
        rows=rows,
        label_heading=label_heading or "What",
        heads=heads,
        table_rows=table_rows,
    )


@register.simple_tag
def column_chart(bars: list[Bar], *, chart_id: str, caption: str) -> SafeString:
    """A column chart of one column a week, labels alternating on two lines."""
    columns = format_html_join(
        "\n",
        '    <g transform="translate({} 0)">\n'
        "      {}\n"
        '      <text class="chart-value" x="15" y="{}" text-anchor="middle">{}</text>\n'
        '      <text class="chart-label chart-small" x="15" y="{}" text-anchor="middle">{}</text>\n'
        "    </g>",
        (
            (
                bar.x,
                format_html(
                    '<rect class="chart-bar" x="5" y="{}" width="20" height="{}" rx="2"></rect>',
                    f"{bar.y:.1f}",
                    f"{bar.length:.1f}",
                )
                if bar.length
                else "",
                int(bar.y) - 4,
                bar.value,
                171 if index % 2 else 158,
                bar.label,
            )
            for index, bar in enumerate(bars)
        ),
    )
    table_rows = format_html_join(
        "", '<tr><th scope="row">{}</th><td>{}</td></tr>', ((bar.label, bar.value) for bar in bars)
    )
    return format_html(
        '<figure class="chart-figure mb-0" id="{chart_id}">\n'
        '  <figcaption class="small text-body-secondary mb-2">{caption}</figcaption>\n'
        '  <svg class="chart chart-wide" viewBox="-15 0 390 175" aria-hidden="true" '
        'focusable="false" preserveAspectRatio="xMinYMin meet">\n'
        '    <line class="chart-axis" x1="0" y1="140.5" x2="360" y2="140.5"></line>\n'
        "{columns}\n"
        "  </svg>\n"
        '  <div class="visually-hidden chart-table"><table>\n'
        "    <caption>{caption}</caption>\n"
        '    <thead><tr><th scope="col">Week from</th><th scope="col">Outreaches</th></tr>'
        "</thead>\n"
        "    <tbody>\n"
        "      {table_rows}\n"
        "    </tbody>\n"
        "  </table></div>\n"
        "</figure>",
        chart_id=chart_id,
        caption=caption,
        columns=columns,
        table_rows=table_rows,
    )
