"""``{% python_crispy form %}``, and filters for form parts drawn outside ``{% crispy %}``,
drawn in Python."""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from crispy_forms.utils import get_template_pack
from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from followup_site.crispy_layout import crispy_field_html, crispy_form_html, hidden_form_html

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
