from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from django.core import mail

from interviews import services
from interviews.names import NameParts, name_parse
from outreach.merge import (
    FIELDS,
    NoteValue,
    merge_fields_unknown,
    merge_render,
    merge_values,
    placeholders_left,
)
from outreach.models import Draft, Occasion
from outreach.selectors import draft_merge_values
from outreach.services.delivery import draft_eml, draft_mailto, draft_message


def values(**overrides: str) -> dict[str, str]:
    base = merge_values(
        your_name="Robin Fischer",
        your_email="robin@seeker.example",
        your_signature="Robin Fischer\n+49 170 000000",
        company="Acme",
        role="Backend engineer",
        interviewer_name="Ana Ortiz",
        notes=[NoteValue("topic", "event sourcing", "https://example.org/es")],
    )
    base.update(overrides)
    return base


def test_known_fields_are_replaced_with_plain_values():
    text = "Hi {{ first_name }}, about {{topic}} at {{ company }}: {{ article_link }}"
    assert merge_render(text, values()) == (
        "Hi Ana, about event sourcing at Acme: https://example.org/es"
    )


def test_a_field_without_a_value_leaves_a_visible_placeholder():
    rendered = merge_render("I liked how you rated {{ skill }}.", values())
    assert rendered == "I liked how you rated [skill]."
    assert placeholders_left(rendered) == ["[skill]"]


def test_an_unknown_field_is_named_in_the_error():
    assert merge_fields_unknown("Hi {{ first_name }} {{ nickname }} {{ nickname }}") == ["nickname"]
    with pytest.raises(ValueError, match="nickname"):
        merge_render("{{ nickname }}", values())


@pytest.mark.parametrize(
    "attempt",
    [
        "{{ user.password }}",
        "{{ first_name.__class__ }}",
        "{{ first_name|upper }}",
        "{{ settings.SECRET_KEY }}",
        "{% load static %}{{ company.__init__.__globals__ }}",
        "{0.__class__}",
    ],
)
def test_no_attribute_access_or_code_is_possible(attempt):
    if "{{" in attempt:
        assert merge_fields_unknown(attempt)
    else:
        # Single braces and template tags are plain text: neither format() nor the
        # template engine ever sees them.
        assert merge_render(attempt, values()) == attempt


def test_a_value_is_never_expanded_a_second_time():
    sneaky = values(topic="{{ your_email }} and {{ nickname }}")
    assert merge_render("About {{ topic }}", sneaky) == "About {{ your_email }} and {{ nickname }}"


def test_line_breaks_in_values_are_flattened_except_the_signature():
    rendered = merge_render(
        "{{ topic }}|{{ your_signature }}", values(topic="line one\r\nline two")
    )
    assert rendered == "line one line two|Robin Fischer\n+49 170 000000"


def test_a_subject_is_always_one_line():
    rendered = merge_render("Re {{ topic }}\r\nBcc: evil@example.com", values(), single_line=True)
    assert "\n" not in rendered and "\r" not in rendered


def test_every_field_has_a_value_slot():
    assert set(values()) == set(FIELDS)


