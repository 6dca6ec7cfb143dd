"""crispy-forms layout objects that draw their Bootstrap 5 markup in Python.

crispy-forms draws each field through crispy-bootstrap5's ``field.html`` and its includes,
each widget through Django's widget templates and each Row, Column or Div through a template
of its own; on the interview form, a card of some thirty fields per interviewer, that was
most of the page's time. The classes here are crispy's own layout objects (forms declare
their FormHelper layouts with them as before, templates keep ``{% crispy form %}``); only
their ``render`` is Python. It writes what those templates write (elements, classes, ids,
``aria-describedby`` and ``aria-invalid``, the ``invalid-feedback`` blocks, in the same
order), escaping labels, values and errors and leaving help text as declared, as the
templates do; only the whitespace between tags differs.

What this module does not draw goes through crispy's templates as before: a file input that
shows a file already uploaded or has text before or after it, a multi-widget, a horizontal
form, a helper with label or field classes, inline help or errors, a field named twice.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from crispy_forms import bootstrap, helper, layout
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from crispy_forms.utils import TEMPLATE_PACK, flatatt, list_difference
from crispy_forms.utils import render_field as crispy_render_field
from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.template.defaultfilters import slugify, unordered_list
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from followup_site.widgets import LongSelect, attrs_html, esc, select_html

_WIDGETS = "django/forms/widgets/"
_INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "url",
        "number",
        "password",
        "date",
        "time",
        "datetime",
        "hidden",
        "checkbox",
        "search",
        "tel",
        "color",
    )
)
_TEXTAREA_TEMPLATE = f"{_WIDGETS}textarea.html"
_SELECT_TEMPLATE = f"{_WIDGETS}select.html"
_SELECT_OPTION_TEMPLATE = f"{_WIDGETS}select_option.html"
_DEFAULT_FIELD_TEMPLATES = frozenset({"%s/field.html", "bootstrap5/field.html"})
_APPENDED_TEMPLATES = frozenset(
    {"%s/layout/prepended_appended_text.html", "bootstrap5/layout/prepended_appended_text.html"}
)
_ASTERISK = '<span class="asteriskField">*</span>'
# Widgets crispy-bootstrap5 draws with templates of their own, or as several inputs.
_NOT_DRAWN = (forms.FileInput, forms.MultiWidget, forms.CheckboxSelectMultiple)
# Except in an input group, crispy-bootstrap5 draws these file inputs as field_html does.
_FILE_INPUTS = (forms.FileInput, forms.ClearableFileInput)


def _is_bootstrap5(template_pack: Any) -> bool:
    """The markup drawn here is crispy-bootstrap5's; another template pack draws its own."""
    return str(template_pack) == "bootstrap5"


# --- Widgets --------------------------------------------------------------------------------


_PLAIN_CONTEXT = (forms.Widget.get_context, Input.get_context)
_widget_kinds: dict[tuple[type, str, str], str | None] = {}


def _widget_kind(widget: forms.Widget) -> str | None:
    """How ``widget_html`` draws this widget: "select", "input" or "textarea", with
    "+context" where the widget builds its own template context (a checkbox's ``checked``);
    None where it draws itself or uses another template."""
    kind = type(widget)
    option_template = getattr(widget, "option_template_name", "")
    key = (kind, widget.template_name, option_template)
    if key not in _widget_kinds:
        _widget_kinds[key] = _find_widget_kind(widget, option_template)
    return _widget_kinds[key]


def _find_widget_kind(widget: forms.Widget, option_template: str) -> str | None:
    kind = type(widget)
    # A widget with a render() of its own draws itself (LongSelect draws what we would).
    if kind.render not in (forms.Widget.render, LongSelect.render):
        return None
    template = widget.template_name
    if isinstance(widget, forms.Select):
        plain = (
            template == _SELECT_TEMPLATE
            and option_template == _SELECT_OPTION_TEMPLATE
            and kind.get_context is forms.Select.get_context
            and kind.optgroups is forms.Select.optgroups
            and kind.create_option is forms.Select.create_option
        )
        return "select" if plain else None
    if kind.render is not forms.Widget.render:
        return None
    if template in _INPUT_TEMPLATES:
        drawn = "input"
    elif template == _TEXTAREA_TEMPLATE:
        drawn = "textarea"
    else:
        return None
    return drawn if kind.get_context in _PLAIN_CONTEXT else f"{drawn}+context"


