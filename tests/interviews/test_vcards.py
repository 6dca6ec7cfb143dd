"""Reading and writing vCards: the versions and encodings address books produce."""

from __future__ import annotations

import pytest

from interviews import vcards
from interviews.vcards import ContactCard, VCardError

V3_FOLDED = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Becker;Anja;;Dr.;\r\n"
    "FN:Dr. Anja Becker\r\n"
    "ORG:Acme Robotics GmbH;Platform\r\n"
    "TITLE:Head of Platform and Developer Experience for the Robotics\r\n"
    "  Division\r\n"
    "EMAIL;TYPE=INTERNET,HOME:anja@home.example\r\n"
    "EMAIL;TYPE=INTERNET,WORK,PREF:anja.becker@acme.example\r\n"
    "TEL;TYPE=WORK:030 1234 5678\r\n"
    "TEL;TYPE=CELL:0151 2345 6789\r\n"
    "URL:www.acme.example\r\n"
    "NOTE:Met at the Berlin meetup\\, table 3\\nLikes sailing\r\n"
    "END:VCARD\r\n"
)

V4 = (
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "FN:Zoë Ångström\n"
    "N:Ångström;Zoë;;;\n"
    "NICKNAME:Zo\n"
    'TEL;VALUE=uri;TYPE="cell,voice":tel:+1-212-555-0199\n'
    "EMAIL:zoe@fjord.example\n"
    "END:VCARD\n"
)

V21_QUOTED_PRINTABLE = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller-L=C3=BCdenscheid=\r\n"
    "t\r\n"
    "TEL;CELL:+49 151 23456789\r\n"
    "EMAIL;INTERNET:jm@example.de\r\n"
    "END:VCARD\r\n"
)


def parse(text: str, *, region: str = "DE", max_cards: int = 100) -> vcards.VCardFile:
    return vcards.vcards_parse(text=text, region=region, max_cards=max_cards)


def test_a_folded_vcard_3_is_read_with_the_preferred_email_and_the_mobile_number():
    (card,) = parse(V3_FOLDED).cards
    assert card == ContactCard(
        name="Dr. Anja Becker",
        honorific="Dr.",
        given_name="Anja",
        family_name="Becker",
        greeting_name="Anja",
        company_name="Acme Robotics GmbH",
        job_title="Head of Platform and Developer Experience for the Robotics Division",
        email="anja.becker@acme.example",
        phone="+4915123456789",
        profile_url="https://www.acme.example",
        notes="Met at the Berlin meetup, table 3\nLikes sailing",
    )


def test_a_vcard_4_with_utf8_names_and_a_tel_uri():
    (card,) = parse(V4, region="US").cards
    assert (card.name, card.given_name, card.family_name) == ("Zoë Ångström", "Zoë", "Ångström")
    assert card.greeting_name == "Zo"
    assert card.phone == "+12125550199"


def test_a_vcard_2_1_with_quoted_printable_names_split_over_lines():
    (card,) = parse(V21_QUOTED_PRINTABLE).cards
    assert card.name == "Jürgen Müller-Lüdenscheidt"
    assert (card.given_name, card.family_name) == ("Jürgen", "Müller")
    assert card.phone == "+4915123456789"


def test_many_cards_in_one_file_and_a_company_card_is_skipped_with_a_note():
    company_only = "BEGIN:VCARD\nVERSION:3.0\nFN:\nORG:Acme Robotics\nEND:VCARD\n"
    parsed = parse(V3_FOLDED + V4 + company_only)
    assert [card.family_name for card in parsed.cards] == ["Becker", "Ångström"]
    assert parsed.skipped == ["Card 3 (Acme Robotics) has no person's name; skipped."]


def test_utf8_with_a_byte_order_mark_and_utf16_files_are_decoded():
    assert vcards.text_decode(b"\xef\xbb\xbf" + V4.encode()) == V4
    assert vcards.text_decode(V4.encode("utf-16")) == V4


def test_a_file_in_another_encoding_is_refused_not_garbled():
    with pytest.raises(VCardError, match="not UTF-8"):
        vcards.text_decode(V4.encode("latin-1"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Name,Email\nAnja,anja@example.com\n", "no BEGIN:VCARD"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN:Anja\n", "not a valid vCard \\(card 1\\)"),
        (V4 + "BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\n", "holds a VEVENT"),
        ("BEGIN:VCARD\nVERSION:5.0\nFN:Anja\nEND:VCARD\n", "version 5.0"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN:Anja\nEMAIL:not-an-address\nEND:VCARD\n", "not an email"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN:" + "A" * 300 + "\nEND:VCARD\n", "longer than 200"),
        ("BEGIN:VCARD\nVERSION:3.0\nORG:Only a company\nEND:VCARD\n", None),
    ],
)
def test_broken_files_are_refused_whole_with_the_reason(text, message):
    if message is None:
        # Nothing importable is not an error of the file: the view says "nothing to import".
        assert parse(text).cards == []
        return
    with pytest.raises(VCardError, match=message):
        parse(text)


def test_one_bad_card_refuses_the_whole_file_naming_it():
    bad = "BEGIN:VCARD\nVERSION:3.0\nFN:Bad Email\nEMAIL:nope\nEND:VCARD\n"
    with pytest.raises(VCardError, match=r"Card 2 \(Bad Email\)"):
        parse(V3_FOLDED + bad + V4)


def test_more_cards_than_the_limit_are_refused():
    with pytest.raises(VCardError, match="more than 2 contacts"):
        parse(V3_FOLDED + V4 + V3_FOLDED, max_cards=2)


def test_a_mecard_is_read_with_its_escapes():
    card = vcards.mecard_parse(
        text=r"MECARD:N:Becker,Anja;TEL:030 1234 5678;EMAIL:anja@acme.example;"
        r"ORG:Acme\; Co;NOTE:a\:b\\c;;",
        region="DE",
    )
    assert (card.name, card.given_name, card.family_name) == ("Anja Becker", "Anja", "Becker")
    assert (card.company_name, card.phone, card.notes) == ("Acme; Co", "+493012345678", "a:b\\c")


def test_a_mecard_without_a_name_is_refused():
    with pytest.raises(VCardError, match="no name"):
        vcards.mecard_parse(text="MECARD:TEL:+4930123456;;", region="DE")


def test_a_written_card_reads_back_the_same_including_followups_own_fields():
    card = ContactCard(
        name="Dr. Robert Smith",
        honorific="Dr.",
        given_name="Robert",
        family_name="Smith",
        greeting_name="Bob",
        company_name="Initech; Software, Inc.",
        job_title="CTO",
        email="bob@initech.example",
        phone="+12127365000",
        profile_url="https://initech.example/bob",
        interests="Sailing, chess",
        notes="Line one\nLine two; with: punctuation, commas\\ and a long line " + "x" * 120,
        salutation_style="formal",
    )
    text = vcards.vcard_serialize(card)
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert all(len(line.encode()) <= 75 for line in text.splitlines())  # folded
    (read_back,) = parse(text, region="US").cards
    assert read_back == card
