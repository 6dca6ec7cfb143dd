from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from functools import partial

import pytest
from django.core import mail
from django.urls import reverse

from interviews import services
from interviews.models import Note
from interviews.names import NameParts, name_parse
from outreach.builtin_templates import BUILTIN_BY_KEY, BUILTIN_TEMPLATES
from outreach.merge import (
    BLANKS,
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
from outreach.services.drafts import draft_fill
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    UserFactory,
)


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
    rendered = merge_render("{{ interviewer_title }}: I liked how you rated {{ skill }}.", values())
    assert rendered == "[interviewer_title]: I liked how you rated [the skill they noticed]."
    assert placeholders_left(rendered) == ["[interviewer_title]", "[the skill they noticed]"]


def test_every_blank_a_field_leaves_is_one_the_checklist_asks_for():
    for name, blank in BLANKS.items():
        assert name in FIELDS
        assert placeholders_left(merge_render("{{ " + name + " }}", {})) == [blank]


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
    rendered = merge_render("About {{ topic }}", sneaky)
    # The reader sees the value as it is...
    assert rendered.replace("\u2060", "") == "About {{ your_email }} and {{ nickname }}"
    # ...and a second pass (saving the draft) finds no field in it.
    assert merge_fields_unknown(rendered) == []
    assert merge_render(rendered, sneaky) == rendered


@pytest.mark.parametrize(
    ("template", "topic"),
    [
        ("{{ topic }}{ your_email }}", "ends with {"),
        ("{{ topic }}", "{{your_email}} Smith"),
        ("{{ topic }}{{ company }}", "x{"),
        ("{{ topic }}}}", "{{ your_email "),
    ],
)
def test_no_value_can_open_a_field_with_the_braces_around_it(template, topic):
    merged = values(topic=topic.replace("ends with {", "Chess{"), company="{ your_email }}")
    rendered = merge_render(template, merged)
    assert "robin@seeker" not in merge_render(rendered, merged)
    assert merge_render(rendered, merged) == rendered


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


def test_the_topic_leaves_its_link_to_the_article_link_field():
    merged = merge_values(
        your_name="Robin Fischer",
        your_email="robin@seeker.example",
        your_signature="",
        company="Acme",
        role="Backend engineer",
        notes=[
            NoteValue(
                "topic",
                "Streaming joins in Flink https://example.org/flink",
                "https://example.org/flink",
            )
        ],
    )
    assert merged["topic"] == "streaming joins in Flink"
    assert merged["article_link"] == "https://example.org/flink"


@pytest.mark.parametrize(
    "text", ["Their paper: https://example.org/flink", "https://example.org/flink"]
)
def test_a_topic_that_does_not_read_as_a_phrase_leaves_both_blanks(text):
    merged = merge_values(
        your_name="Robin Fischer",
        your_email="robin@seeker.example",
        your_signature="",
        company="Acme",
        role="Backend engineer",
        notes=[NoteValue("topic", text, "https://example.org/flink")],
    )
    assert merge_render("About {{ topic }}: {{ article_link }}", merged) == (
        "About [the topic you discussed]: [a link to the article]"
    )


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


# --- Drafts that read as if the user wrote them: a realistic scene --------------------------

PRIVATE = "I rambled and never gave a concrete example"
QUESTION = "How would you shard the orders table?"
BETTER = (
    "I would shard by customer ID, because almost every query stays within one customer, "
    "and move the cross-customer reports to a read replica"
)