def _widget_attrs(bound: BoundField, errors: Any, auto_id: str) -> dict[str, Any]:
    """``BoundField.build_widget_attrs`` and the id that ``as_widget`` adds, in their order,
    with the field's errors already looked up."""
    field, widget = bound.field, bound.field.widget
    attrs: dict[str, Any] = {}
    if (
        widget.use_required_attribute(bound.initial)
        and field.required
        and bound.form.use_required_attribute
    ):
        attrs["required"] = True
    if field.disabled:
        attrs["disabled"] = True
    hidden = widget.is_hidden
    if not hidden and errors:
        attrs["aria-invalid"] = "true"
    if not widget.use_fieldset and not widget.attrs.get("aria-describedby"):
        described = []
        if auto_id and not hidden:
            if bound.help_text:
                described.append(f"{auto_id}_helptext")
            if errors:
                described.append(f"{auto_id}_error")
        if described:
            attrs["aria-describedby"] = " ".join(described)
    if auto_id and "id" not in widget.attrs:
        attrs["id"] = auto_id
    return attrs


def widget_html(bound: BoundField, errors: Any = None, auto_id: str | None = None) -> str:
    """The field's widget as ``str(bound)`` draws it through Django's templates; ``errors``
    and ``auto_id`` are the field's, where the caller has them already."""
    widget = bound.field.widget
    kind = _widget_kind(widget)
    if kind is None:
        return bound.as_widget()
    if errors is None:
        errors = bound.form.errors.get(bound.name)
    if auto_id is None:
        auto_id = bound.auto_id
    if bound.field.localize:
        widget.is_localized = True
    attrs = _widget_attrs(bound, errors, auto_id)
    name, value = bound.html_name, bound.value()
    if kind == "select":
        final = {**widget.attrs, **attrs}
        if widget.allow_multiple_selected:
            final["multiple"] = True
        return select_html(name, final, widget.choices, widget.format_value(value))
    if kind.endswith("+context"):
        context = widget.get_context(name, value, attrs)["widget"]
        final, shown = context["attrs"], context["value"]
        input_type = context.get("type", "")
    else:
        final, shown = {**widget.attrs, **attrs}, widget.format_value(value)
        input_type = getattr(widget, "input_type", "")
    if kind.startswith("textarea"):
        return (
            f'<textarea name="{esc(name)}"{attrs_html(final)}>\n'
            f"{esc(shown) if shown else ''}</textarea>"
        )
    value_attr = "" if shown is None else f' value="{esc(str(shown))}"'
    return f'<input type="{esc(input_type)}" name="{esc(name)}"{value_attr}{attrs_html(final)}>'


@cache
def _class_converters() -> dict[str, str]:
    return getattr(settings, "CRISPY_CLASS_CONVERTERS", {})


@receiver(setting_changed)
def _forget_class_converters(*, setting: str, **kwargs: object) -> None:
    if setting == "CRISPY_CLASS_CONVERTERS":
        _class_converters.cache_clear()


def _add_classes(widget: forms.Widget, classes: str) -> None:
    """What crispy's ``{% crispy_field field 'class' '...' %}`` does to the widget: its class
    name (``textinput``) and the Bootstrap classes join the classes it has."""
    kind = type(widget).__name__.lower()
    kind = _class_converters().get(kind, kind)
    css = widget.attrs.get("class", "")
    if css:
        if css.find(kind) == -1:
            css += f" {kind}"
    else:
        css = kind
    present = css.split()
    for name in classes.split():
        if name not in present:
            css += f" {name}"
            present.append(name)
    widget.attrs["class"] = css


# --- A field with its label, help and errors ------------------------------------------------


def _errors_html(errors: Any, auto_id: str, *, tag: str) -> str:
    """crispy's field_errors.html (``span``) or field_errors_block.html (``p``)."""
    lines = "".join(
        f'<{tag} id="error_{number}_{auto_id}"><strong>{esc(error)}</strong></{tag}>'
        for number, error in enumerate(errors, start=1)
    )
    field_id = esc(getattr(errors, "field_id", None))
    return f'<div id="{field_id}_error" class="invalid-feedback">{lines}</div>'


