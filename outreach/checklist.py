"""What makes a follow-up good, checked against the draft on every save.

Pure functions over plain values (the draft text, the notes, the timeline facts), so each
rule is tested without a database and the composer can recompute them on each autosave.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from interviews.note_text import note_words
from outreach.merge import NoteValue, placeholders_left

OK = "ok"
WARN = "warn"
INFO = "info"

EMAIL_WORDS = (50, 250)
CARD_WORDS = (15, 120)

_STOPWORDS = frozenset(
    [
        "about",
        "after",
        "again",
        "also",
        "their",
        "there",
        "these",
        "those",
        "with",
        "from",
        "into",
        "over",
        "your",
        "have",
        "that",
        "this",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "would",
        "could",
        "should",
        "them",
        "they",
        "then",
        "than",
        "were",
        "been",
        "being",
        "some",
        "more",
        "most",
        "very",
        "just",
        "like",
        "really",
        "things",
        "thing",
        "team",
        "work",
        "role",
        "company",
    ]
)
_WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)
_THANKS = re.compile(r"\b(thank|thanks|grateful|appreciate[ds]?)\b", re.IGNORECASE)
_INTEREST = re.compile(
    r"\b(interest(ed)?|excited|keen|eager|enthusias\w*|look(ing)? forward|"
    r"would (love|enjoy)|want to join|glad to join)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Check:
    key: str
    level: str
    label: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.level == OK


@dataclass(frozen=True)
class ChecklistInput:
    subject: str
    body: str
    is_card: bool = False
    notes: tuple[NoteValue, ...] = ()
    contact_interests: str = ""
    thank_you_due_at: datetime | None = None
    last_contact_at: datetime | None = None
    last_contact_label: str = ""
    gap_allowed_from: date | None = None
    min_gap_days: int = 7
    now: datetime | None = None


def significant_words(text: str) -> set[str]:
    return {
        word.lower()
        for word in _WORD.findall(text or "")
        if len(word) >= 4 and word.lower() not in _STOPWORDS
    }


def word_count(text: str) -> int:
    return len((text or "").split())


def check_topic(data: ChecklistInput) -> Check:
    topics = [n for n in data.notes if n.kind == "topic" and n.text.strip()]
    if not topics:
        return Check(
            "topic",
            WARN,
            "Mention something concrete from the interview",
            "Your notes have no topic yet; add one to the interview so the message can "
            "point to something you discussed.",
        )
    body_words = significant_words(data.body)

    def shown(note: NoteValue) -> str:
        return (note_words(text=note.text, link=note.link) or note.text)[:80]

    for note in topics:
        if (note.link and note.link in data.body) or significant_words(note.text) & body_words:
            return Check("topic", OK, "Mentions a topic you discussed", shown(note))
    return Check(
        "topic",
        WARN,
        "Mention something concrete from the interview",
        "For example: " + shown(topics[0]),
    )


def check_thanks(data: ChecklistInput) -> Check:
    if _THANKS.search(data.body or ""):
        return Check("thanks", OK, "Thanks them for their time")
    return Check("thanks", WARN, "Thank them for their time", "A short thank-you goes a long way.")


def check_interest(data: ChecklistInput) -> Check:
    if _INTEREST.search(data.body or ""):
        return Check("interest", OK, "Restates your interest in the role")
    return Check(
        "interest",
        WARN,
        "Say that you are still interested in the role",
        "One sentence is enough, e.g. “I remain very interested in the role.”",
    )


def check_placeholders(data: ChecklistInput) -> Check:
    """The blanks a template left: fields the notes could not fill in a way that reads well,
    and prompts like "[your short summary of the call]"."""
    left = placeholders_left(data.subject, data.body)
    if not left:
        return Check("placeholders", OK, "Every blank is filled in")
    hint = " Insert one of your notes, in your own words if it reads better." if data.notes else ""
    return Check(
        "placeholders",
        WARN,
        f"Fill in {'the blank' if len(left) == 1 else f'the {len(left)} blanks'}",
        "Still to replace: " + ", ".join(left) + "." + hint,
    )


def _plain(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def check_private_note(data: ChecklistInput) -> Check | None:
    """What went wrong in an answer is the user's note to themselves, never for the reader."""
    private = [n.text for n in data.notes if n.kind == "answer_to_fix" and n.text.strip()]
    if not private:
        return None
    body = _plain(data.subject) + "\n" + _plain(data.body)
    copied = next((text for text in private if _plain(text) in body), None)
    if copied is None:
        return Check("private", OK, "Keeps your note on what went wrong to yourself")
    return Check(
        "private",
        WARN,
        "Take out your note on what went wrong",
        f"“{copied[:80]}” is your note to yourself. Say what you would answer now instead.",
    )


def check_hobbies(data: ChecklistInput) -> Check:
    """Personal interests they mentioned help you remember them, but do not belong here."""
    hobby_texts = [n.text for n in data.notes if n.kind == "interest"]
    hobby_texts.append(data.contact_interests or "")
    hobby_words = set().union(*(significant_words(t) for t in hobby_texts))
    found = sorted(hobby_words & significant_words(data.body))
    if not found:
        return Check("hobbies", OK, "Keeps to the job, not their hobbies")
    return Check(
        "hobbies",
        WARN,
        "Leave their personal interests out",
        "Mentions: " + ", ".join(found) + ". Keep the message about the role.",
    )


def check_length(data: ChecklistInput) -> Check:
    low, high = CARD_WORDS if data.is_card else EMAIL_WORDS
    words = word_count(data.body)
    if low <= words <= high:
        return Check("length", OK, f"Sensible length ({words} words)")
    hint = "a little more" if words < low else "shorter"
    return Check(
        "length",
        WARN,
        f"{words} words: aim for {low} to {high}",
        f"Make it {hint}; a busy reader skims.",
    )


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _span(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours >= 48:
        return f"{hours // 24} days"
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, int(delta.total_seconds() // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def check_deadline(data: ChecklistInput) -> Check | None:
    if data.thank_you_due_at is None or data.now is None:
        return None
    left = data.thank_you_due_at - data.now
    if left.total_seconds() > 0:
        return Check(
            "deadline",
            INFO,
            f"{_span(left)} left before the thank-you deadline",
            "Sooner is better.",
        )
    return Check(
        "deadline",
        WARN,
        f"The thank-you deadline passed {_span(-left)} ago",
        "Send it anyway: a late thank-you is better than none.",
    )


def check_cadence(data: ChecklistInput) -> Check:
    if data.gap_allowed_from is not None:
        return Check(
            "cadence",
            WARN,
            f"Wait until {_day(data.gap_allowed_from)} before writing again",
            f"You last contacted them {data.last_contact_label or 'recently'}; leave at least "
            f"{data.min_gap_days} days between two messages to the same person.",
        )
    if data.last_contact_at is None or data.now is None:
        return Check("cadence", OK, "No message to this person yet")
    return Check(
        "cadence",
        OK,
        f"Last contact {_span(data.now - data.last_contact_at)} ago",
        data.last_contact_label,
    )


def checklist_compute(data: ChecklistInput) -> list[Check]:
    """Every check that applies, in the order the user reads them."""
    checks: Iterable[Check | None] = (
        check_topic(data),
        check_thanks(data),
        check_interest(data),
        check_placeholders(data),
        check_private_note(data),
        check_hobbies(data),
        check_length(data),
        check_deadline(data),
        check_cadence(data),
    )
    return [check for check in checks if check is not None]