@pytest.fixture
def acme():
    """Robin's video interview with Dr. Ana Ortiz at Acme Robotics, noted as people do."""
    user = UserFactory(
        full_name="Robin Fischer",
        email="robin@seeker.example",
        signature="Robin Fischer\n+49 170 1234567",
    )
    application = ApplicationFactory(
        user=user, company__name="Acme Robotics", role="backend engineer"
    )
    ana = ContactFactory(
        user=user, company=application.company, name="Dr. Ana Ortiz", email="ana@acme.example"
    )
    interview = InterviewFactory(
        application=application,
        starts_at=datetime(2025, 6, 3, 8, 0, tzinfo=UTC),
        ends_at=datetime(2025, 6, 3, 9, 0, tzinfo=UTC),
        timezone="Europe/Berlin",
    )
    interview.interviewers.add(ana)
    note = partial(NoteFactory, interview=interview, contact=ana)
    note(
        kind=Note.Kind.TOPIC,
        text="Event sourcing for the order service",
        link="https://example.org/event-sourcing",
    )
    note(
        kind=Note.Kind.TOPIC,
        text="Their migration to Kafka https://example.org/kafka",
        link="https://example.org/kafka",
    )
    note(kind=Note.Kind.SKILL, text="Postgres tuning")
    note(kind=Note.Kind.INTEREST, text="Sailing on weekends")
    note(kind=Note.Kind.ANSWER_TO_FIX, text=PRIVATE, question=QUESTION, better_answer=BETTER)
    return user, application, ana, interview


def drafted(scene, key: str) -> tuple[str, str]:
    user, application, contact, interview = scene
    return draft_fill(
        user=user,
        application=application,
        contact=contact,
        interview=interview,
        template_key=key,
    )


SIGNED = "Best regards,\nRobin Fischer\n+49 170 1234567"


@pytest.mark.django_db
def test_the_thank_you_reads_as_written_by_hand(acme):
    subject, body = drafted(acme, "builtin:thank_you")
    assert subject == "Thank you for our conversation on Tuesday 3 June"
    assert body == (
        "Hi Ana,\n\n"
        "Thank you for taking the time to talk with me about the backend engineer role. "
        "I especially enjoyed our discussion of event sourcing for the order service; it has "
        "stayed on my mind since, and it gave me a clear picture of the problems your team is "
        "working on.\n\n"
        "I was glad that my experience with Postgres tuning came up. It is the part of my work "
        "I care about most, and I would enjoy bringing it to Acme Robotics.\n\n"
        "I remain very interested in the role, and I am happy to answer anything else that "
        "would help with your decision.\n\n" + SIGNED
    )


@pytest.mark.django_db
def test_the_follow_up_shares_the_topic_with_its_own_link(acme):
    subject, body = drafted(acme, "builtin:topic_follow_up")
    assert subject == "Following up on event sourcing for the order service"
    assert body == (
        "Hi Ana,\n\n"
        "When we spoke on Tuesday 3 June, we talked about event sourcing for the order "
        "service, and I have kept thinking about it since. I thought you might like this "
        "piece on it: https://example.org/event-sourcing\n\n"
        "Thank you again for the conversation. It made me even more interested in the backend "
        "engineer role at Acme Robotics, and I would be glad to continue it whenever it suits "
        "you.\n\n" + SIGNED
    )


@pytest.mark.django_db
def test_the_repair_admits_the_nerves_gives_the_answer_and_thanks_them(acme):
    subject, body = drafted(acme, "builtin:answer_repair")
    assert subject == "One more thought after our interview"
    assert body == (
        "Hi Ana,\n\n"
        "Thank you again for the interview on Tuesday 3 June. One of my answers has stayed "
        "with me. I was nervous when you asked me “How would you shard the orders table?” and "
        "did not answer as clearly as I wanted.\n\n"
        "What I meant to say is this: I would shard by customer ID, because almost every "
        "query stays within one customer, and move the cross-customer reports to a read "
        "replica.\n\n"
        "Thank you for weighing this together with the rest of the interview. I am still very "
        "interested in the backend engineer role at Acme Robotics.\n\n" + SIGNED
    )


@pytest.mark.django_db
def test_a_repair_without_the_question_or_the_answer_leaves_marked_blanks(acme):
    Note.objects.filter(kind=Note.Kind.ANSWER_TO_FIX).update(question="", better_answer="")
    _subject, body = drafted(acme, "builtin:answer_repair")
    assert (
        "I was nervous when you asked me [the question they asked] and did not answer as "
        "clearly as I wanted.\n\n"
        "What I meant to say is this: [what you would say now, in two or three sentences]\n\n"
    ) in body
    assert placeholders_left(body) == [
        "[the question they asked]",
        "[what you would say now, in two or three sentences]",
    ]