def _help_html(bound: BoundField, auto_id: str) -> str:
    help_text = bound.help_text
    if not help_text:
        return ""
    # As crispy's help_text.html: help text is the form's own markup (|safe).
    ident = f'id="{auto_id}_helptext" ' if auto_id else ""
    return f'<div {ident}class="form-text">{help_text}</div>'


def _label_html(bound: BoundField, *, legend: bool) -> str:
    tag = "legend" if legend else "label"
    for_id = bound.id_for_label
    required = bound.field.required
    return (
        f"<{tag}"
        + (f' for="{esc(for_id)}"' if for_id else "")
        + ' class="form-label'
        + (" requiredField" if required else "")
        + (' fs-6">' if legend else '">')
        + esc(bound.label)
        + (_ASTERISK if required else "")
        + f"</{tag}>"
    )


def _radios_html(
    bound: BoundField, errors: Any, auto_id: str, *, invalid: bool, flat_attrs: str
) -> str:
    """crispy-bootstrap5's radio_checkbox_select.html, for radio buttons."""
    widget = bound.field.widget
    ident = widget.attrs.get("id") or bound.auto_id
    attrs = bound.build_widget_attrs({"id": ident} if ident else {})
    groups = widget.optgroups(bound.html_name, widget.format_value(bound.value()), attrs)
    invalid_class = " is-invalid" if invalid else ""
    name = esc(bound.html_name)
    parts = [f"<div{flat_attrs}>"]
    for group_number, (group, options, _index) in enumerate(groups, start=1):
        if group:
            parts.append(f"<strong>{esc(group)}</strong>")
        for number, option in enumerate(options, start=1):
            option_attrs = option["attrs"]
            parts.append(
                '<div class="form-check">'
                f'<input type="{esc(option["type"])}" class="form-check-input{invalid_class}" '
                f'name="{name}" value="{esc(localize(option["value"], use_l10n=False))}"'
                f"{attrs_html(option_attrs)}> "
                f'<label for="{esc(option_attrs.get("id", ""))}" class="form-check-label">'
                f"{esc(str(localize(option['label'], use_l10n=False)))}</label>"
            )
            if errors and number == len(options) and group_number == len(groups):
                parts.append(_errors_html(errors, auto_id, tag="p"))
            parts.append("</div>")
    parts.append("</div>")
    parts.append(_help_html(bound, auto_id))
    return "".join(parts)


def _file_html(bound: BoundField, errors: Any, ident: str, *, invalid: bool) -> str | None:
    """crispy-bootstrap5's layout/field_file.html, for a file input without a file already
    uploaded (None for one with: crispy draws its link and "clear" box). crispy writes the
    input itself, from the widget's context: ``form-control`` before the widget's classes,
    the other attributes as they come, ``disabled`` once more for a disabled field.
    ``ident`` is the field's id, escaped."""
    widget = bound.field.widget
    widget_id = widget.attrs.get("id") or bound.auto_id
    attrs = bound.build_widget_attrs({"id": widget_id} if widget_id else {})
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    if context.get("is_initial"):
        return None
    shown = context["attrs"]
    css = "form-control" + (f" {shown['class']}" if shown.get("class") else "")
    css += " is-invalid" if invalid else ""
    disabled = " disabled" if bound.field.disabled else ""
    others = attrs_html({name: value for name, value in shown.items() if name != "class"})
    return (
        ('<div class="is-invalid">' if invalid else "<div>")
        + f'<input type="{esc(context["type"])}" name="{esc(context["name"])}" '
        + f'class="{esc(css)}"{disabled}{others}>'
        + (_errors_html(errors, ident, tag="span") if errors else "")
        + _help_html(bound, ident)
        + "</div>"
    )


def _css_classes(bound: BoundField) -> str:
    form = bound.form
    if hasattr(form, "error_css_class") or hasattr(form, "required_css_class"):
        return bound.css_classes()
    return ""


