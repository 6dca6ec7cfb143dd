"""A blank crispy form, rendered in Python: the markup of ``{% crispy form %}`` (bootstrap5
pack) at a fraction of its cost.

The application page and a task's page carry three logging forms each, collapsed until asked
for. Through crispy's templates (a dozen includes a field, each resolved node by node) they
were half of those pages' time. A blank form of the plain kinds these pages use renders the
same HTML, up to whitespace, from the same Django widget contexts and attributes, without the
templates. Anything else (a bound form, which may carry errors; a helper with a layout or
column classes; a widget kind not listed here) goes through crispy itself:
:func:`quick_form_html` returns None and the caller falls back.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.forms.boundfield import BoundField
from django.template.defaultfilters import slugify
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# The widget kinds rendered here; subclasses count (e.g. a datetime-local input).
_INPUTS = (forms.TextInput, forms.DateTimeInput, forms.DateInput, forms.TimeInput)
_EXCLUDED = (forms.CheckboxInput, forms.FileInput, forms.MultiWidget, forms.HiddenInput)
_CHOICES = (forms.Select, forms.RadioSelect)
_HELPER_SETTINGS = {"attrs", "inputs", "layout", "_form_method", "form_tag", "disable_csrf"}


def quick_form_html(form: forms.Form, *, csrf_token: object = None) -> SafeString | None:
    """The HTML ``{% crispy form %}`` would render for this blank form, or None when the form
    is not of the plain kind rendered here (see the module docstring)."""
    helper = getattr(form, "helper", None)
    if form.is_bound or helper is None or not _plain(form, helper):
        return None
    parts = []
    if helper.form_tag:
        parts.append(format_html('<form method="{}" >', helper.form_method))
    if helper.form_method == "post" and not helper.disable_csrf:
        if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 - csrf_token.html's marker
            return None  # crispy writes no token then, and may warn: leave it to crispy
        parts.append(
            format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)
        )
    parts.extend(_field(form[name]) for name in form.fields)
    if helper.inputs:
        parts.append('<div class="mb-3"> <div class="">')
        parts.extend(_submit(button) for button in helper.inputs)
        parts.append("</div> </div>")
    if helper.form_tag:
        parts.append("</form>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every part is escaped above or below


def _e(value: object) -> str:
    """Django's ``conditional_escape`` without its lazy-text wrapper (a third of a field's
    time): the value's text, HTML-escaped; already safe text as it is."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _plain(form: forms.Form, helper: FormHelper) -> bool:
    """Whether the helper and every field are of the kinds :func:`_field` renders."""
    # A plain FormHelper set only through these: crispy passes any other attribute on to
    # its templates, where it may change the markup.
    if (
        type(helper) is not FormHelper
        or not set(vars(helper)) <= _HELPER_SETTINGS
        or helper.layout is not None
        or helper.attrs
        or helper.form_method not in ("post", "get")
        or settings.CRISPY_TEMPLATE_PACK != "bootstrap5"
        or hasattr(form, "required_css_class")
        or hasattr(form, "error_css_class")
    ):
        return False
    if any(type(button) is not Submit or button.flat_attrs for button in helper.inputs):
        return False
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, _EXCLUDED) or widget.attrs.get("id") or field.localize:
            return False
        if isinstance(widget, forms.SelectMultiple) or not isinstance(
            widget, (*_INPUTS, *_CHOICES, forms.Textarea)
        ):
            return False
    return True


