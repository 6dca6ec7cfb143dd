"""Names as people type them: their parts, and the greeting they give."""

from __future__ import annotations

import pytest

from interviews.names import (
    NameParts,
    formal_name,
    greeting_name,
    greeting_name_check,
    name_parse,
    name_parts_complete,
    name_parts_refresh,
    parts_or_parsed,
    salutation,
)


def parts(honorific: str = "", given: str = "", family: str = "", greeting: str = "") -> NameParts:
    return NameParts(
        honorific=honorific, given_name=given, family_name=family, greeting_name=greeting
    )


# --- Reading a typed name -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Dr. Anja Becker", parts("Dr.", "Anja", "Becker", "Anja")),
        # Lower case stays lower case: it is what the user typed, and they may know better.
        ("anja becker", parts("", "anja", "becker", "anja")),
        ("Becker, Anja", parts("", "Anja", "Becker", "Anja")),
        ("Prof. Dr. Hans-Peter Müller", parts("Prof. Dr.", "Hans-Peter", "Müller", "Hans-Peter")),
        ("Mary-Jane O'Neil", parts("", "Mary-Jane", "O'Neil", "Mary-Jane")),
        # Read given name first; the user corrects it (see the refresh tests below).
        ("Li Wei", parts("", "Li", "Wei", "Li")),
        ("Sam", parts("", "Sam", "", "Sam")),
        # An honorific with one name means a last name; the greeting is then the formal one.
        ("Ms. Kim", parts("Ms.", "", "Kim", "Ms. Kim")),
        ('Robert "Bob" Smith', parts("", "Robert", "Smith", "Bob")),
        ("  Dr.   Anja\tBecker ", parts("Dr.", "Anja", "Becker", "Anja")),
        ("Anja Maria Becker PhD", parts("", "Anja", "Becker", "Anja")),
        ("", parts()),
        ("Dr.", parts("Dr.")),
    ],
)
def test_a_typed_name_is_split_into_its_parts(typed, expected):
    assert name_parse(name=typed) == expected


def test_saved_parts_win_over_the_full_name():
    saved = parts(given="Wei", family="Li", greeting="Wei")
    assert parts_or_parsed(parts=saved, name="Li Wei") == saved


def test_a_contact_with_no_saved_parts_is_read_from_its_full_name():
    assert parts_or_parsed(parts=parts(), name="Dr. Anja Becker") == name_parse(
        name="Dr. Anja Becker"
    )


# --- Greeting them --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "by_first_name", "formally"),
    [
        ("Dr. Anja Becker", "Hi Anja", "Dear Dr. Becker"),
        ("anja becker", "Hi anja", "Dear anja becker"),
        ("Becker, Anja", "Hi Anja", "Dear Anja Becker"),
        ("Prof. Dr. Hans-Peter Müller", "Hi Hans-Peter", "Dear Prof. Dr. Müller"),
        ("Mary-Jane O'Neil", "Hi Mary-Jane", "Dear Mary-Jane O'Neil"),
        ("Sam", "Hi Sam", "Dear Sam"),
        ("Ms. Kim", "Hi Ms. Kim", "Dear Ms. Kim"),
        ('Robert "Bob" Smith', "Hi Bob", "Dear Robert Smith"),
        ("", "Hello", "Hello"),
        ("Dr.", "Hello", "Hello"),
    ],
)
def test_the_salutation_of_a_typed_name_in_each_style(typed, by_first_name, formally):
    name_parts = name_parse(name=typed)
    assert salutation(parts=name_parts, formal=False, name=typed) == by_first_name
    assert salutation(parts=name_parts, formal=True, name=typed) == formally


def test_the_greeting_name_is_never_the_honorific():
    assert greeting_name(parts=name_parse(name="Dr. Anja Becker")) == "Anja"
    assert greeting_name(parts=name_parse(name="Dr. Becker")) == "Dr. Becker"


def test_a_chosen_greeting_name_is_used_by_first_name_but_not_formally():
    andy = parts("Dr.", "Andreas", "Becker", "Andy")
    assert salutation(parts=andy, formal=False) == "Hi Andy"
    assert salutation(parts=andy, formal=True) == "Dear Dr. Becker"


def test_formally_without_a_last_name_falls_back_to_the_first_name():
    assert formal_name(parts=parts("Dr.", "Sam")) == "Dr. Sam"
    assert salutation(parts=parts(given="Sam"), formal=True) == "Dear Sam"


def test_a_family_name_first_name_keeps_its_order_when_greeted_formally():
    corrected = parts(given="Wei", family="Li", greeting="Wei")
    assert salutation(parts=corrected, formal=False, name="Li Wei") == "Hi Wei"
    assert salutation(parts=corrected, formal=True, name="Li Wei") == "Dear Li Wei"
    assert salutation(parts=parts("Mr.", "Wei", "Li"), formal=True, name="Li Wei") == "Dear Mr. Li"