def field_html(
    bound: BoundField, *, show_errors: bool, wrapper_class: str = "", flat_attrs: str = ""
) -> str | None:
    """crispy-bootstrap5's field.html for a vertical form that shows labels, with errors
    under the field and help below them. None for a widget drawn otherwise."""
    all_errors = bound.form.errors.get(bound.name)
    auto_id = bound.auto_id
    if bound.is_hidden:
        return widget_html(bound, all_errors, auto_id)
    widget = bound.field.widget
    if isinstance(widget, _NOT_DRAWN) and type(widget) not in _FILE_INPUTS:
        return None
    errors = all_errors if show_errors else None
    ident = esc(auto_id)
    css = _css_classes(bound)
    extra = (f" {wrapper_class}" if wrapper_class else "") + (f" {css}" if css else "")
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(widget, "form-check-input is-invalid" if all_errors else "form-check-input")
        required = bound.field.required
        return (
            f'<div class="mb-3"><div id="div_{ident}" class="form-check{extra}">'
            f"{widget_html(bound, all_errors, auto_id)} "
            f'<label for="{esc(bound.id_for_label)}" class="form-check-label'
            f'{" requiredField" if required else ""}">'
            f"{esc(bound.label)}{_ASTERISK if required else ''}</label>"
            f"{_errors_html(errors, ident, tag='span') if errors else ''}"
            f"{_help_html(bound, ident)}</div></div>"
        )
    fieldset = widget.use_fieldset and bool(bound.label)
    parts = [f'<div id="div_{ident}" class="mb-3{extra}">']
    if bound.label:
        if fieldset:
            described = bound.aria_describedby
            parts.append(
                f'<fieldset aria-describedby="{esc(described)}">' if described else "<fieldset>"
            )
        parts.append(_label_html(bound, legend=widget.use_fieldset))
    if isinstance(widget, forms.RadioSelect):
        parts.append(
            _radios_html(bound, errors, ident, invalid=bool(all_errors), flat_attrs=flat_attrs)
        )
    elif isinstance(widget, forms.FileInput):
        file_html = _file_html(bound, errors, ident, invalid=bool(all_errors))
        if file_html is None:
            return None
        parts.append(file_html)
    else:
        bootstrap_class = "form-select" if isinstance(widget, forms.Select) else "form-control"
        _add_classes(widget, f"{bootstrap_class} is-invalid" if all_errors else bootstrap_class)
        parts.append(widget_html(bound, all_errors, auto_id))
        if errors:
            parts.append(_errors_html(errors, ident, tag="span"))
        parts.append(_help_html(bound, ident))
    if fieldset:
        parts.append("</fieldset>")
    parts.append("</div>")
    return "".join(parts)


def appended_html(
    bound: BoundField,
    *,
    show_errors: bool,
    prepended: Any,
    appended: Any,
    input_size: str,
    wrapper_classes: str,
) -> str | None:
    """crispy-bootstrap5's prepended_appended_text.html for a vertical form."""
    all_errors = bound.form.errors.get(bound.name)
    auto_id = bound.auto_id
    if bound.is_hidden:
        return widget_html(bound, all_errors, auto_id)
    widget = bound.field.widget
    if isinstance(widget, _NOT_DRAWN):
        return None
    errors = all_errors if show_errors else None
    css = _css_classes(bound)
    classes = (
        "mb-3" + wrapper_classes + (" has-danger" if errors else "") + (f" {css}" if css else "")
    )
    parts = [f'<div id="div_{esc(auto_id)}" class="{classes}">']
    if bound.label:
        required = bound.field.required
        parts.append(
            f'<label for="{esc(bound.id_for_label)}" class="form-label'
            f'{" requiredField" if required else ""}">'
            f"{esc(bound.label)}{_ASTERISK if required else ''}</label>"
        )
    parts.append(f'<div><div class="input-group{f" {input_size}" if input_size else ""}">')
    if prepended:
        parts.append(f'<span class="input-group-text">{esc(prepended)}</span>')
    bootstrap_class = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_classes(widget, f"{bootstrap_class} is-invalid" if all_errors else bootstrap_class)
    parts.append(widget_html(bound, all_errors, auto_id))
    if appended:
        parts.append(f'<span class="input-group-text">{esc(appended)}</span>')
    if errors:
        parts.append(_errors_html(errors, esc(auto_id), tag="span"))
    parts.append("</div>")
    parts.append(_help_html(bound, esc(auto_id)))
    parts.append("</div></div>")
    return "".join(parts)


