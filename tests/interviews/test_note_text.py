"""Text into notes: one note per line, and the web address in a line as its link."""

from __future__ import annotations

import pytest

from interviews import note_text
from interviews.models import Note
from interviews.note_text import NoteDraft


def test_each_non_empty_line_becomes_one_note_and_its_web_address_the_link():
    drafts = note_text.notes_from_lines(
        kind=Note.Kind.TOPIC,
        text="Their data platform\n\n  Read https://blog.example/post-1, it is good.  \n",
    )
    assert drafts == [
        NoteDraft(kind="topic", text="Their data platform"),
        NoteDraft(
            kind="topic",
            text="Read https://blog.example/post-1, it is good.",
            link="https://blog.example/post-1",
        ),
    ]


def test_a_link_at_the_end_of_a_sentence_loses_the_full_stop():
    assert note_text.link_find(text="See https://x.example/a.") == "https://x.example/a"
    assert note_text.link_find(text="no link here") == ""


# --- The phrasing rule: which notes read well in the middle of a sentence -------------------


@pytest.mark.parametrize(
    ("note", "phrase"),
    [
        # Ordinary words capitalised only because they start the line lose the capital.
        ("Event sourcing for the order service", "event sourcing for the order service"),
        ("Scaling Postgres read replicas.", "scaling Postgres read replicas"),
        ("Machine learning for fraud detection", "machine learning for fraud detection"),
        ("Data-driven hiring", "data-driven hiring"),
        ("On-call rotations", "on-call rotations"),
        ("Observability", "observability"),
        ("How to shard a multi-tenant database", "how to shard a multi-tenant database"),
        ("Distributed tracing with OpenTelemetry", "distributed tracing with OpenTelemetry"),
        (
            "moving the order service to event sourcing",
            "moving the order service to event sourcing",
        ),
        ("remote work culture", "remote work culture"),
        # Names, acronyms and titles keep their capitals.
        ("Kubernetes operators", "Kubernetes operators"),
        ("Postgres tuning", "Postgres tuning"),
        ("CAP theorem", "CAP theorem"),
        ("GraphQL federation", "GraphQL federation"),
        ("iOS accessibility", "iOS accessibility"),
        ("A/B testing at scale", "A/B testing at scale"),
        ("US market expansion", "US market expansion"),
        ("Raft vs. Paxos", "Raft vs. Paxos"),
        ("Designing Data-Intensive Applications", "Designing Data-Intensive Applications"),
        # A bullet, a web address and the full stop at the end are not part of the phrase.
        ("- Observability and on-call", "observability and on-call"),
        ("Streaming joins in Flink https://example.org/flink", "streaming joins in Flink"),
        ("Stream processing (https://example.org/flink).", "stream processing"),
    ],
)
def test_a_short_noun_phrase_reads_in_a_sentence(note, phrase):
    assert note_text.phrase_in_sentence(text=note) == phrase


@pytest.mark.parametrize(
    "note",
    [
        # Determiners and possessives: the notes' point of view, not the reader's.
        "Their migration",
        "My field research",
        "The CAP theorem",
        "This new billing system",
        # Sentences and remarks.
        "I rambled and never gave a concrete example",
        "They're moving everything to Kafka next quarter",
        "Team is small and moving fast",
        "Event sourcing for their order service",
        "We should talk again in May",
        "The interviewer kept asking about SLAs. I think it went OK",
        "Testing it properly",
        # Note-taking verbs and prepositions at the start.
        "Talked about their on-call rotation",
        "Asked about my weaknesses",
        "About the new billing system",
        # Questions, exclamations, asides, labels and lists.
        "How do you handle on-call?",
        "Great team!",
        "Kafka - they love it",
        "Their paper: https://example.org/flink",
        "Kafka, Flink etc.",
        "Event sourcing, CQRS, sagas, outbox pattern, idempotency keys and exactly-once delivery",
        # Nothing but a link, or nothing at all.
        "https://example.org/flink",
        "   ",
        "First line\nSecond line",
    ],
)
def test_a_sentence_or_a_remark_is_not_put_into_a_sentence(note):
    assert note_text.phrase_in_sentence(text=note) == ""


@pytest.mark.parametrize(
    ("question", "after_asked"),
    [
        ("How would you shard the orders table?", "“How would you shard the orders table?”"),
        ("how would you shard the orders table?", "“How would you shard the orders table?”"),
        ("“What is the CAP theorem?”", "“What is the CAP theorem?”"),
        ("sharding the orders table", "about sharding the orders table"),
        ("About the CAP theorem", "about the CAP theorem"),
        ("Why I left my last job", "about why I left my last job"),
        ("My biggest weakness", "about my biggest weakness"),
        # Left to the user: a report of the question, two questions, an order, nothing.
        ("They asked how I'd shard the orders table", ""),
        ("Why should we hire you? And what about salary?", ""),
        ("Tell me about a time you failed", ""),
        ("", ""),
    ],
)
def test_the_question_behind_an_answer_follows_when_you_asked_me(question, after_asked):
    assert note_text.question_after_asked(text=question) == after_asked


def test_what_the_user_would_say_now_is_kept_as_written_with_a_capital_and_a_full_stop():
    assert note_text.answer_as_written(text="  i would shard by customer ID ") == (
        "I would shard by customer ID."
    )
    assert note_text.answer_as_written(
        text="I'd use a read replica!\n\n\n  Then  move reports"
    ) == ("I'd use a read replica!\n\nThen move reports.")
    assert note_text.answer_as_written(text=" \n ") == ""


def test_a_notes_words_lose_their_link_and_bullet_but_not_their_case():
    assert (
        note_text.note_words(
            text="- Their paper on joins: https://example.org/joins",
            link="https://example.org/joins",
        )
        == "Their paper on joins"
    )
