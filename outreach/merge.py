"""Merge fields: the small, named set of values a template can pull from the notes.

Users type ``{{ first_name }}`` in a template. Substitution is one regular-expression pass
over a whitelist of plain strings: no template engine, no ``str.format``, so a field cannot
reach an attribute, call anything, or expand a second time (a value that itself contains
``{{ ... }}`` is inserted as it is). A name outside the whitelist is an error that names it; a
known field with no value in the notes becomes a visible ``[name]`` placeholder that the
checklist flags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from interviews.names import NameParts, greeting_name, name_parse, salutation

# name -> what it holds, shown to users as the help beside the template editor.
FIELDS: dict[str, str] = {
    "greeting": "Your greeting to the interviewer, as set on their contact page, e.g. "
    "“Hi Anja” or “Dear Dr. Becker” (add the comma yourself)",
    "first_name": "The name you greet the interviewer by: usually their first name",
    "last_name": "The interviewer's last name",
    "interviewer_name": "The interviewer's full name",
    "interviewer_title": "The interviewer's job title",
    "company": "The company's name",
    "role": "The role you applied for",
    "interview_date": "The day of the interview, e.g. Tuesday 3 June",
    "topic": "A topic you discussed (from your notes)",
    "article_link": "The link saved with that topic",
    "skill": "A skill they seemed impressed by",
    "answer_to_fix": "The answer you want to put right",
    "question": "A question they asked you",
    "your_name": "Your name",
    "your_email": "Your email address",
    "your_signature": "Your signature (or your name if you have none)",
}

# Fields whose value keeps its line breaks; every other value is put on one line.
MULTILINE_FIELDS = frozenset({"your_signature"})

_FIELD = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
# A placeholder left for the user: a merge field with no value, or a "[your ...]" prompt
# written into a built-in template.
PLACEHOLDER = re.compile(r"\[(?:[a-z_]{2,30}|your [^\]\n]{1,80})\]")
_NEWLINES = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


@dataclass(frozen=True)
class NoteValue:
    """What the merge needs from one note; kept plain so tests need no database."""

    kind: str
    text: str
    link: str = ""


def merge_fields_unknown(text: str) -> list[str]:
    """Names between ``{{ }}`` that are not merge fields, in order, without repeats."""
    unknown: list[str] = []
    for match in _FIELD.finditer(text or ""):
        name = match.group(1).strip()
        if name not in FIELDS and name not in unknown:
            unknown.append(name)
    return unknown


def merge_render(text: str, values: Mapping[str, str], *, single_line: bool = False) -> str:
    """Replace every known field with its value, or ``[name]`` when there is none.

    Raises ValueError naming the unknown fields; callers validate first with
    ``merge_fields_unknown`` to show a form error instead.
    """
    unknown = merge_fields_unknown(text)
    if unknown:
        raise ValueError("Unknown merge field: " + ", ".join(unknown))

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        value = str(values.get(name) or "").strip()
        if not value:
            return f"[{name}]"
        if single_line or name not in MULTILINE_FIELDS:
            return one_line(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    rendered = _FIELD.sub(substitute, text or "")
    return one_line(rendered) if single_line else rendered.replace("\r\n", "\n")


def one_line(value: str) -> str:
    """Collapse every kind of line break into one space: what may go into a header."""
    return " ".join(_NEWLINES.sub(" ", value).split())


def placeholders_left(*texts: str) -> list[str]:
    found: list[str] = []
    for text in texts:
        for match in PLACEHOLDER.finditer(text or ""):
            if match.group(0) not in found:
                found.append(match.group(0))
    return found


def _first(notes: Iterable[NoteValue], kind: str) -> NoteValue | None:
    return next((note for note in notes if note.kind == kind and note.text.strip()), None)


def _text_without_link(note: NoteValue | None) -> str:
    """A note's words without the address it carries: the link has a merge field of its own,
    and a URL in the middle of a sentence reads badly."""
    if note is None:
        return ""
    text = note.text.replace(note.link, "") if note.link else note.text
    return " ".join(text.split()).strip(" -:;,(") or note.text


def merge_values(
    *,
    your_name: str,
    your_email: str,
    your_signature: str,
    company: str,
    role: str,
    interviewer_name: str = "",
    interviewer_name_parts: NameParts | None = None,
    interviewer_greeted_formally: bool = False,
    interviewer_title: str = "",
    interview_starts_at=None,
    interview_timezone: str = "UTC",
    notes: Iterable[NoteValue] = (),
) -> dict[str, str]:
    """The whitelist dict of plain strings, from the notes on one contact and interview.

    The greeting fields come from the parts of the interviewer's name (their contact's),
    or from their full name read the same way when no parts are given.
    """
    notes = list(notes)
    parts = interviewer_name_parts or name_parse(name=interviewer_name)
    topic = _first(notes, "topic")
    link_note = topic if topic and topic.link else next((n for n in notes if n.link), None)
    interview_date = ""
    if interview_starts_at is not None:
        local = interview_starts_at.astimezone(ZoneInfo(interview_timezone))
        interview_date = f"{local:%A} {local.day} {local:%B}"
    values = {
        "greeting": salutation(
            parts=parts, formal=interviewer_greeted_formally, name=interviewer_name
        ),
        "first_name": greeting_name(parts=parts),
        "last_name": parts.family_name,
        "interviewer_name": interviewer_name,
        "interviewer_title": interviewer_title,
        "company": company,
        "role": role,
        "interview_date": interview_date,
        "topic": _text_without_link(topic),
        "article_link": link_note.link if link_note else "",
        "skill": (_first(notes, "skill") or NoteValue("", "")).text,
        "answer_to_fix": (_first(notes, "answer_to_fix") or NoteValue("", "")).text,
        "question": (_first(notes, "question") or NoteValue("", "")).text,
        "your_name": your_name,
        "your_email": your_email,
        "your_signature": your_signature.strip() or your_name,
    }
    return {name: str(value or "").strip() for name, value in values.items()}
