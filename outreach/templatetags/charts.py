"""The stats page's charts: SVG drawn on the server, each with a table for screen readers.

``{% bar_chart bars chart_id=... caption=... %}`` and ``{% column_chart ... %}`` write the
markup the chart includes held, from the geometry ``outreach.stats._scaled`` set. The
markup is joined from f-strings: numbers need no escaping, and every text goes through
``esc`` (Django's ``format_html`` checked each of some 250 arguments a page for a lazy
string and escaped the numbers too).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from followup_site.widgets import esc
from outreach.stats import Bar, chart_height

register = template.Library()

_RATE_HEADS = '<th scope="col">Answered</th><th scope="col">Sent</th><th scope="col">Rate</th>'
_COUNT_HEADS = '<th scope="col">Count</th>'
LABEL_CHARS = 18


def _rate(bar: Bar, none: str) -> str:
    return f"{bar.rate}%" if bar.rate is not None else none


def _short(label: str) -> str:
    """The label cut to LABEL_CHARS characters by Truncator; a short plain one as it is."""
    if label.isascii() and len(label) <= LABEL_CHARS:
        return label
    return Truncator(label).chars(LABEL_CHARS)


def _bar_row(bar: Bar, value: object) -> str:
    drawn = (
        f'<rect class="chart-bar" x="120" y="6" width="{bar.length:.1f}" height="18" rx="2"></rect>'
        if bar.length
        else ""
    )
    label = esc(_short(bar.label))
    return (
        f'    <g transform="translate(0 {bar.y})">\n'
        f'      <text class="chart-label" x="112" y="20" text-anchor="end">{label}</text>\n'
        '      <rect class="chart-track" x="120" y="6" width="150" height="18" rx="2"></rect>\n'
        f"      {drawn}\n"
        f'      <text class="chart-value" x="{int(bar.length) + 124}" y="20">{esc(value)}</text>\n'
        "    </g>"
    )


@register.simple_tag
def bar_chart(
    bars: list[Bar], *, chart_id: str, caption: str, label_heading: str = "", rates: bool = False
) -> SafeString:
    """A horizontal bar chart; with ``rates``, each bar's "answered of sent" as a percentage."""
    rows = "\n".join(_bar_row(bar, _rate(bar, "\u2013") if rates else bar.value) for bar in bars)
    if rates:
        heads = _RATE_HEADS
        table_rows = "\n".join(
            f'      <tr><th scope="row">{esc(bar.label)}</th><td>{bar.value}</td>'
            f"<td>{bar.of}</td><td>{esc(_rate(bar, 'none sent'))}</td></tr>"
            for bar in bars
        )
    else:
        heads = _COUNT_HEADS
        table_rows = "\n".join(
            f'      <tr><th scope="row">{esc(bar.label)}</th><td>{bar.value}</td></tr>'
            for bar in bars
        )
    caption = esc(caption)
    return SafeString(
        f'<figure class="chart-figure mb-0" id="{esc(chart_id)}">\n'
        f'  <figcaption class="small text-body-secondary mb-2">{caption}</figcaption>\n'
        f'  <svg class="chart" viewBox="0 0 330 {chart_height(bars)}" aria-hidden="true" '
        'focusable="false" preserveAspectRatio="xMinYMin meet">\n'
        f"{rows}\n"
        "  </svg>\n"
        '  <div class="visually-hidden chart-table"><table>\n'
        f"    <caption>{caption}</caption>\n"
        f'    <thead><tr><th scope="col">{esc(label_heading or "What")}</th>{heads}</tr></thead>\n'
        "    <tbody>\n"
        f"{table_rows}\n"
        "    </tbody>\n"
        "  </table></div>\n"
        "</figure>"
    )


def _column(index: int, bar: Bar) -> str:
    drawn = (
        f'<rect class="chart-bar" x="5" y="{bar.y:.1f}" width="20" height="{bar.length:.1f}" '
        'rx="2"></rect>'
        if bar.length
        else ""
    )
    return (
        f'    <g transform="translate({bar.x} 0)">\n'
        f"      {drawn}\n"
        f'      <text class="chart-value" x="15" y="{int(bar.y) - 4}" text-anchor="middle">'
        f"{bar.value}</text>\n"
        f'      <text class="chart-label chart-small" x="15" y="{171 if index % 2 else 158}" '
        f'text-anchor="middle">{esc(bar.label)}</text>\n'
        "    </g>"
    )


@register.simple_tag
def column_chart(bars: list[Bar], *, chart_id: str, caption: str) -> SafeString:
    """A column chart of one column a week, labels alternating on two lines."""
    columns = "\n".join(_column(index, bar) for index, bar in enumerate(bars))
    table_rows = "".join(
        f'<tr><th scope="row">{esc(bar.label)}</th><td>{bar.value}</td></tr>' for bar in bars
    )
    caption = esc(caption)
    return SafeString(
        f'<figure class="chart-figure mb-0" id="{esc(chart_id)}">\n'
        f'  <figcaption class="small text-body-secondary mb-2">{caption}</figcaption>\n'
        '  <svg class="chart chart-wide" viewBox="-15 0 390 175" aria-hidden="true" '
        'focusable="false" preserveAspectRatio="xMinYMin meet">\n'
        '    <line class="chart-axis" x1="0" y1="140.5" x2="360" y2="140.5"></line>\n'
        f"{columns}\n"
        "  </svg>\n"
        '  <div class="visually-hidden chart-table"><table>\n'
        f"    <caption>{caption}</caption>\n"
        '    <thead><tr><th scope="col">Week from</th><th scope="col">Outreaches</th></tr>'
        "</thead>\n"
        "    <tbody>\n"
        f"      {table_rows}\n"
        "    </tbody>\n"
        "  </table></div>\n"
        "</figure>"
    )
