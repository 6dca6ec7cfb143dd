"""Contacts as vCard 3.0, for the data export (vobject escapes the user's text).

A minimal writer: the vCard import and export of issue 12 may bring a fuller one
(``interviews.vcards``); the export then only needs ``contacts_vcf`` to call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import vobject

from interviews.models import Contact


def contact_vcard(contact: Contact) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("uid").value = f"contact-{contact.pk}@followup"
    card.add("fn").value = contact.name
    parts = contact.name_parts
    card.add("n").value = vobject.vcard.Name(
        family=parts.family_name, given=parts.given_name, prefix=parts.honorific
    )
    if contact.company is not None:
        card.add("org").value = [contact.company.name]
    if contact.job_title:
        card.add("title").value = contact.job_title
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    if contact.phone:
        card.add("tel").value = contact.phone
    if contact.profile_url:
        card.add("url").value = contact.profile_url
    notes = [contact.notes] if contact.notes else []
    if contact.interests:
        notes.append(f"Interests: {contact.interests}")
    if notes:
        card.add("note").value = "\n\n".join(notes)
    return card


def contacts_vcard_text(contacts: Iterable[Contact]) -> str:
    return "".join(contact_vcard(contact).serialize() for contact in contacts)


def contacts_vcf(user_id: int) -> Iterator[tuple[str, bytes]]:
    """The export's contacts.vcf: every contact of the user, one card each."""
    contacts = Contact.objects.filter(user_id=user_id).select_related("company").order_by("pk")
    yield "contacts.vcf", contacts_vcard_text(contacts.iterator(chunk_size=500)).encode("utf-8")
