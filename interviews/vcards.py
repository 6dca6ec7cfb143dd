"""vCards in and out: the contact details of a .vcf file, a QR code or a MeCard, and back.

A ``ContactCard`` is one person's details as read from somewhere, before anything is saved:
the contact form is prefilled from it (a business card) or the import creates contacts from
it (a .vcf file). Everything here is a pure function of text, except ``card_from_contact``
and ``contacts_to_vcf``, which read saved contacts.

Reading accepts vCard 2.1 (phones still export it, with quoted-printable names), 3.0 and 4.0;
writing produces 3.0, which every address book imports (4.0 is not read by all of them).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields, replace

import phonenumbers
import vobject
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from interviews import names

VERSIONS = ("2.1", "3.0", "4.0")
# Our own properties, so that an export imports back into Followup without loss; other
# address books keep them and ignore them, as vCard asks for X- properties.
X_INTERESTS = "X-FOLLOWUP-INTERESTS"
X_SALUTATION = "X-FOLLOWUP-SALUTATION"
SALUTATION_STYLES = ("first_name", "formal")
# The longest text each field takes (the Contact columns' lengths).
MAX_LENGTHS = {
    "name": 200,
    "honorific": 200,
    "given_name": 200,
    "family_name": 200,
    "greeting_name": 200,
    "company_name": 200,
    "job_title": 200,
    "email": 254,
    "phone": 40,
    "profile_url": 500,
    "interests": 2000,
    "notes": 5000,
}
FIELD_LABELS = {
    "name": "name",
    "honorific": "honorific",
    "given_name": "first name",
    "family_name": "last name",
    "greeting_name": "nickname",
    "company_name": "company",
    "job_title": "title",
    "email": "email",
    "phone": "phone",
    "profile_url": "web address",
    "interests": "interests",
    "notes": "note",
}


class VCardError(ValueError):
    """A file or text that cannot be read as vCards; the message says why, for the user."""


@dataclass(frozen=True)
class ContactCard:
    """One person's details, as the contact form and ``services.contact_create`` take them."""

    name: str = ""
    honorific: str = ""
    given_name: str = ""
    family_name: str = ""
    greeting_name: str = ""
    company_name: str = ""
    job_title: str = ""
    email: str = ""
    phone: str = ""
    profile_url: str = ""
    interests: str = ""
    notes: str = ""
    salutation_style: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def filled(self) -> dict[str, str]:
        """The fields that have a value, to prefill a form with."""
        return {key: value for key, value in asdict(self).items() if value}

    def is_blank(self) -> bool:
        return not any(asdict(self).values())

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> ContactCard:
        known = {field.name for field in fields(cls)}
        return cls(**{key: str(value) for key, value in data.items() if key in known})


# --- Small normalisers shared with the business-card reader ------------------------------


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


def phone_normalise(*, text: str, region: str) -> str:
    """A phone number in E.164 (+4930123456) when it is a valid one, else as written."""
    text = _one_line(text)
    if text.lower().startswith("tel:"):
        text = text[4:]
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return text
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return text


def web_address_normalise(text: str) -> str:
    """A web address with its scheme ("acme.example" -> "https://acme.example")."""
    text = _one_line(text)
    if text and not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = f"https://{text}"
    return text


def card_complete(card: ContactCard) -> ContactCard:
    """Fill the name or its parts from each other, as the contact form would on saving."""
    card = replace(
        card,
        **{
            key: _one_line(value)
            for key, value in card.as_dict().items()
            if key not in ("notes", "interests")
        },
    )
    parts = names.NameParts(
        honorific=card.honorific,
        given_name=card.given_name,
        family_name=card.family_name,
        greeting_name=card.greeting_name,
    )
    name = card.name
    if not name and not parts.is_blank():
        name = " ".join(p for p in (parts.honorific, parts.given_name, parts.family_name) if p)
    if not name:
        return card
    parts = names.name_parts_complete(parts=parts, name=name)
    return replace(
        card,
        name=name,
        honorific=parts.honorific,
        given_name=parts.given_name,
        family_name=parts.family_name,
        greeting_name=parts.greeting_name,
    )


