"""``{% board_cards cards %}``: a board column's cards, rendered in Python (board_html)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from reminders.board import BoardCard
from reminders.board_html import board_cards_html

register = template.Library()


@register.simple_tag(takes_context=True)
def board_cards(context: template.Context, cards: Iterable[BoardCard]) -> SafeString:
    """The cards with their stage forms, which keep the board's order and carry the CSRF
    token (read once, as ``{% csrf_token %}`` would for each form)."""
    csrf = str(context.get("csrf_token", ""))
    if csrf == "NOTPROVIDED":  # as {% csrf_token %}: no field when there is no token
        csrf = ""
    return board_cards_html(cards, order=context["board"].order, csrf_token=csrf)