@pytest.mark.django_db
def test_user_text_with_crlf_never_reaches_a_header_or_adds_a_recipient(scene, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    scene.user.full_name = 'Robin "R" <x@evil.example>\r\nBcc: victim@example.com'
    scene.user.save()
    draft = Draft.objects.create(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        occasion=Occasion.THANK_YOU,
        subject="Thanks\r\nBcc: victim@example.com\nX-Evil: 1",
        body='<script>alert(1)</script>\r\nBcc: victim@example.com\n"quoted" & more',
    )
    message = draft_message(draft=draft)
    message.send()
    sent = mail.outbox[-1]
    assert sent.recipients() == ["ana@acme.example", sent.cc[0]]
    raw = sent.message().as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert parsed["Subject"] == "Thanks Bcc: victim@example.com X-Evil: 1"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["ana@acme.example"]
    assert parsed["From"].addresses[0].addr_spec == "followup@localhost"
    # The body is plain text: the markup stays as the user typed it, harmless.
    assert "<script>alert(1)</script>" in parsed.get_content()

    eml = message_from_bytes(draft_eml(draft=draft), policy=policy.default)
    assert eml["X-Unsent"] == "1" and eml["Bcc"] is None
    assert [a.addr_spec for a in eml["To"].addresses] == ["ana@acme.example"]

    link = draft_mailto(draft=draft)
    assert link.startswith("mailto:ana@acme.example?subject=Thanks%20Bcc")
    assert "\n" not in link and "\r" not in link and "&bcc" not in link.lower()


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Streaming joins in Flink https://example.org/flink", "Streaming joins in Flink"),
        ("Their paper: https://example.org/flink", "Their paper"),
        ("https://example.org/flink", "https://example.org/flink"),
    ],
)
def test_the_topic_leaves_its_link_to_the_article_link_field(text, topic):
    merged = merge_values(
        your_name="Robin Fischer",
        your_email="robin@seeker.example",
        your_signature="",
        company="Acme",
        role="Backend engineer",
        notes=[NoteValue("topic", text, "https://example.org/flink")],
    )
    assert merged["topic"] == topic
    assert merged["article_link"] == "https://example.org/flink"


# --- Greeting the interviewer ---------------------------------------------------------------


def greeting_values(name: str, *, formal: bool = False, parts: NameParts | None = None):
    return merge_values(
        your_name="Robin Fischer",
        your_email="robin@seeker.example",
        your_signature="",
        company="Acme",
        role="Backend engineer",
        interviewer_name=name,
        interviewer_name_parts=parts,
        interviewer_greeted_formally=formal,
    )


def test_dr_anja_becker_is_greeted_hi_anja_by_first_name():
    merged = greeting_values("Dr. Anja Becker", parts=name_parse(name="Dr. Anja Becker"))
    assert merge_render("{{ greeting }},", merged) == "Hi Anja,"
    assert (merged["first_name"], merged["last_name"]) == ("Anja", "Becker")


def test_dr_anja_becker_is_greeted_dear_dr_becker_formally():
    merged = greeting_values(
        "Dr. Anja Becker", formal=True, parts=name_parse(name="Dr. Anja Becker")
    )
    assert merge_render("{{ greeting }},", merged) == "Dear Dr. Becker,"
    # The first name stays the name they are greeted by, whatever the style.
    assert merge_render("Hi {{ first_name }},", merged) == "Hi Anja,"


def test_without_saved_parts_the_full_name_is_read_not_split_at_the_first_space():
    merged = greeting_values("Dr. Anja Becker")
    assert (merged["greeting"], merged["first_name"]) == ("Hi Anja", "Anja")


def test_the_greeting_follows_the_parts_the_user_corrected():
    corrected = NameParts(given_name="Wei", family_name="Li", greeting_name="Wei")
    merged = greeting_values("Li Wei", formal=True, parts=corrected)
    assert (merged["greeting"], merged["first_name"], merged["last_name"]) == (
        "Dear Li Wei",
        "Wei",
        "Li",
    )


def test_an_interviewer_without_a_last_name_leaves_a_placeholder_for_it():
    merged = greeting_values("Sam")
    assert merge_render("{{ greeting }} {{ last_name }}", merged) == "Hi Sam [last_name]"


@pytest.mark.parametrize("attempt", ["{{ greeting.upper }}", "{{ salutation }}", "{{ Greeting }}"])
def test_greeting_lookalikes_are_unknown_fields(attempt):
    assert merge_fields_unknown(attempt) == [attempt.strip("{} ")]


@pytest.mark.django_db
def test_a_draft_greets_the_contact_in_their_style(scene):
    services.contact_update(
        contact=scene.contact, name="Dr. Anja Becker", salutation_style="formal"
    )
    values = draft_merge_values(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        interview=scene.interview,
    )
    assert (values["greeting"], values["first_name"], values["last_name"]) == (
        "Dear Dr. Becker",
        "Anja",
        "Becker",
    )
