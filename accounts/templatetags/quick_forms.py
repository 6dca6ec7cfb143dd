"""``{% quick_crispy form %}``: ``{% crispy form %}`` for a blank form of the plain kinds,
rendered in Python (followup_site/blank_forms.py); any other form goes through crispy."""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import template
from django.template.base import FilterExpression, Parser, Token

from followup_site.blank_forms import quick_form_html

register = template.Library()


class QuickCrispyNode(template.Node):
    def __init__(self, form: FilterExpression, form_name: str) -> None:
        self.form = form
        self.crispy = CrispyFormNode(form_name, None)

    def render(self, context: template.Context) -> str:
        html = quick_form_html(self.form.resolve(context), csrf_token=context.get("csrf_token"))
        return self.crispy.render(context) if html is None else html


@register.tag
def quick_crispy(parser: Parser, token: Token) -> QuickCrispyNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("quick_crispy takes one form")
    return QuickCrispyNode(parser.compile_filter(bits[1]), bits[1])
