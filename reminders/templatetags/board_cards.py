"""``{% board_cards cards %}``: a board column's cards, rendered in Python (board_html), by
the writer that ``{% card_writer as card_writer %}`` made for the whole board, or by one of
their own when the column is rendered alone."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from reminders.board import BoardCard
from reminders.board_html import CardWriter

register = template.Library()


@register.simple_tag(takes_context=True)
def card_writer(context: template.Context) -> CardWriter:
    """The writer of the board's cards, whose stage forms keep the board's order and carry
    the CSRF token (read once, as ``{% csrf_token %}`` would for each form)."""
    csrf = str(context.get("csrf_token", ""))
    if csrf == "NOTPROVIDED":  # as {% csrf_token %}: no field when there is no token
        csrf = ""
    return CardWriter(order=context["board"].order, csrf_token=csrf)


@register.simple_tag(takes_context=True)
def board_cards(context: template.Context, cards: Iterable[BoardCard]) -> SafeString:
    writer = context.get("card_writer") or card_writer(context)
    return writer(cards)
