"""The board in Python (reminders/board_html.py), for its templates: ``{% board %}`` the
whole of it, ``{% board_column column %}`` one open stage and ``{% board_closed column %}``
the closed ones (what "Show all" and opening the closed section load in place), and
``{% board_orders %}`` the links that order it. One
:class:`~reminders.board_html.CardWriter` writes every card of a render."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from reminders.board import BoardColumn
from reminders.board_html import (
    CardWriter,
    board_html,
    closed_body_html,
    column_html,
    orders_html,
)

register = template.Library()


def _card_writer(context: template.Context) -> CardWriter:
    """The writer of the board's cards, whose stage forms keep the board's order and carry
    the CSRF token (read once, as ``{% csrf_token %}`` would for each form)."""
    csrf = str(context.get("csrf_token", ""))
    if csrf == "NOTPROVIDED":  # as {% csrf_token %}: no field when there is no token
        csrf = ""
    return CardWriter(order=context["board"].order, csrf_token=csrf)


@register.simple_tag(takes_context=True)
def board(context: template.Context) -> SafeString:
    """The context's ``board``, marked as just ``moved_pk`` after a move."""
    return board_html(
        context["board"], write_cards=_card_writer(context), moved_pk=context.get("moved_pk")
    )


@register.simple_tag(takes_context=True)
def board_column(context: template.Context, column: BoardColumn) -> SafeString:
    return column_html(column, order=context["board"].order, write_cards=_card_writer(context))


@register.simple_tag(takes_context=True)
def board_closed(context: template.Context, column: BoardColumn) -> SafeString:
    return closed_body_html(column, write_cards=_card_writer(context))


@register.simple_tag(takes_context=True)
def board_orders(context: template.Context) -> SafeString:
    return orders_html(context["board"].order)
