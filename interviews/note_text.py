"""Notes as typed: turning free text into note drafts, before anything touches the database.

A textarea becomes one note per non-empty line, and a web address in a line becomes that
note's link. The drafts are plain values; services turn them into rows, forms build them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from interviews.names import NameParts

if TYPE_CHECKING:
    # Only for the annotation: this module stays free of models and the database.
    from interviews.models import Contact

URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence rather than a link: "see https://x.example/a."
URL_TRAILING_PUNCTUATION = ".,;:!?)]}"


@dataclass(frozen=True)
class NoteDraft:
    """One note to record, before it has an interview and a row."""

    kind: str
    text: str
    link: str = ""
    follow_up_not_before: date | None = None


@dataclass(frozen=True)
class InterviewerDraft:
    """One interviewer: an existing contact, or the details of a new one, and notes on them.

    ``name_parts`` and ``salutation_style`` say how to greet them; for a new person, blank
    parts are worked out from ``name``. For someone already known, None and "" leave their
    greeting as it is.
    """

    contact: Contact | None = None
    name: str = ""
    job_title: str = ""
    email: str = ""
    phone: str = ""
    notes: Sequence[NoteDraft] = field(default_factory=tuple)
    name_parts: NameParts | None = None
    salutation_style: str = ""


def link_find(*, text: str) -> str:
    """The first web address in a line of text, without trailing sentence punctuation."""
    match = URL_IN_TEXT.search(text)
    if match is None:
        return ""
    return match.group(0).rstrip(URL_TRAILING_PUNCTUATION)


def notes_from_lines(*, kind: str, text: str) -> list[NoteDraft]:
    """Every non-empty line becomes one note of ``kind``; a web address in it is its link."""
    drafts = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            drafts.append(NoteDraft(kind=kind, text=line, link=link_find(text=line)))
    return drafts