def test_on_the_phone_a_formal_greeting_says_hello_not_dear():
    anja = name_parse(name="Dr. Anja Becker")
    assert salutation(parts=anja, formal=True, spoken=True) == "Hello Dr. Becker"
    assert salutation(parts=anja, formal=False, spoken=True) == "Hi Anja"


def test_empty_parts_give_a_plain_hello():
    assert salutation(parts=parts(), formal=False) == "Hello"
    assert salutation(parts=parts(), formal=True) == "Hello"
    assert greeting_name(parts=parts()) == ""


# --- New people: blanks taken from the name -------------------------------------------------


def test_a_new_persons_blank_parts_come_from_the_name():
    assert name_parts_complete(parts=parts(), name="Dr. Anja Becker") == parts(
        "Dr.", "Anja", "Becker", "Anja"
    )


def test_a_new_persons_typed_parts_are_kept_and_the_rest_filled_in():
    typed = parts(greeting=" Andy ")
    assert name_parts_complete(parts=typed, name="Dr. Andreas Becker") == parts(
        "Dr.", "Andreas", "Becker", "Andy"
    )
    corrected = parts(given="Wei", family="Li")
    assert name_parts_complete(parts=corrected, name="Li Wei") == parts("", "Wei", "Li", "Wei")


# --- Edits: parts that followed the name keep following it ----------------------------------


def test_retyping_only_the_name_updates_the_parts_that_followed_it():
    old = name_parse(name="Anja Becker")
    refreshed = name_parts_refresh(
        old=old, old_name="Anja Becker", new=old, new_name="Dr. Anja Becker-Schmidt"
    )
    assert refreshed == parts("Dr.", "Anja", "Becker-Schmidt", "Anja")


def test_corrected_parts_are_kept_when_the_name_changes():
    corrected = parts(given="Wei", family="Li", greeting="Wei")
    refreshed = name_parts_refresh(
        old=corrected, old_name="Li Wei", new=corrected, new_name="Li Wei (Platform)"
    )
    assert (refreshed.given_name, refreshed.family_name) == ("Wei", "Li")


def test_clearing_the_honorific_keeps_it_cleared():
    old = name_parse(name="Dr. Anja Becker")
    new = parts("", "Anja", "Becker", "Anja")
    refreshed = name_parts_refresh(
        old=old, old_name="Dr. Anja Becker", new=new, new_name="Dr. Anja Becker"
    )
    assert refreshed.honorific == ""


def test_correcting_the_first_name_corrects_a_greeting_name_that_followed_it():
    old = name_parse(name="Anja Becker")
    new = parts("", "Anya", "Becker", "Anja")
    refreshed = name_parts_refresh(old=old, old_name="Anja Becker", new=new, new_name="Anja Becker")
    assert refreshed.greeting_name == "Anya"


def test_a_chosen_greeting_name_survives_edits_of_the_other_parts():
    old = parts("", "Robert", "Smith", "Bob")
    new = parts("Mr.", "Robert", "Smith", "Bob")
    refreshed = name_parts_refresh(
        old=old, old_name="Robert Smith", new=new, new_name="Robert Smith"
    )
    assert refreshed.greeting_name == "Bob"


def test_a_blank_greeting_name_is_worked_out_again():
    old = name_parse(name="Dr. Anja Becker")
    new = parts("Dr.", "Anja", "Becker", "")
    refreshed = name_parts_refresh(
        old=old, old_name="Dr. Anja Becker", new=new, new_name="Dr. Anja Becker"
    )
    assert refreshed.greeting_name == "Anja"


def test_a_contact_saved_without_parts_follows_its_new_name():
    # Its form showed the parts read from the old name; the user changed only the name.
    shown = name_parse(name="Anja Becker")
    refreshed = name_parts_refresh(
        old=parts(), old_name="Anja Becker", new=shown, new_name="Ms. Kim"
    )
    assert refreshed == parts("Ms.", "", "Kim", "Ms. Kim")


# --- What a greeting name may be ------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Hi Anja", "Dear Dr. Becker", "Anja,", "hello, Anja"])
def test_a_greeting_name_with_greeting_words_or_a_comma_is_refused(typed):
    assert "Type only the name" in greeting_name_check(text=typed)


@pytest.mark.parametrize("typed", ["Anja", "Dr. Becker", "Hiroshi", "Dearbhla", ""])
def test_a_plain_greeting_name_is_accepted(typed):
    assert greeting_name_check(text=typed) is None
