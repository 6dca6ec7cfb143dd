"""Merge fields: the small, named set of values a template can pull from the notes.

Users type ``{{ first_name }}`` in a template. Substitution is one regular-expression pass
over a whitelist of plain strings: no template engine, no ``str.format``, so a field cannot
reach an attribute, call anything, or expand a second time (a value that itself contains
``{{ ... }}`` reads as it is, with its braces kept apart so that saving the draft, which
merges again, finds no field in it). A name outside the whitelist is an error that names it; a
known field with no value becomes a visible blank ("[the topic you discussed]", or ``[name]``)
that the checklist flags.

Values drawn from the notes are put into a sentence only where they read as part of it
(``interviews.note_text`` holds the rule); otherwise the field is left blank and the composer
offers the note beside the draft (``note_snippets``). A note's link goes with that same note,
and the user's own note on what went wrong in an answer never goes into a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from interviews.names import NameParts, greeting_name, name_parse, salutation
from interviews.note_text import (
    about_phrase,
    answer_as_written,
    note_words,
    phrase_in_sentence,
    question_after_asked,
)

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
    "topic": "A topic you discussed, when your note reads well in a sentence, e.g. “event "
    "sourcing”; otherwise a blank to fill from your notes",
    "article_link": "The link saved with that same topic note; a blank when it has none",
    "skill": "A skill they seemed impressed by, when your note reads well in a sentence",
    "question": "A question they asked you, when your note reads well in a sentence",
    "fix_question": "For an answer to fix: their question, to follow “you asked me”: "
    "“How would you shard it?” in quotes, or “about sharding the orders table”",
    "better_answer": "For an answer to fix: what you would say now, in your own words",
    "answer_to_fix": "For an answer to fix: what their question was about, e.g. “sharding "
    "the orders table” (kept for older templates; never your note on what went wrong)",
    "your_name": "Your name",
    "your_email": "Your email address",
    "your_signature": "Your signature (or your name if you have none)",
}

# Fields whose value keeps its line breaks; every other value is put on one line.
MULTILINE_FIELDS = frozenset({"your_signature", "better_answer"})

# What a field from the notes leaves when it has no value, saying what belongs there. Other
# fields leave "[name]". Each must match PLACEHOLDER, so that the checklist asks for it.
BLANKS: dict[str, str] = {
    "topic": "[the topic you discussed]",
    "article_link": "[a link to the article]",
    "skill": "[the skill they noticed]",
    "question": "[a question they asked]",
    "fix_question": "[the question they asked]",
    "better_answer": "[what you would say now, in two or three sentences]",
    "answer_to_fix": "[what the answer was about]",
}

_FIELD = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
# A placeholder left for the user: a merge field with no value, a blank from BLANKS, or a
# "[your ...]" prompt written into a built-in template.
PLACEHOLDER = re.compile(r"\[(?:[a-z_]{2,30}|(?:your|the|a|an|what) [^\]\n]{1,80})\]")
_NEWLINES = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")


@dataclass(frozen=True)
class NoteValue:
    """What the merge needs from one note; kept plain so tests need no database."""

    kind: str
    text: str
    link: str = ""
    # For an answer to fix: the question they asked and what the user would say now.
    question: str = ""
    better_answer: str = ""


@dataclass(frozen=True)
class Snippet:
    """A note offered beside the draft, as plain text to insert or copy.

    ``fills`` is the blank it can take the place of; ``link`` is the note's own link.
    """

    label: str
    text: str
    fills: str = ""
    link: str = ""

    @property
    def link_fills(self) -> str:
        return BLANKS["article_link"] if self.link else ""


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
            return BLANKS.get(name, f"[{name}]")
        if single_line or name not in MULTILINE_FIELDS:
            return one_line(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _FIELD.finditer(text or ""):
        pieces.append((text[position : match.start()], False))
        pieces.append((substitute(match), True))
        position = match.end()
    pieces.append(((text or "")[position:], False))
    rendered = _joined_inert(pieces)
    return one_line(rendered) if single_line else rendered.replace("\r\n", "\n")


# U+2060 WORD JOINER: invisible, and not whitespace, so it survives one_line().
_INERT = "\u2060"
_BRACE_PAIR = re.compile(r"\{(?=\{)")


def _joined_inert(pieces: list[tuple[str, bool]]) -> str:
    """Join template text and field values so that no value can open a merge field.

    A draft filled from a template is saved through merge_render again (fields the user
    types into a draft are expanded too). A contact named ``{{your_email}} Smith`` would then
    become the user's address on the second pass. So every ``{{`` that has a brace from a
    value, inside it or where it meets its neighbour, gets an invisible word joiner between
    the braces: the reader sees the same text, and no later pass sees a field.
    """
    joined: list[str] = []
    last_from_value = False
    for piece, from_value in pieces:
        if not piece:
            continue
        if from_value:
            piece = _BRACE_PAIR.sub("{" + _INERT, piece)
        if (
            (from_value or last_from_value)
            and joined
            and joined[-1].endswith("{")
            and piece.startswith("{")
        ):
            joined.append(_INERT)
        joined.append(piece)
        last_from_value = from_value
    return "".join(joined)


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


def _topic_chosen(notes: list[NoteValue]) -> tuple[str, str]:
    """The topic and the link for {{ topic }} and {{ article_link }}, both from one note.

    The first topic note, in the notes' order (about this person first), that reads well in
    a sentence and has a link; else the first that reads well, with no link. When no topic
    reads well, both are left blank: the user picks a topic beside the draft, where each
    comes with its own link, so a topic is never paired with another note's link.
    """
    phrased = [
        (phrase, note.link)
        for note in notes
        if note.kind == "topic" and (phrase := _phrase_of(note))
    ]
    return next((pair for pair in phrased if pair[1]), phrased[0] if phrased else ("", ""))


def _answer_chosen(notes: list[NoteValue]) -> NoteValue | None:
    """The answer to fix the repair fields come from: the first with its question and the
    answer written out, else the first with either, else the first."""
    answers = [n for n in notes if n.kind == "answer_to_fix"]
    if not answers:
        return None
    return min(answers, key=lambda n: (not (n.question and n.better_answer), not n.question))


def _phrase_of(note: NoteValue | None) -> str:
    if note is None:
        return ""
    return phrase_in_sentence(text=note_words(text=note.text, link=note.link))


def _first_phrase(notes: list[NoteValue], kind: str) -> str:
    """The first note of ``kind`` that reads well in a sentence, as that phrase, or ""."""
    return next((p for note in notes if note.kind == kind and (p := _phrase_of(note))), "")


def note_snippets(notes: Iterable[NoteValue]) -> list[Snippet]:
    """The notes worth having beside the draft, as the user wrote them, each with the blank
    it can fill: topics (each with its own link), skills, questions they asked, and for an
    answer to fix the question and what the user would say now.

    Hobbies stay out (R2), and so does the user's own note on what went wrong in an answer:
    it is for them only.
    """
    snippets: list[Snippet] = []
    for note in notes:
        words = note_words(text=note.text, link=note.link)
        if note.kind == "topic" and (words or note.link):
            snippets.append(Snippet("Topic you discussed", words, BLANKS["topic"], note.link))
        elif note.kind == "skill" and words:
            snippets.append(Snippet("Skill they noticed", words, BLANKS["skill"]))
        elif note.kind == "question" and words:
            snippets.append(Snippet("Question they asked", words, BLANKS["question"]))
        elif note.kind == "answer_to_fix":
            question = " ".join(note.question.split())
            answer = note.better_answer.strip()
            if question:
                snippets.append(
                    Snippet("Their question (answer to fix)", question, BLANKS["fix_question"])
                )
            if answer:
                snippets.append(Snippet("What you would say now", answer, BLANKS["better_answer"]))
    return snippets


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
    topic, article_link = _topic_chosen(notes)
    answer = _answer_chosen(notes)
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
        "topic": topic,
        "article_link": article_link,
        "skill": _first_phrase(notes, "skill"),
        "question": _first_phrase(notes, "question"),
        # Never ``answer.text``: that is the user's own note on what went wrong.
        "fix_question": question_after_asked(text=answer.question) if answer else "",
        "better_answer": answer_as_written(text=answer.better_answer) if answer else "",
        "answer_to_fix": about_phrase(text=answer.question) if answer else "",
        "your_name": your_name,
        "your_email": your_email,
        "your_signature": your_signature.strip() or your_name,
    }
    return {name: str(value or "").strip() for name, value in values.items()}