def _attrs(attrs: dict[str, object]) -> str:
    """django/forms/widgets/attrs.html: `` name="value"`` each, a bare name for True."""
    return "".join(
        f" {_e(name)}" if value is True else f' {_e(name)}="{_e(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _crispy_class(widget: forms.Widget, extra: str) -> None:
    """What ``{% crispy_field field 'class' extra %}`` does to the widget before rendering."""
    class_name = widget.__class__.__name__.lower()
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    for name in extra.split():
        if name not in css_class.split():
            css_class += f" {name}"
    widget.attrs["class"] = css_class


def _widget_context(field: BoundField) -> dict:
    """The widget's template context, as ``BoundField.as_widget`` builds it."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.get_context(field.html_name, field.value(), attrs)["widget"]


def _widget(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.Select):
        _crispy_class(widget, "form-select")
        context = _widget_context(field)
        return " ".join(
            [
                f'<select name="{_e(context["name"])}"{_attrs(context["attrs"])}>',
                *_options(context["optgroups"]),
                "</select>",
            ]
        )
    _crispy_class(widget, "form-control")
    context = _widget_context(field)
    name = _e(context["name"])
    if isinstance(widget, forms.Textarea):
        value = _e(context["value"]) if context["value"] else ""
        return f'<textarea name="{name}"{_attrs(context["attrs"])}>\n{value}</textarea>'
    value = "" if context["value"] is None else f' value="{_e(str(context["value"]))}"'
    return f'<input type="{_e(context["type"])}" name="{name}"{value}' + (
        f"{_attrs(context['attrs'])}>"
    )


def _options(optgroups: Iterable) -> Iterable[str]:
    for group_name, group_choices, _index in optgroups:
        if group_name:
            yield f'<optgroup label="{_e(group_name)}">'
        for option in group_choices:
            yield (
                f'<option value="{_e(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{_e(option['label'])}</option>"
            )
        if group_name:
            yield "</optgroup>"


def _radios(field: BoundField) -> list[str]:
    """bootstrap5/layout/radio_checkbox_select.html, for a blank radio field."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({"id": field.auto_id} if field.auto_id else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    name = _e(field.html_name)
    parts = ["<div >"]
    for group_name, options, _index in groups:
        if group_name:
            parts.append(f"<strong>{_e(group_name)}</strong>")
        for option in options:
            parts.append(
                f'<div class="form-check"> <input type="{_e(option["type"])}" '
                f'class="form-check-input" name="{name}" '
                f'value="{_e(str(option["value"]))}" {_attrs(option["attrs"])}> '
                f'<label for="{_e(option["attrs"].get("id", ""))}" '
                f'class="form-check-label"> {_e(option["label"])} </label> </div>'
            )
    parts.append("</div>")
    return parts


def _help_text(field: BoundField) -> list[str]:
    if not field.help_text:
        return []
    # crispy prints help text unescaped (``|safe``): it is the form's, never the user's.
    if field.auto_id:
        return [f'<div id="{_e(field.auto_id)}_helptext" class="form-text">{field.help_text}</div>']
    return [f'<div class="form-text">{field.help_text}</div>']


def _field(field: BoundField) -> str:
    """bootstrap5/field.html, for a blank field that is no checkbox, file or hidden input."""
    fieldset = field.use_fieldset
    required = field.field.required
    parts = [f'<div id="div_{_e(field.auto_id)}" class="mb-3">']
    if field.label:
        if fieldset:
            described = field.aria_describedby
            parts.append(
                f'<fieldset aria-describedby="{_e(described)}">' if described else "<fieldset>"
            )
        tag = "legend" if fieldset else "label"
        label_for = field.id_for_label
        parts.append(
            f"<{tag}"
            + (f' for="{_e(label_for)}"' if label_for else "")
            + f' class="form-label{" requiredField" if required else ""}'
            + f'{" fs-6" if fieldset else ""}"> {_e(field.label)}'
            + ('<span class="asteriskField">*</span>' if required else "")
            + f" </{tag}>"
        )
    if isinstance(field.field.widget, forms.RadioSelect):
        parts.extend(_radios(field))
    else:
        parts.append(_widget(field))
    parts.extend(_help_text(field))
    if fieldset and field.label:
        parts.append("</fieldset>")
    parts.append("</div>")
    return " ".join(parts)


def _submit(button: Submit) -> str:
    name = button.name
    if len(name.split()) > 1:
        name = slugify(name)
    button_id = button.id or f"{button.input_type}-id-{slugify(button.name)}"
    return (
        f'<input type="{_e(button.input_type)}" name="{_e(name)}" '
        f'value="{_e(button.value)}" '
        f'class="{_e(button.field_classes)}" '
        f'id="{_e(button_id)}" />'
    )
