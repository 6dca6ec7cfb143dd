"""``{% outreach_timeline outreaches %}``: an application's outreach timeline, rendered in
Python (reminders/outreach_html.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from outreach.models import Outreach
from reminders.outreach_html import outreach_timeline_html

register = template.Library()


@register.simple_tag
def outreach_timeline(outreaches: Iterable[Outreach]) -> SafeString:
    return outreach_timeline_html(outreaches)
