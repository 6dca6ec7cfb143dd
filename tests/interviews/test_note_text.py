"""Text into notes: one note per line, and the web address in a line as its link."""

from __future__ import annotations

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
