"""``{% today_items today %}``: the Today strip's entries, rendered in Python (today_html)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from reminders.board import TodayStrip
from reminders.today_html import today_items_html

register = template.Library()


@register.simple_tag
def today_items(today: TodayStrip) -> SafeString:
    return today_items_html(today)
