"""``{% python_crispy form %}``, and filters for form parts drawn outside ``{% crispy %}``,
drawn in Python."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from crispy_forms.utils import get_template_pack
from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString, mark_safe

from followup_site.crispy_layout import crispy_field_html, crispy_form_html, hidden_form_html
from followup_site.widgets import Choices, esc

register = template.Library()


@register.filter
def python_crispy_field(bound: BoundField) -> SafeString:
    """crispy's ``|as_crispy_field``: the same markup."""
    return crispy_field_html(bound)


@register.filter
def python_hidden_form(form: forms.BaseForm) -> SafeString:
    """``{{ form }}`` for a management form: the same hidden inputs."""
    return hidden_form_html(form)


class _PythonCrispyFormNode(CrispyFormNode):
    """crispy's node, which draws a form of ours (one its template would only wrap) without
    that template; any other form, or a missing one, the way crispy does."""

    def render(self, context: template.Context) -> str:
        try:
            form = template.Variable(self.form).resolve(context)
        except template.VariableDoesNotExist:
            return super().render(context)
        helper = getattr(form, "helper", None)
        if (
            isinstance(form, forms.BaseForm)
            and helper is not None
            and helper.layout
            and not helper.template
            and self.template_pack == "bootstrap5"
        ):
            html = crispy_form_html(self.get_render(context))
            if html is not None:
                return html
        return super().render(context)


