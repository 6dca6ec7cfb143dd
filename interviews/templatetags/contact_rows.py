"""``{% contact_rows contacts %}``: the contacts list's rows, rendered in Python
(interviews/contact_html.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from interviews.contact_html import contact_rows_html
from interviews.models import Contact

register = template.Library()


@register.simple_tag
def contact_rows(contacts: Iterable[Contact]) -> SafeString:
    return contact_rows_html(contacts)