def card_problems(card: ContactCard) -> list[str]:
    """What would stop this card being saved as a contact, in words for the user."""
    problems = []
    if not card.name:
        problems.append("it has no name")
    for key, limit in MAX_LENGTHS.items():
        if len(getattr(card, key)) > limit:
            problems.append(f"its {FIELD_LABELS[key]} is longer than {limit} characters")
    if card.email:
        try:
            EmailValidator()(card.email)
        except ValidationError:
            problems.append(f"“{card.email[:80]}” is not an email address")
    if card.profile_url:
        try:
            URLValidator(schemes=["http", "https"])(card.profile_url)
        except ValidationError:
            problems.append(f"“{card.profile_url[:80]}” is not a web address")
    return problems


# --- Reading vCards -------------------------------------------------------------------------


def text_decode(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without a byte-order mark), or UTF-16
    with one. Anything else is refused rather than guessed, which would garble names."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise VCardError(
            "The file is not UTF-8 text (a byte at position "
            f"{error.start} is not valid UTF-8). Export the contacts again as UTF-8 vCards."
        ) from error


_QP_LINE = re.compile(r"^[^:]*;(ENCODING=)?QUOTED-PRINTABLE[;:]", re.IGNORECASE)


def _join_quoted_printable_soft_breaks(text: str) -> str:
    """Join the "=" line continuations of quoted-printable values (vCard 2.1), which are not
    vCard folding and which vobject does not undo."""
    out: list[str] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if _QP_LINE.match(line):
            while line.endswith("=") and index + 1 < len(lines):
                index += 1
                line = line[:-1] + lines[index].lstrip(" \t")
        out.append(line)
        index += 1
    return "\r\n".join(out) + "\r\n"


def _values(component: object, key: str) -> list[object]:
    return [line for line in component.contents.get(key, [])]


def _first_text(component: object, key: str) -> str:
    for line in _values(component, key):
        value = line.value
        if isinstance(value, list):
            value = ";".join(str(part) for part in value if part)
        if isinstance(value, bytes):
            continue
        if str(value).strip():
            return str(value).strip()
    return ""


def _types(line: object) -> set[str]:
    found = set()
    for key, values in line.params.items():
        if key.upper() == "TYPE":
            for value in values:
                found.update(part.strip().lower() for part in value.split(","))
        elif not values:  # vCard 2.1 bare types: TEL;CELL:...
            found.add(key.lower())
    return found


def _preferred(component: object, key: str, prefer: tuple[str, ...]) -> str:
    lines = [line for line in _values(component, key) if str(line.value).strip()]
    for wanted in prefer:
        for line in lines:
            if wanted in _types(line):
                return str(line.value).strip()
    return str(lines[0].value).strip() if lines else ""


def card_from_component(component: object, *, region: str) -> ContactCard:
    """The contact details of one parsed vCard (a vobject component)."""
    version = _first_text(component, "version")
    if version and version not in VERSIONS:
        raise VCardError(f"vCard version {version} is not one we read (2.1, 3.0 or 4.0).")
    honorific = given = family = ""
    for line in _values(component, "n"):
        n = line.value
        if hasattr(n, "family"):
            join = " ".join
            family = join(n.family) if isinstance(n.family, list) else str(n.family)
            given = join(n.given) if isinstance(n.given, list) else str(n.given)
            honorific = join(n.prefix) if isinstance(n.prefix, list) else str(n.prefix)
            break
    org = ""
    for line in _values(component, "org"):
        value = line.value
        org = str(value[0] if isinstance(value, list) and value else value or "")
        break
    salutation = _first_text(component, X_SALUTATION.lower())
    email = _preferred(component, "email", ("pref", "work", "internet"))
    phone = _preferred(component, "tel", ("pref", "cell", "mobile", "work", "voice"))
    url = _first_text(component, "url")
    return card_complete(
        ContactCard(
            name=_first_text(component, "fn"),
            honorific=honorific,
            given_name=given,
            family_name=family,
            greeting_name=_first_text(component, "nickname").split(",")[0],
            company_name=org,
            job_title=_first_text(component, "title"),
            email=email,
            phone=phone_normalise(text=phone, region=region) if phone else "",
            profile_url=web_address_normalise(url) if url else "",
            interests=_first_text(component, X_INTERESTS.lower()),
            notes=_first_text(component, "note"),
            salutation_style=salutation if salutation in SALUTATION_STYLES else "",
        )
    )