@register.tag
def python_crispy(parser: template.base.Parser, token: template.base.Token) -> CrispyFormNode:
    """``{% crispy form %}``, the same markup: the fields are drawn by the helper's layout as
    there, what crispy's template writes around them by ``crispy_form_html``."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes one form, drawn with its own helper: {{% {bits[0]} form %}}"
        )
    return _PythonCrispyFormNode(bits[1], None, template_pack=get_template_pack())


@register.simple_tag(takes_context=True)
def python_crispy_card(
    context: template.Context, card: forms.BaseForm, formset: forms.BaseFormSet
) -> SafeString:
    """``{% python_crispy card %}`` for one card of ``formset``.

    The blank cards of a formset shown unbound (the spare card, and the template the page
    copies for another) are the same form with another prefix: the first one is drawn, each
    other one is that markup with its own prefix. On the interview form that is one card of
    twenty fields drawn the fewer.

    A form class that says ``drawn_from_blank_twin`` goes further: before a card filled in
    but unbound (a person already on the interview), the blank card (``empty_form``) is
    drawn, recording each field's markup, and the card is given them (``blank_twin``) to
    copy the fields it has no value of its own for (``CardField``).

    The first blank card of a page is drawn only once per process for the same parts (the
    same people to pick, the same prefix): later pages take its markup, and its fields',
    from ``_BLANK_CARDS``.
    """
    unbound = not (formset.is_bound or card.is_bound)
    blank = unbound and not card.initial
    drawn = getattr(formset, "_blank_card_html", None) if blank else None
    if blank and drawn is None:
        drawn = _blank_card_from_earlier(card, formset)
    if drawn is not None:
        html = drawn[1] if drawn[0] == card.prefix else _reprefixed(drawn[1], drawn[0], card.prefix)
        if html is not None:
            return html
    twins = getattr(card, "drawn_from_blank_twin", False)
    if twins and unbound and not blank:
        if getattr(formset, "_blank_card_html", None) is None:
            python_crispy_card(context, formset.empty_form, formset)
        card.blank_twin = getattr(formset, "_blank_fields", None)
    elif twins and blank and drawn is None:
        card.drawn_fields = {}
    with context.push(card=card):
        html = _PythonCrispyFormNode("card", None, template_pack=get_template_pack()).render(
            context
        )
    if blank and drawn is None:
        formset._blank_card_html = (card.prefix, html)
        if twins:
            formset._blank_fields = (card, card.drawn_fields)
        _blank_card_keep(card, formset)
    return html


# Blank cards drawn by this process, by what their markup is made of (``_blank_card_key``):
# the markup, and each field's (for the filled cards' ``CardField``). A blank card is the
# same for every page that shows the same people to pick, and the interview form draws one
# each time it opens (0.6 ms of its 5.5 ms of CPU).
_BLANK_CARDS: OrderedDict[tuple, tuple[SafeString, dict[str, str] | None]] = OrderedDict()
BLANK_CARDS_KEPT = 256
_BLANK_CARDS_LOCK = threading.Lock()  # runserver and other threaded servers share it


def _blank_card_key(card: forms.BaseForm) -> tuple | None:
    """Everything a blank card's markup is drawn from: the form's class, prefix and
    settings, what the card says of itself (``blank_card_parts``), and each field as it
    stands once the card is made (the people offered, a widget swapped, its attributes).

    None where one of them is not a plain value (a callable initial value, a choice list
    the key cannot spell out): such a card is drawn each time."""
    parts: list[object] = [
        type(card),
        card.prefix,
        card.auto_id,
        card.label_suffix,
        card.use_required_attribute,
        getattr(card, "error_css_class", None),
        getattr(card, "required_css_class", None),
        card.empty_permitted,
        card.blank_card_parts() if hasattr(card, "blank_card_parts") else (),
    ]
    for name, field in card.fields.items():
        initial, widget = field.initial, field.widget
        if callable(initial):
            return None
        choices = getattr(field, "_choices", None)
        if choices is not None:
            if not isinstance(choices, Choices | list | tuple):
                return None
            choices = tuple(choices)
        parts.append(
            (
                name, type(field), type(widget), field.label, field.help_text, field.required,
                field.disabled, field.show_hidden_initial, field.localize, initial, choices,
                tuple(widget.attrs.items()), getattr(widget, "format", None),
                getattr(widget, "input_type", None),
            )
        )  # fmt: skip
    key = tuple(parts)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _blank_card_from_earlier(card: forms.BaseForm, formset: forms.BaseFormSet) -> tuple | None:
    """The markup of a blank card drawn before from the same parts, set on ``formset`` as
    if drawn now (its twin for the filled cards being ``card``); None if there is none."""
    key = _blank_card_key(card)
    card._blank_card_key = key
    if key is None:
        return None
    with _BLANK_CARDS_LOCK:
        kept = _BLANK_CARDS.get(key)
        if kept is None:
            return None
        _BLANK_CARDS.move_to_end(key)
    html, fields = kept
    formset._blank_card_html = drawn = (card.prefix, html)
    if fields is not None:
        formset._blank_fields = (card, fields)
    return drawn


def _blank_card_keep(card: forms.BaseForm, formset: forms.BaseFormSet) -> None:
    key = getattr(card, "_blank_card_key", None)
    if key is None:
        return
    blank_fields = getattr(formset, "_blank_fields", None)
    kept = (formset._blank_card_html[1], blank_fields[1] if blank_fields else None)
    with _BLANK_CARDS_LOCK:
        _BLANK_CARDS[key] = kept
        while len(_BLANK_CARDS) > BLANK_CARDS_KEPT:
            _BLANK_CARDS.popitem(last=False)


# What an interviewer card's include (a section with its number) wrote around the card.
_CARD_SECTION = (
    '\n<section class="card shadow-sm mb-3 interviewer-card" aria-label="Interviewer {number}">'
    '\n  <h3 class="card-header h6 mb-0 py-2">Interviewer {number}</h3>'
    '\n  <div class="card-body">\n    {card}\n  </div>\n</section>\n'
)


@register.simple_tag(takes_context=True)
def python_interviewer_card(
    context: template.Context, card: forms.BaseForm, formset: forms.BaseFormSet, number: object
) -> SafeString:
    """``{% python_crispy_card card formset %}`` in the interview form's card section,
    headed "Interviewer <number>": the markup an include of the section's template wrote,
    without an include (a template looked up, a context pushed and drawn) for each card."""
    html = python_crispy_card(context, card, formset)
    return SafeString(_CARD_SECTION.format(number=esc(str(number)), card=html))


_STARTS = ('"', '"id_', '"div_', '"div_id_')


def _reprefixed(html: str, old: str, new: str) -> SafeString | None:
    """A card's markup with prefix ``new`` for ``old``: its ids, names and labels' targets,
    each at the start of a quoted attribute (``"id_``, ``"div_id_``, ``"``); escaped text
    never holds a quote. None where the old prefix shows anywhere else (in a person's name,
    say): such a card is drawn as any other."""
    if old.startswith(("id_", "div_")) or new.startswith(("id_", "div_")):
        # A prefix that looks like an id's start: one pattern, so no start is taken twice.
        start = re.compile(f'"((?:div_)?(?:id_)?){re.escape(old)}-')
        replaced, count = start.subn(lambda found: f'"{found[1]}{new}-', html)
    else:
        # Four plain replacements, faster than a pattern with a call per match; each
        # start begins with a quote and differs from the others right after it.
        replaced, count = html, 0
        for start in _STARTS:
            needle = f"{start}{old}-"
            found = replaced.count(needle)
            if found:
                count += found
                replaced = replaced.replace(needle, f"{start}{new}-")
    if count != html.count(f"{old}-"):
        return None
    return mark_safe(replaced)  # noqa: S308 - drawn markup, with a prefix of our own