def crispy_field_html(bound: BoundField) -> SafeString:
    """crispy's ``{{ field|as_crispy_field }}``, drawn here when the form's helper asks for
    the markup drawn here."""
    helper = getattr(bound.form, "helper", None)
    attributes: dict[str, Any] = {"form_show_errors": True, "form_show_labels": True}
    template = None
    if helper is not None:
        attributes.update(helper.get_attributes(TEMPLATE_PACK))
        template = helper.field_template
    html = None
    if template is None and _is_bootstrap5(TEMPLATE_PACK) and _drawn_here(attributes):
        html = field_html(
            bound,
            show_errors=bool(attributes["form_show_errors"]),
            wrapper_class=attributes.get("wrapper_class") or "",
        )
    if html is None:
        return as_crispy_field(bound)
    return mark_safe(html)  # noqa: S308 - built of escaped parts


def hidden_form_html(form: forms.BaseForm) -> SafeString:
    """``{{ form }}`` for a form of hidden fields only (a formset's management form): its
    inputs. A form with errors, or with a field to show, is drawn by Django."""
    bound_fields = [form[name] for name in form.fields]
    if form.errors or not all(bound.is_hidden for bound in bound_fields):
        return SafeString(str(form))
    return mark_safe("".join(widget_html(bound) for bound in bound_fields))  # noqa: S308


# --- What {% crispy %} writes around the fields ---------------------------------------------


def _csrf_html(token: Any) -> str:
    """``{% csrf_token %}``'s hidden input (nothing without a token)."""
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker for no token
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(str(token))}">'


def _non_field_errors_html(form: forms.BaseForm, title: Any) -> str:
    """crispy-bootstrap5's ``errors.html``."""
    errors = form.non_field_errors()
    if not errors:
        return "\n"
    heading = f'<h4 class="alert-heading">{esc(title)}</h4>' if title else ""
    return (
        '\n    <div class="alert alert-block alert-danger">\n'
        f'        {heading}\n        <ul class="m-0">\n'
        f"            {unordered_list(errors, autoescape=True)}\n"
        "        </ul>\n    </div>\n\n"
    )


def _input_html(button: Any) -> str:
    """crispy-bootstrap5's ``layout/baseinput.html``: a submit (or other) button."""
    name = slugify(button.name) if len(button.name.split()) > 1 else button.name
    shown = ""
    if button.input_type != "hidden":
        ident = button.id or f"{button.input_type}-id-{slugify(button.name)}"
        shown = f'\n        class="{esc(button.field_classes)}"\n        id="{esc(ident)}"\n    '
    return (
        f'<input type="{esc(button.input_type)}"\n    name="{esc(name)}"\n'
        f'    value="{esc(button.value)}"\n    {shown}\n    {esc(button.flat_attrs)}\n    />\n'
    )


def _inputs_html(context: Any) -> str:
    """crispy-bootstrap5's ``inputs.html``: the helper's buttons."""
    inputs = context.get("inputs")
    if not inputs:
        return "\n"
    row = " row" if "form-horizontal" in (context.get("form_class") or "") else ""
    label_class = context.get("label_class")
    label = (
        f'\n            <div class="aab {esc(label_class)}"></div>\n        ' if label_class else ""
    )
    buttons = "".join(f"\n                {_input_html(button)}\n            " for button in inputs)
    return (
        f'\n    <div class="mb-3{row}">\n        {label}\n\n'
        f'        <div class="{esc(context.get("field_class") or "")}">\n'
        f"            {buttons}\n        </div>\n    </div>\n\n"
    )


def _form_tags(context: Any) -> tuple[str, str]:
    """The <form> tag that opens and the one that closes the form when its helper asks for
    them (``form_tag``), as ``whole_uni_form.html`` writes them; none otherwise."""
    if not context.get("form_tag"):
        return "", ""
    form = context.get("form")
    enctype = ' enctype="multipart/form-data"' if form.is_multipart() else ""
    attrs = esc(context.get("flat_attrs"))
    method = esc(context.get("form_method"))
    return f'<form {attrs} method="{method}" {enctype}>', "</form>"


