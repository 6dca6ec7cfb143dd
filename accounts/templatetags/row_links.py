"""``{% id_url 'name' pk %}``: ``{% url 'name' pk %}`` for a route whose one argument is a
row id, at a fraction of the cost (followup_site/row_urls.py). For the rows of long lists."""

from __future__ import annotations

from django import template

from followup_site.row_urls import url_for_id

register = template.Library()


@register.simple_tag
def id_url(name: str, pk: int) -> str:
    return url_for_id(name, pk)