@dataclass(frozen=True)
class VCardFile:
    """The cards of a file that can become contacts, and the ones that cannot, with why."""

    cards: list[ContactCard]
    skipped: list[str]


def vcards_parse(*, text: str, region: str, max_cards: int, checked: bool = True) -> VCardFile:
    """Read every vCard of a file.

    1. Join quoted-printable continuations, then let vobject unfold and parse the cards.
    2. Refuse the whole file if any part of it is not a vCard, if a card is malformed, or if
       it holds more than ``max_cards`` cards: importing is all or nothing.
    3. A card without a person's name (an address book's company card) is skipped, with a
       note; a card that names someone but cannot be saved as written is an error (unless
       ``checked`` is false: the caller shows the card in a form that checks it).
    """
    if "BEGIN:VCARD" not in text.upper():
        raise VCardError("This is not a vCard file: it has no BEGIN:VCARD line.")
    text = _join_quoted_printable_soft_breaks(text)
    components = []
    try:
        for component in vobject.readComponents(text, validate=False, ignoreUnreadable=False):
            if component.name.upper() != "VCARD":
                raise VCardError(f"The file holds a {component.name}, not only vCards.")
            components.append(component)
            if len(components) > max_cards:
                raise VCardError(
                    f"The file holds more than {max_cards} contacts, the most one import takes. "
                    "Split it into smaller files."
                )
    except VCardError:
        raise
    except (vobject.base.ParseError, ValueError, TypeError, AttributeError, KeyError) as error:
        raise VCardError(
            f"The file is not a valid vCard (card {len(components) + 1}): {_reason(error)}"
        ) from error
    if not components:
        raise VCardError("The file holds no vCards.")
    cards, skipped, errors = [], [], []
    for number, component in enumerate(components, start=1):
        try:
            card = card_from_component(component, region=region)
        except VCardError as error:
            errors.append(f"Card {number}: {error}")
            continue
        except (ValueError, TypeError, AttributeError) as error:
            errors.append(f"Card {number} cannot be read: {_reason(error)}")
            continue
        if not card.name:
            label = card.company_name or card.email or "without a name"
            skipped.append(f"Card {number} ({label[:80]}) has no person's name; skipped.")
            continue
        problems = card_problems(card) if checked else []
        if problems:
            errors.append(f"Card {number} ({card.name[:80]}): {'; '.join(problems)}.")
            continue
        cards.append(card)
    if errors:
        shown = errors[:10]
        if len(errors) > 10:
            shown.append(f"…and {len(errors) - 10} more.")
        raise VCardError(" ".join(shown))
    return VCardFile(cards=cards, skipped=skipped)


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    return (text[:200] or type(error).__name__).rstrip(".") + "."


def vcard_text_parse(*, text: str, region: str) -> ContactCard:
    """The one person of a vCard held in a QR code. It only prefills the contact form, so a
    field the form would refuse (a mistyped address) is kept for the user to correct."""
    parsed = vcards_parse(text=text, region=region, max_cards=1, checked=False)
    if not parsed.cards:
        raise VCardError("The vCard in the QR code has no person's name.")
    return parsed.cards[0]


# --- MeCard (the compact format of many QR business cards) ---------------------------------


def _mecard_fields(body: str) -> list[tuple[str, str]]:
    """``KEY:value;`` pairs, where a backslash escapes ``\\ ; : ,`` in a value."""
    pairs: list[tuple[str, str]] = []
    index, length = 0, len(body)
    while index < length:
        colon = body.find(":", index)
        if colon < 0:
            if body[index:].strip(" ;\r\n"):
                raise VCardError("The MeCard has a field without a colon.")
            break
        key = body[index:colon].strip().upper()
        value: list[str] = []
        index = colon + 1
        while index < length and body[index] != ";":
            if body[index] == "\\" and index + 1 < length:
                index += 1
            value.append(body[index])
            index += 1
        index += 1  # the ";"
        if key:
            pairs.append((key, "".join(value)))
    return pairs