def crispy_form_html(context: Any) -> SafeString | None:
    """What crispy-bootstrap5's ``whole_uni_form.html`` writes for a form whose helper drew
    it by its layout, from the context ``{% crispy %}`` builds for it
    (``CrispyFormNode.get_render``): its <form> tag if the helper asks for one, the CSRF
    input, the form's media and non-field errors, its fields and the helper's buttons,
    spaced as crispy's ``specialspaceless`` leaves them.

    Rendering that template and its four includes took as long as drawing a short form's
    fields. None where the template would do more (a form without a layout, a formset):
    crispy's template draws those.
    """
    form = context.get("form")
    if context.get("is_formset") or not form.form_html:
        return None
    opening, closing = _form_tags(context)
    csrf = ""
    if str(context.get("form_method")).lower() == "post" and not context.get("disable_csrf"):
        csrf = f"\n        {_csrf_html(context.get('csrf_token'))}\n    "
    media = str(form.media) if context.get("include_media") else ""
    errors = ""
    if context.get("form_show_errors"):
        errors = f"\n        {_non_field_errors_html(form, context.get('form_error_title'))}\n    "
    html = (
        f"\n{opening}\n    {csrf}\n\n    \n    {media}\n    {errors}\n    {form.form_html}\n\n"
        f"\n\n    {_inputs_html(context)}\n\n{closing}\n"
    )
    # The lines around are the template's own, outside its {% specialspaceless %}.
    return mark_safe(f"\n\n{remove_spaces(html.strip())}\n")  # noqa: S308 - escaped parts


# --- Layout objects -------------------------------------------------------------------------


def _drawn_here(context: Any) -> bool:
    """Whether the helper asks for the markup drawn here: labels shown, errors under each
    field, help text below, no label or field columns."""
    get = context.get
    return bool(
        get("form_show_labels")
        and get("error_text_inline")
        and not get("help_text_inline")
        and not get("label_class")
        and not get("field_class")
        and not get("tag")
        and "form-horizontal" not in (get("form_class") or "")
    )


def _render_settings(form: forms.BaseForm, context: Any) -> tuple[bool, bool, str]:
    """Whether this render of the form is drawn here, whether it shows errors, and the
    wrapper class it asks for: read from the context once per form and context."""
    cached = getattr(form, "_python_render_settings", None)
    if cached is not None and cached[0] is context:
        return cached[1]
    found = (
        _drawn_here(context),
        bool(context.get("form_show_errors")),
        context.get("wrapper_class") or "",
    )
    form._python_render_settings = (context, found)
    return found


def _claim(form: forms.BaseForm, name: str) -> bool:
    """Record the field as rendered, as crispy does; False if it already was (crispy then
    warns or raises, as its settings say)."""
    rendered = getattr(form, "rendered_fields", None)
    if rendered is None:
        return True
    if name in rendered:
        return False
    rendered.add(name)
    return True


def render_name(
    name: str,
    form: forms.BaseForm,
    context: Any,
    *,
    template_pack: Any = TEMPLATE_PACK,
    attrs: dict[str, Any] | None = None,
    wrapper_class: str | None = None,
    template: str | None = None,
) -> SafeString:
    """One field of the layout, by name: drawn here, or by crispy where it has to be.
    ``template`` is a crispy Field's own (field.html); without it, a name is drawn with the
    helper's ``field_template``, which only crispy draws."""
    drawn_here, show_errors, context_wrapper_class = _render_settings(form, context)
    if (
        drawn_here
        and _is_bootstrap5(template_pack)
        and (template is not None or getattr(form, "crispy_field_template", None) is None)
        and name in form.fields
        and not (attrs and "type" in attrs)
        and _claim(form, name)
    ):
        bound = form[name]
        if attrs:
            bound.field.widget.attrs.update(attrs)
        html = field_html(
            bound,
            show_errors=show_errors,
            wrapper_class=wrapper_class or context_wrapper_class,
            flat_attrs=flatatt(attrs) if attrs else "",
        )
        if html is not None:
            # Built of escaped parts above; SafeString, not mark_safe: a plain str, and the
            # lazy-string check mark_safe makes was three calls a field.
            return SafeString(html)
        getattr(form, "rendered_fields", set()).discard(name)
    extra = {"wrapper_class": wrapper_class} if wrapper_class else None
    return crispy_render_field(
        name,
        form,
        context,
        template=template,
        template_pack=template_pack,
        attrs=attrs,
        extra_context=extra,
    )


