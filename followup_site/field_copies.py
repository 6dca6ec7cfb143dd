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
from functools import cache
from typing import Any, TypeVar

from django import forms
from django.forms.widgets import ChoiceWidget

FormClass = TypeVar("FormClass", bound=type[forms.BaseForm])

_FIELD_COPIES = (forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__)
_WIDGET_COPIES = (forms.Widget.__deepcopy__, ChoiceWidget.__deepcopy__)


@cache
def _copied_as_usual(kind: type, copies: tuple) -> bool:
    """Whether ``copy.copy`` of such an object is a new instance with the same ``__dict__``
    (no ``__copy__``, reducer, state hooks or slots of its own), and its ``__deepcopy__``
    one of Django's ``copies``."""
    return (
        kind.__deepcopy__ in copies
        and not hasattr(kind, "__copy__")
        and kind.__reduce_ex__ is object.__reduce_ex__
        and kind.__reduce__ is object.__reduce__
        and kind.__getstate__ is object.__getstate__
        and not hasattr(kind, "__setstate__")
        and kind.__new__ is object.__new__
        and not any("__slots__" in vars(base) for base in kind.__mro__)
    )


def _shallow(instance: Any) -> Any:
    """``copy.copy`` for an object copied as usual."""
    clone = object.__new__(type(instance))
    clone.__dict__.update(instance.__dict__)
    return clone


def _widget_copy(widget: forms.Widget, memo: dict) -> forms.Widget:
    known = memo.get(id(widget))
    if known is not None:
        return known
    clone = _shallow(widget)
    clone.attrs = widget.attrs.copy()
    if type(widget).__deepcopy__ is ChoiceWidget.__deepcopy__:
        clone.choices = copy.copy(widget.choices)
    memo[id(widget)] = clone
    return clone


def field_copy(field: forms.Field, memo: dict) -> forms.Field:
    """``copy.deepcopy(field, memo)``."""
    known = memo.get(id(field))
    if known is not None:
        return known
    widget = field.widget
    if not (
        _copied_as_usual(type(field), _FIELD_COPIES)
        and _copied_as_usual(type(widget), _WIDGET_COPIES)
    ):
        return copy.deepcopy(field, memo)
    clone = _shallow(field)
    memo[id(field)] = clone
    clone.widget = _widget_copy(widget, memo)
    clone.error_messages = field.error_messages.copy()
    clone.validators = field.validators[:]
    if type(field).__deepcopy__ is forms.ChoiceField.__deepcopy__:
        clone._choices = copy.deepcopy(field._choices, memo)
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
