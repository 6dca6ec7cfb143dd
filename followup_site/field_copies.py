"""A form's own copy of its fields, as Django makes it, without ``copy.deepcopy``'s detour.

Every form instance starts with ``copy.deepcopy(self.base_fields)``. For a field and its
widget that is ``__deepcopy__``, then ``copy.copy`` through ``__reduce_ex__``, ``copyreg``
and ``_reconstruct``: some 35 calls a field. The interview form has one card of about twenty
fields per interviewer, plus the card template, and copying them took as long as drawing a
card's labels. ``quick_field_copies`` gives a form class a ``base_fields`` whose deep copy
does what Django's ``__deepcopy__`` methods do, step for step (the same shallow copies, the
widget's ``attrs`` dict, the error messages and validators, the choices, one copy of a widget
two fields share), for the field and widget classes whose copying is Django's own; any other
field goes through ``copy.deepcopy`` as before.
"""

from __future__ import annotations

import copy
from typing import TypeVar

from django import forms
from django.forms.widgets import ChoiceWidget

from followup_site.widgets import Choices

FormClass = TypeVar("FormClass", bound=type[forms.BaseForm])

# How a field or widget class is copied: Django's own steps for a field (FIELD), a choice
# field (CHOICE_FIELD: its choices deep-copied too), a model choice field without a queryset
# (a field's steps, as ModelChoiceField's __deepcopy__ takes them), a widget (WIDGET) or a
# choice widget (CHOICE_WIDGET: its choices copied too); None: by ``copy.deepcopy``.
FIELD, CHOICE_FIELD, MODEL_CHOICE_FIELD, WIDGET, CHOICE_WIDGET = range(5)
_FIELD_COPIES = {
    forms.Field.__deepcopy__: FIELD,
    forms.ChoiceField.__deepcopy__: CHOICE_FIELD,
    forms.ModelChoiceField.__deepcopy__: MODEL_CHOICE_FIELD,
}
_WIDGET_COPIES = {forms.Widget.__deepcopy__: WIDGET, ChoiceWidget.__deepcopy__: CHOICE_WIDGET}
_kinds: dict[type, int | None] = {}


def _copied_as_usual(kind: type, copies: dict) -> int | None:
    """How such an object is copied: one of Django's ``copies`` (its ``__deepcopy__``), where
    ``copy.copy`` of it is a new instance with the same ``__dict__`` (no ``__copy__``,
    reducer, state hooks or slots of its own); None otherwise."""
    usual = (
        not hasattr(kind, "__copy__")
        and kind.__reduce_ex__ is object.__reduce_ex__
        and kind.__reduce__ is object.__reduce__
        and kind.__getstate__ is object.__getstate__
        and not hasattr(kind, "__setstate__")
        and kind.__new__ is object.__new__
        and not any("__slots__" in vars(base) for base in kind.__mro__)
    )
    return copies.get(kind.__deepcopy__) if usual else None


def _kind(kind: type, copies: dict) -> int | None:
    if kind not in _kinds:
        _kinds[kind] = _copied_as_usual(kind, copies)
    return _kinds[kind]


_new = object.__new__


def field_copy(field: forms.Field, memo: dict) -> forms.Field:
    """``copy.deepcopy(field, memo)``: for the usual classes, the shallow copies (a new
    instance with the same ``__dict__``) and copied parts that their ``__deepcopy__`` make."""
    known = memo.get(id(field))
    if known is not None:
        return known
    field_class, widget = type(field), field.widget
    widget_class = type(widget)
    kind = _kinds[field_class] if field_class in _kinds else _kind(field_class, _FIELD_COPIES)
    widget_kind = (
        _kinds[widget_class] if widget_class in _kinds else _kind(widget_class, _WIDGET_COPIES)
    )
    if (
        kind is None
        or widget_kind is None
        or (kind == MODEL_CHOICE_FIELD and field.queryset is not None)
    ):
        return copy.deepcopy(field, memo)
    clone = _new(field_class)
    clone.__dict__.update(field.__dict__)
    memo[id(field)] = clone
    widget_clone = memo.get(id(widget))
    if widget_clone is None:
        widget_clone = _new(widget_class)
        widget_clone.__dict__.update(widget.__dict__)
        widget_clone.attrs = widget.attrs.copy()
        if widget_kind == CHOICE_WIDGET:
            choices = widget.choices
            # Choices are immutable: copying one gives it back.
            widget_clone.choices = choices if type(choices) is Choices else copy.copy(choices)
        memo[id(widget)] = widget_clone
    clone.widget = widget_clone
    clone.error_messages = field.error_messages.copy()
    clone.validators = field.validators[:]
    if kind == CHOICE_FIELD:
        choices = field._choices
        clone._choices = choices if type(choices) is Choices else copy.deepcopy(choices, memo)
    return clone


class FieldsToCopy(dict):
    """A form class's ``base_fields``, whose deep copy (each form's ``fields``) is a plain
    dict of ``field_copy``."""

    def __deepcopy__(self, memo: dict) -> dict[str, forms.Field]:
        copied = {name: field_copy(field, memo) for name, field in self.items()}
        memo[id(self)] = copied
        return copied


def quick_field_copies(form_class: FormClass) -> FormClass:
    """Class decorator: the form's instances copy their fields by ``field_copy``."""
    form_class.base_fields = FieldsToCopy(form_class.base_fields)
    return form_class