class FormHelper(helper.FormHelper):
    """crispy's FormHelper, whose fields left out of the layout (``render_unmentioned_fields``
    and the like) are drawn here too."""

    @property
    def form_action(self) -> str:
        # crispy's looks every action up as a URL name first, the empty one too: a failed
        # reverse() each time a form is drawn, for the forms that post back where they are.
        if not self._form_action:
            return ""
        return helper.FormHelper.form_action.fget(self)

    @form_action.setter
    def form_action(self, action: str) -> None:
        self._form_action = action

    def render_layout(
        self, form: forms.BaseForm, context: Any, template_pack: Any = TEMPLATE_PACK
    ) -> SafeString:
        # crispy's render_layout, with render_name in place of crispy's render_field.
        form.rendered_fields = set()
        form.crispy_field_template = self.field_template
        html = self.layout.render(form, context, template_pack=template_pack)
        if (
            self.render_unmentioned_fields
            or self.render_hidden_fields
            or self.render_required_fields
        ):
            left = list_difference(tuple(form.fields), form.rendered_fields)
            for name in left:
                field = form.fields[name]
                if (
                    self.render_unmentioned_fields
                    or (self.render_hidden_fields and field.widget.is_hidden)
                    or (self.render_required_fields and field.widget.is_required)
                ):
                    html += render_name(name, form, context, template_pack=template_pack)
        return mark_safe(html)  # noqa: S308 - rendered fields, as crispy's


class PythonRendered:
    """A layout object whose fields (names) and plain layout objects are drawn in Python."""

    def get_rendered_fields(
        self, form: forms.BaseForm, context: Any, template_pack: Any = TEMPLATE_PACK, **kwargs
    ) -> SafeString:
        parts = []
        for item in self.fields:
            if isinstance(item, str) and not kwargs:
                parts.append(render_name(item, form, context, template_pack=template_pack))
            elif isinstance(item, PythonRendered | HTML):
                parts.append(item.render(form, context, template_pack=template_pack))
            else:
                parts.append(
                    crispy_render_field(item, form, context, template_pack=template_pack, **kwargs)
                )
        return SafeString("".join(parts))


class Layout(PythonRendered, layout.Layout):
    pass


_NO_ATTRIBUTES = SafeString("")


class Div(PythonRendered, layout.Div):
    def __init__(
        self,
        *fields: object,
        css_id: str | None = None,
        css_class: str | None = None,
        template: str | None = None,
        **kwargs: object,
    ) -> None:
        # crispy's, without formatting an empty attribute list: a card builds dozens of these.
        self.fields = list(fields)
        if self.css_class and css_class:
            self.css_class += f" {css_class}"
        elif css_class:
            self.css_class = css_class
        self.css_id = css_id
        self.template = template or self.template
        self.flat_attrs = flatatt(kwargs) if kwargs else _NO_ATTRIBUTES

    def _open(self, css_class: str | None) -> str:
        ident = f' id="{esc(self.css_id)}"' if self.css_id else ""
        classes = f' class="{esc(css_class)}"' if css_class else ""
        return f"<div{ident}{classes}{self.flat_attrs}>"

    def render(
        self, form: forms.BaseForm, context: Any, template_pack: Any = TEMPLATE_PACK, **kwargs
    ) -> SafeString:
        if self.template != layout.Div.template or not _is_bootstrap5(template_pack):
            return super().render(form, context, template_pack, **kwargs)
        inner = self.get_rendered_fields(form, context, template_pack, **kwargs)
        return SafeString(f"{self._open(self.css_class)}{inner}</div>")


class Row(Div, layout.Row):
    def render(
        self, form: forms.BaseForm, context: Any, template_pack: Any = TEMPLATE_PACK, **kwargs
    ) -> SafeString:
        if self.template != layout.Row.template or not _is_bootstrap5(template_pack):
            return layout.Row.render(self, form, context, template_pack, **kwargs)
        inner = self.get_rendered_fields(form, context, template_pack, **kwargs)
        classes = f"row {self.css_class or ''}".strip()
        return SafeString(f"{self._open(classes)}{inner}</div>")


