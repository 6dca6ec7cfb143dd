"""Form widgets shared by the apps, and the Python rendering of a select's options."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape as html_escape
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def esc(value: Any) -> str:
    """``conditional_escape``, with a short way for plain text: the forms' hot loops call it
    thousands of times, and Django's version first checks every argument for a lazy string,
    then rewrites the text five times even when there is nothing to escape."""
    if type(value) is not str:
        return conditional_escape(value)
    if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
        return html_escape(value)
    return value


# Attribute names come from code, so there are few of them: each is escaped once, into
# the text that starts it (" required", ' maxlength="').
_attribute_starts: dict[str, tuple[str, str]] = {}


def _attribute_start(name: str) -> tuple[str, str]:
    start = _attribute_starts.get(name)
    if start is None:
        escaped = esc(name)
        start = (f" {escaped}", f' {escaped}="')
        if len(_attribute_starts) < 1000:
            _attribute_starts[name] = start
    return start


def attrs_html(attrs: dict[str, Any]) -> str:
    """HTML attributes as Django's ``django/forms/widgets/attrs.html`` writes them: ``True``
    as a bare name, ``False`` left out, anything else as text, escaped unless already safe."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        start = _attribute_starts.get(name) or _attribute_start(name)
        if value is True:
            parts.append(start[0])
        elif type(value) is int:  # maxlength, rows: the template prints them as they are
            parts.append(f'{start[1]}{value}"')
        else:
            parts.append(f'{start[1]}{esc(value)}"')
    return "".join(parts)


def _label_html(label: Any) -> str:
    # As a template prints {{ label }}: localised if it is not text, then escaped.
    return esc(label if isinstance(label, str) else localize(label))


class Choices(BaseChoiceIterator):
    """A choice list normalised once, with its ``<option>`` markup built once.

    For the selects that are long (every time zone, every country) or shown once per card
    (the contacts on the interview form): Django re-normalises a plain list for each form
    and copies it for each field, and renders each option through a template. A form field
    keeps this object as it is (Django leaves a ``BaseChoiceIterator`` alone), copies share
    it, and ``select_html`` only has to mark the chosen option. Immutable.
    """

    def __init__(self, choices: Iterable[Any]) -> None:
        normalised = normalize_choices(list(choices))
        self._choices = tuple(
            (value, tuple(label) if isinstance(label, list | tuple) else label)
            for value, label in normalised
        )
        self._markup: tuple[tuple[str, ...], ...] | None = None
        self._joined: tuple[str, dict[str, tuple[int, int, str]]] | None = None

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self._choices)

    def __len__(self) -> int:
        return len(self._choices)

    def __bool__(self) -> bool:
        return bool(self._choices)

    def __copy__(self) -> Choices:
        return self

    def __deepcopy__(self, memo: dict) -> Choices:
        return self

    def markup(self) -> tuple[tuple[str, ...], ...]:
        """The options as ``select_html`` writes them, built on first use."""
        if self._markup is None:
            self._markup = tuple(_option_markup(self._choices))
        return self._markup

    def joined(self) -> tuple[str, dict[str, tuple[int, int, str]]]:
        """The options' markup as one text, none selected, and for each value where its
        first option starts and ends in that text and how it reads selected: a select of
        one chosen value is that text with one option swapped, not a walk over hundreds."""
        if self._joined is None:
            parts: list[str] = []
            length = 0
            first: dict[str, tuple[int, int, str]] = {}
            for item in self.markup():
                kind = item[0]
                if kind == "option":
                    text = f"{item[2]}{item[3]}"
                    if item[1] not in first:
                        first[item[1]] = (
                            length,
                            length + len(text),
                            f"{item[2]} selected{item[3]}",
                        )
                elif kind == "group":
                    text = item[1]
                else:
                    text = "</optgroup>"
                parts.append(text)
                length += len(text)
            self._joined = ("".join(parts), first)
        return self._joined


def _option_markup(choices: Iterable[tuple[Any, Any]]) -> Iterator[tuple[str, ...]]:
    """("group", opening tag), ("option", value, opening, rest) and ("end",) items."""
    for group_value, group_label in choices:
        if isinstance(group_label, list | tuple):
            # Django draws a group without a name as its bare options.
            named = bool(group_value)
            if named:
                yield ("group", f'<optgroup label="{_label_html(group_value)}">')
            for value, label in group_label:
                yield _option(value, label)
            if named:
                yield ("end",)
        else:
            yield _option("" if group_value is None else group_value, group_label)


def _option(value: Any, label: Any) -> tuple[str, ...]:
    text = str(value)
    return ("option", text, f'<option value="{esc(text)}"', f">{_label_html(label)}</option>")


def select_html(
    name: str, attrs: dict[str, Any], choices: Iterable[Any], chosen: Iterable[str]
) -> SafeString:
    """A ``<select>`` as Django's select templates draw it: the same attributes, groups and
    options, the first option whose value is chosen marked ``selected`` (every chosen one
    for a multiple select). Whitespace between the options aside, the markup is Django's."""
    chosen = set(chosen)
    multiple = bool(attrs.get("multiple"))
    opening = f'<select name="{esc(name)}"{attrs_html(attrs)}>'
    if isinstance(choices, Choices):
        if not multiple and len(chosen) <= 1:
            text, first = choices.joined()
            found = first.get(next(iter(chosen))) if chosen else None
            if found is None:
                return mark_safe(f"{opening}{text}</select>")  # noqa: S308 - escaped in Choices
            start, end, selected = found
            return mark_safe(f"{opening}{text[:start]}{selected}{text[end:]}</select>")  # noqa: S308
        markup = choices.markup()
    else:
        markup = _option_markup(choices)
    parts = [opening]
    has_selected = False
    for item in markup:
        kind = item[0]
        if kind == "option":
            selected = (multiple or not has_selected) and item[1] in chosen
            if selected:
                has_selected = True
                parts.append(f"{item[2]} selected{item[3]}")
            else:
                parts.append(f"{item[2]}{item[3]}")
        elif kind == "group":
            parts.append(item[1])
        else:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above


class LongSelect(forms.Select):
    """A select of hundreds of options (every time zone), rendered in Python.

    Django renders each option through a template: for the 600 time zones that took most of
    the settings page's time. The markup is the same as Django's (``<optgroup label>``,
    ``<option value selected>``), every value and label escaped; the select's own attributes
    (id, class, required, aria-describedby) come from the form and crispy as usual.
    """

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        return select_html(name, final, self.choices, self.format_value(value))
