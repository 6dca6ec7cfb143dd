"""People's names: the parts of a name as typed, and how to greet someone by them.

Users type a name into one box ("Dr. Anja Becker"); greeting them needs its parts: an
honorific, a first (given) name, a last (family) name, and the name to greet them by. The
parts are worked out with ``nameparser`` and stay editable, because no parser knows that "Li
Wei" is written family name first, or that Robert goes by Bob.

Everything here is a pure function of plain strings, so it is tested without a database and
the data migration that filled in the parts of older contacts uses the very same parsing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from nameparser import HumanName

GREETING_OPENERS = ("hi", "hello", "dear", "hey")


@dataclass(frozen=True)
class NameParts:
    """The parts of one person's name. ``greeting_name`` is the name to greet them by."""

    honorific: str = ""
    given_name: str = ""
    family_name: str = ""
    greeting_name: str = ""

    def is_blank(self) -> bool:
        return not any(getattr(self, part.name) for part in fields(self))

    def tidied(self) -> NameParts:
        """Every part on one line with single spaces, as a name is written."""
        return NameParts(**{part.name: _tidy(getattr(self, part.name)) for part in fields(self)})


def _tidy(text: str) -> str:
    return " ".join((text or "").split())


def name_parse(*, name: str) -> NameParts:
    """The parts of a name as the user typed it.

    Spelling and capitals are kept as typed ("anja becker" stays lower case: it is their
    name, and the user may know better than a capitalisation rule). "Becker, Anja" is read
    last name first; a nickname in quotes or brackets ('Robert "Bob" Smith') becomes the
    greeting name. Middle names and suffixes ("PhD") stay only in the full name.
    """
    parsed = HumanName(_tidy(name))
    parts = NameParts(
        honorific=parsed.title, given_name=parsed.first, family_name=parsed.last
    ).tidied()
    return replace(parts, greeting_name=_tidy(parsed.nickname) or greeting_name(parts=parts))


def parts_or_parsed(*, parts: NameParts, name: str) -> NameParts:
    """The saved parts, or those of the full name when none were ever saved.

    Contacts written straight to the database (fixtures, imports, the admin) may carry a name
    and no parts; greeting them by their parsed name beats greeting them by nothing.
    """
    return name_parse(name=name) if parts.is_blank() else parts


def formal_name(*, parts: NameParts, name: str = "") -> str:
    """How to address them formally: "Dr. Becker".

    The honorific goes with the last name, or with the first name when there is no last name
    ("Sam"). Without an honorific, "Becker" alone would be curt, so it is first and last name,
    in the order of the full ``name`` when that puts the family name first ("Li Wei").
    """
    surname = parts.family_name or parts.given_name
    if parts.honorific and surname:
        return f"{parts.honorific} {surname}"
    if parts.family_name:
        family_first = _tidy(f"{parts.family_name} {parts.given_name}")
        if parts.given_name and _tidy(name) == family_first:
            return family_first
        return _tidy(f"{parts.given_name} {parts.family_name}")
    return parts.given_name or parts.greeting_name


def greeting_name(*, parts: NameParts) -> str:
    """The name to greet them by: the one chosen, else the first name.

    With no first name ("Ms. Kim": an honorific and a last name) the formal name is the only
    polite way to greet them, so "Hi {{ first_name }}" still reads "Hi Ms. Kim", never "Hi Ms.".
    """
    return parts.greeting_name or parts.given_name or formal_name(parts=parts)


def salutation(*, parts: NameParts, formal: bool, name: str = "", spoken: bool = False) -> str:
    """The greeting without its comma: "Hi Anja", or formally "Dear Dr. Becker".

    Callers add the punctuation, so the same words open an email ("Hi Anja,") or a card.
    ``name`` is the full name, for its word order; ``spoken`` is for the phone, where nobody
    says "Dear". With no name at all it is "Hello".
    """
    if formal:
        address, opener = formal_name(parts=parts, name=name), ("Hello" if spoken else "Dear")
    else:
        address, opener = greeting_name(parts=parts), "Hi"
    return f"{opener} {address}" if address else "Hello"


def name_parts_complete(*, parts: NameParts, name: str) -> NameParts:
    """The parts of a new person: what the user typed, with the blanks taken from the name."""
    parts = parts.tidied()
    parsed = name_parse(name=name)
    filled = NameParts(
        honorific=parts.honorific or parsed.honorific,
        given_name=parts.given_name or parsed.given_name,
        family_name=parts.family_name or parsed.family_name,
    )
    return replace(filled, greeting_name=parts.greeting_name or _greeting_default(filled, parsed))


def name_parts_refresh(
    *, old: NameParts, old_name: str, new: NameParts, new_name: str
) -> NameParts:
    """The parts after an edit of the name, the parts, or both.

    1. A part the user left as it was follows the name box if it had been following it (it
       was what the old name parses to): retyping "Anja Becker" as "Anja Becker-Schmidt"
       updates the last name. A part the user changed now, or had corrected before (Li Wei's
       family name first), is kept as it is, blank included: clearing "Dr." means no "Dr.".
    2. The greeting name is worked out again when it is blank or was itself the default, so
       correcting the first name corrects the greeting; a chosen one (Bob) is kept.
    """
    old, new = parts_or_parsed(parts=old.tidied(), name=old_name), new.tidied()
    old_parsed, new_parsed = name_parse(name=old_name), name_parse(name=new_name)

    def follow(part: str) -> str:
        before, typed = getattr(old, part), getattr(new, part)
        if typed == before and before == getattr(old_parsed, part):
            return getattr(new_parsed, part)
        return typed

    parts = NameParts(
        honorific=follow("honorific"),
        given_name=follow("given_name"),
        family_name=follow("family_name"),
    )
    old_default = _greeting_default(replace(old, greeting_name=""), old_parsed)
    greeting = new.greeting_name
    if not greeting or (greeting == old.greeting_name and greeting == old_default):
        greeting = _greeting_default(parts, new_parsed)
    return replace(parts, greeting_name=greeting)


def _greeting_default(parts: NameParts, parsed: NameParts) -> str:
    """The greeting name the parts give: the nickname typed in the name while the parts are
    still the parsed ones, else the first name (or its fallbacks)."""
    if parts == replace(parsed, greeting_name=""):
        return parsed.greeting_name
    return greeting_name(parts=parts)


def greeting_name_check(*, text: str) -> str | None:
    """Why a typed greeting name would read badly, or None: it is only the name, since the
    greeting words and the comma are added around it ("Hi Hi Anja,," otherwise)."""
    words = text.split()
    if "," in text or (words and words[0].lower().strip(",!") in GREETING_OPENERS):
        return (
            "Type only the name, e.g. “Anja”: the “Hi” or “Dear” and the comma are added for you."
        )
    return None