class Column(Div, layout.Column):
    def render(
        self, form: forms.BaseForm, context: Any, template_pack: Any = TEMPLATE_PACK, **kwargs
    ) -> SafeString:
        if self.template != layout.Column.template or not _is_bootstrap5(template_pack):
            return layout.Column.render(self, form, context, template_pack, **kwargs)
        inner = self.get_rendered_fields(form, context, template_pack, **kwargs)
        css = self.css_class or ""
        classes = css if "col" in css else f"col-md {css}".strip()
        return SafeString(f"{self._open(classes)}{inner}</div>")


class Fieldset(PythonRendered, layout.Fieldset):
    def render(
        self, form: forms.BaseForm, context: Any, template_pack: Any = TEMPLATE_PACK, **kwargs
    ) -> SafeString:
        if (
            self.template != layout.Fieldset.template
            or "{" in str(self.legend)
            or not _is_bootstrap5(template_pack)
        ):
            return super().render(form, context, template_pack, **kwargs)
        inner = self.get_rendered_fields(form, context, template_pack, **kwargs)
        ident = f' id="{esc(self.css_id)}"' if self.css_id else ""
        classes = f' class="{esc(self.css_class)}"' if self.css_class else ""
        legend = f"<legend>{self.legend}</legend>" if self.legend else ""
        return SafeString(f"<fieldset{ident}{classes}{self.flat_attrs}>{legend}{inner}</fieldset>")


class HTML(layout.HTML):
    """Markup as written: crispy compiles it as a template on every render, which for text
    without a tag or variable gives the text back."""

    def render(
        self, form: forms.BaseForm, context: Any, template_pack: Any = TEMPLATE_PACK, **kwargs
    ) -> SafeString:
        text = str(self.html)
        if "{" in text:
            return super().render(form, context, template_pack, **kwargs)
        return mark_safe(text)  # noqa: S308 - the form's own markup, as crispy's HTML


class Field(PythonRendered, layout.Field):
    """A field with attributes for its widget (``autocomplete``, a class) or a wrapper class."""

    def render(
        self,
        form: forms.BaseForm,
        context: Any,
        template_pack: Any = TEMPLATE_PACK,
        extra_context: dict | None = None,
        **kwargs,
    ) -> SafeString:
        if self.template not in _DEFAULT_FIELD_TEMPLATES or extra_context or kwargs:
            return super().render(form, context, template_pack, extra_context, **kwargs)
        return SafeString(
            "".join(
                render_name(
                    name,
                    form,
                    context,
                    template_pack=template_pack,
                    attrs=self.attrs,
                    wrapper_class=self.wrapper_class,
                    template=self.get_template_name(template_pack),
                )
                if isinstance(name, str)
                else crispy_render_field(name, form, context, template_pack=template_pack)
                for name in self.fields
            )
        )


class AppendedText(PythonRendered, bootstrap.AppendedText):
    """A field with a unit after it in the same input group ("minutes after it ends")."""

    def render(
        self,
        form: forms.BaseForm,
        context: Any,
        template_pack: Any = TEMPLATE_PACK,
        extra_context: dict | None = None,
        **kwargs,
    ) -> SafeString:
        name = self.field
        if (
            self.template not in _APPENDED_TEMPLATES
            or extra_context
            or kwargs
            or "type" in self.attrs
            or not _is_bootstrap5(template_pack)
            or name not in form.fields
            or not _drawn_here(context)
            or not _claim(form, name)
        ):
            return super().render(form, context, template_pack, extra_context, **kwargs)
        bound = form[name]
        if self.attrs:
            bound.field.widget.attrs.update(self.attrs)
        wrapper = "".join(
            f" {value}"
            for value in (self.wrapper_class, context.get("form_group_wrapper_class"))
            if value
        )
        html = appended_html(
            bound,
            show_errors=bool(context.get("form_show_errors")),
            prepended=self.prepended_text,
            appended=self.appended_text,
            input_size=self.input_size or "",
            wrapper_classes=wrapper,
        )
        if html is None:
            getattr(form, "rendered_fields", set()).discard(name)
            return super().render(form, context, template_pack, extra_context, **kwargs)
        return mark_safe(html)  # noqa: S308 - built of escaped parts