@pytest.mark.django_db
def test_notes_that_do_not_read_as_phrases_leave_blanks_not_pasted_notes(acme):
    Note.objects.filter(kind=Note.Kind.TOPIC, text__startswith="Event").delete()
    Note.objects.filter(kind=Note.Kind.SKILL).update(text="My field research")
    _subject, body = drafted(acme, "builtin:thank_you")
    assert "I especially enjoyed our discussion of [the topic you discussed]; it has" in body
    assert "I was glad that my experience with [the skill they noticed] came up." in body
    assert "Their migration" not in body and "My field research" not in body


def _all_note_sets():
    """Answer-to-fix notes with and without their question and answer, with other notes."""
    yield [NoteValue("answer_to_fix", PRIVATE)]
    yield [NoteValue("answer_to_fix", PRIVATE, question=QUESTION)]
    yield [NoteValue("answer_to_fix", PRIVATE, better_answer=BETTER)]
    yield [
        NoteValue("topic", "Their migration to Kafka"),
        NoteValue("answer_to_fix", PRIVATE, question="sharding", better_answer=BETTER),
        NoteValue("answer_to_fix", "Blanked on the CAP theorem"),
    ]


@pytest.mark.parametrize("notes", list(_all_note_sets()))
@pytest.mark.parametrize("template", BUILTIN_TEMPLATES, ids=lambda t: t.slug)
def test_what_went_wrong_never_appears_in_a_drafted_email(notes, template):
    merged = merge_values(
        your_name="Robin Fischer",
        your_email="robin@seeker.example",
        your_signature="",
        company="Acme",
        role="backend engineer",
        interviewer_name="Ana Ortiz",
        notes=notes,
    )
    every_field = " ".join("{{ " + name + " }}" for name in FIELDS)
    for text in (template.subject, template.body, every_field):
        rendered = merge_render(text, merged).lower()
        assert "rambled" not in rendered and "blanked" not in rendered


@pytest.mark.django_db
def test_the_private_note_stays_out_of_every_draft_in_the_composer(acme, client_for):
    user, _application, ana, interview = acme
    client = client_for(user)
    url = reverse("outreach:compose_for_interview", args=[interview.pk])
    for template in BUILTIN_TEMPLATES:
        page = client.get(url, {"contact": ana.pk, "template": template.key})
        form = page.context["form"]
        assert PRIVATE not in form["subject"].value() + form["body"].value()
        # It is not offered beside the draft either.
        assert PRIVATE not in page.content.decode()


# --- A topic's link is its own ----------------------------------------------------------------


def topic_and_link(*notes: NoteValue) -> tuple[str, str]:
    merged = merge_values(
        your_name="Robin Fischer",
        your_email="robin@seeker.example",
        your_signature="",
        company="Acme",
        role="backend engineer",
        notes=notes,
    )
    return merged["topic"], merged["article_link"]


def test_a_topic_without_a_link_never_borrows_another_notes_link():
    assert topic_and_link(
        NoteValue("topic", "Event sourcing"),
        NoteValue("topic", "Their migration to Kafka", "https://example.org/kafka"),
        NoteValue("skill", "Postgres tuning", "https://example.org/postgres"),
        NoteValue("other", "Careers page https://acme.example/jobs", "https://acme.example/jobs"),
    ) == ("event sourcing", "")


def test_a_topic_that_reads_well_with_its_link_is_preferred_and_keeps_that_link():
    assert topic_and_link(
        NoteValue("topic", "Their migration to Kafka", "https://example.org/kafka"),
        NoteValue("topic", "Event sourcing"),
        NoteValue("topic", "Stream processing", "https://example.org/streams"),
    ) == ("stream processing", "https://example.org/streams")


def test_without_a_link_the_follow_up_leaves_a_marked_blank_for_one():
    merged = merge_values(
        your_name="Robin Fischer",
        your_email="robin@seeker.example",
        your_signature="",
        company="Acme",
        role="backend engineer",
        notes=[NoteValue("topic", "Event sourcing")],
    )
    body = merge_render(BUILTIN_BY_KEY["builtin:topic_follow_up"].body, merged)
    assert (
        "we talked about event sourcing, and I have kept thinking about it since. I thought "
        "you might like this piece on it: [a link to the article]\n\n"
    ) in body
