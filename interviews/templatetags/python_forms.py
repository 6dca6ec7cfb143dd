"""Template filters for form parts drawn outside ``{% crispy %}``, drawn in Python."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from followup_site.crispy_layout import crispy_field_html, hidden_form_html

register = template.Library()


@register.filter
def python_crispy_field(bound: BoundField) -> SafeString:
    """crispy's ``|as_crispy_field``: the same markup."""
    return crispy_field_html(bound)


@register.filter
def python_hidden_form(form: forms.BaseForm) -> SafeString:
    """``{{ form }}`` for a management form: the same hidden inputs."""
    return hidden_form_html(form)