def mecard_parse(*, text: str, region: str) -> ContactCard:
    """The person of a MeCard: ``MECARD:N:Becker,Anja;TEL:+49...;EMAIL:...;;``."""
    if not text[:7].upper() == "MECARD:":
        raise VCardError("This is not a MeCard.")
    values: dict[str, str] = {}
    for key, value in _mecard_fields(text[7:]):
        values.setdefault(key, value)  # the first of repeated fields, as for vCards
    family, _, given = values.get("N", "").partition(",")
    card = card_complete(
        ContactCard(
            given_name=given.strip(),
            family_name=family.strip(),
            greeting_name=values.get("NICKNAME", ""),
            company_name=values.get("ORG", ""),
            job_title=values.get("TITLE", ""),
            email=values.get("EMAIL", ""),
            phone=phone_normalise(text=values["TEL"], region=region) if "TEL" in values else "",
            profile_url=web_address_normalise(values["URL"]) if values.get("URL") else "",
            notes=values.get("NOTE", ""),
        )
    )
    if not card.name:
        raise VCardError("The MeCard has no name (N field).")
    return card


# --- Writing vCards -------------------------------------------------------------------------


def card_from_contact(contact: object) -> ContactCard:
    """A saved contact's details (its company must be selected with it)."""
    parts = contact.name_parts
    return ContactCard(
        name=contact.name,
        honorific=parts.honorific,
        given_name=parts.given_name,
        family_name=parts.family_name,
        greeting_name=parts.greeting_name,
        company_name=contact.company.name if contact.company_id else "",
        job_title=contact.job_title,
        email=contact.email,
        phone=contact.phone,
        profile_url=contact.profile_url,
        interests=contact.interests,
        notes=contact.notes,
        salutation_style=contact.salutation_style,
    )


def vcard_serialize(card: ContactCard) -> str:
    """One vCard 3.0, folded and escaped by vobject."""
    vcard = vobject.vCard()
    vcard.add("fn").value = card.name
    vcard.add("n").value = vobject.vcard.Name(
        family=card.family_name, given=card.given_name, prefix=card.honorific
    )
    if card.greeting_name and card.greeting_name != card.given_name:
        vcard.add("nickname").value = card.greeting_name
    if card.company_name:
        vcard.add("org").value = [card.company_name]
    if card.job_title:
        vcard.add("title").value = card.job_title
    if card.email:
        email = vcard.add("email")
        email.value = card.email
        email.type_param = "INTERNET"
    if card.phone:
        vcard.add("tel").value = card.phone
    if card.profile_url:
        vcard.add("url").value = card.profile_url
    if card.notes:
        vcard.add("note").value = card.notes
    if card.interests:
        vcard.add(X_INTERESTS).value = card.interests
    if card.salutation_style:
        vcard.add(X_SALUTATION).value = card.salutation_style
    return vcard.serialize()


def contacts_to_vcf(contacts: Iterable[object]) -> str:
    return "".join(vcard_serialize(card_from_contact(contact)) for contact in contacts)


def contacts_vcf(user_id: int) -> Iterator[tuple[str, bytes]]:
    """The data export's contacts.vcf: every contact of the user, as the vCard export
    writes them (so the file imports back without loss)."""
    from interviews.models import Contact

    contacts = Contact.objects.filter(user_id=user_id).select_related("company").order_by("pk")
    yield "contacts.vcf", contacts_to_vcf(contacts.iterator(chunk_size=500)).encode("utf-8")


def card_fill_from(card: ContactCard, other: ContactCard) -> ContactCard:
    """``card`` with its blank fields taken from ``other`` (the same person, seen twice)."""
    blanks = {key: value for key, value in other.as_dict().items() if not getattr(card, key)}
    return replace(card, **{key: value for key, value in blanks.items() if value})
