from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from outreach.checklist import (
    INFO,
    OK,
    WARN,
    Check,
    ChecklistInput,
    check_cadence,
    check_deadline,
    check_hobbies,
    check_interest,
    check_length,
    check_placeholders,
    check_private_note,
    check_thanks,
    check_topic,
    checklist_compute,
)
from outreach.merge import NoteValue, Snippet
from outreach.templatetags.composer_parts import checklist_items, snippet_items

NOW = datetime(2025, 5, 6, 12, 0, tzinfo=UTC)
NOTES = (
    NoteValue("topic", "Event sourcing for the order service", "https://example.org/es"),
    NoteValue("interest", "Sailing on weekends"),
)
GOOD = (
    "Hi Ana, thank you for your time yesterday. I enjoyed our talk about event sourcing and "
    "the order service, and I keep thinking about how to replay old events safely. "
    "I remain very interested in the role and would be glad to tell you more about my work "
    "on Postgres tuning if that helps. Best regards, Robin"
)


def data(**kwargs) -> ChecklistInput:
    kwargs.setdefault("subject", "Thank you")
    kwargs.setdefault("body", GOOD)
    kwargs.setdefault("notes", NOTES)
    kwargs.setdefault("now", NOW)
    return ChecklistInput(**kwargs)


def test_topic_passes_when_a_word_from_a_topic_note_is_in_the_body():
    assert check_topic(data()).level == OK


def test_topic_passes_when_the_article_link_is_in_the_body():
    assert check_topic(data(body="See https://example.org/es")).level == OK


def test_topic_warns_with_an_example_when_no_topic_is_mentioned():
    check = check_topic(data(body="Thank you for the chat."))
    assert check.level == WARN and "Event sourcing" in check.detail


def test_topic_warns_when_the_notes_have_no_topic():
    assert "no topic" in check_topic(data(notes=())).detail


def test_thanks_is_found_in_its_usual_forms():
    assert check_thanks(data(body="Many thanks for the call")).level == OK
    assert check_thanks(data(body="I appreciate your time")).level == OK
    assert check_thanks(data(body="Hello there")).level == WARN


def test_interest_in_the_role_must_be_restated():
    assert check_interest(data(body="I am excited about the role")).level == OK
    assert check_interest(data(body="Have a good day")).level == WARN


def test_unfilled_placeholders_are_listed():
    check = check_placeholders(data(body="About [topic] and [your answer, in two sentences]"))
    assert check.level == WARN
    assert "[topic]" in check.detail and "[your answer, in two sentences]" in check.detail
    assert check_placeholders(data()).level == OK


def test_a_hobby_from_the_notes_or_the_contact_is_flagged():
    check = check_hobbies(data(body=GOOD + " Enjoy the sailing!"))
    assert check.level == WARN and "sailing" in check.detail
    check = check_hobbies(data(body="How was the marathon?", contact_interests="Marathon running"))
    assert check.level == WARN and "marathon" in check.detail
    assert check_hobbies(data()).level == OK


def test_length_is_between_50_and_250_words_for_an_email():
    assert check_length(data()).level == OK
    assert check_length(data(body="Thanks!")).level == WARN
    assert check_length(data(body="word " * 251)).level == WARN
    assert check_length(data(body="Thank you so much for the talk " * 3, is_card=True)).level == OK


def test_deadline_shows_the_time_left_then_that_it_passed():
    left = check_deadline(data(thank_you_due_at=NOW + timedelta(hours=5)))
    assert left.level == INFO and left.label.startswith("5 hours left")
    late = check_deadline(data(thank_you_due_at=NOW - timedelta(hours=3)))
    assert late.level == WARN and "3 hours ago" in late.label
    assert check_deadline(data()) is None


def test_cadence_says_when_they_were_last_contacted():
    check = check_cadence(
        data(last_contact_at=NOW - timedelta(days=9), last_contact_label="Email, sent by you")
    )
    assert check.level == OK and check.label == "Last contact 9 days ago"
    assert check_cadence(data()).label == "No message to this person yet"


def test_cadence_below_the_minimum_gap_names_the_day_it_is_allowed():
    check = check_cadence(data(gap_allowed_from=date(2025, 5, 9), min_gap_days=7))
    assert check.level == WARN
    assert check.label == "Wait until Friday 9 May before writing again"
    assert "7 days" in check.detail


def test_the_full_checklist_of_a_good_draft_has_no_warnings():
    checks = checklist_compute(data(thank_you_due_at=NOW + timedelta(hours=20)))
    assert [c.key for c in checks] == [
        "topic",
        "thanks",
        "interest",
        "placeholders",
        "hobbies",
        "length",
        "deadline",
        "cadence",
    ]
    assert all(c.level != WARN for c in checks)


# --- Blanks and the private note on what went wrong -----------------------------------------


def test_blanks_left_by_the_template_are_listed_with_a_pointer_to_the_notes():
    check = check_placeholders(
        data(body="Our discussion of [the topic you discussed]: [a link to the article]")
    )
    assert check.level == WARN
    assert check.label == "Fill in the 2 blanks"
    assert check.detail == (
        "Still to replace: [the topic you discussed], [a link to the article]. "
        "Insert one of your notes, in your own words if it reads better."
    )


def test_the_private_note_on_what_went_wrong_is_flagged_if_it_reaches_the_message():
    notes = (*NOTES, NoteValue("answer_to_fix", "I rambled and  never gave an example"))
    copied = data(notes=notes, body=GOOD + " I rambled and never gave an EXAMPLE.")
    check = check_private_note(copied)
    assert check.level == WARN and "I rambled" in check.detail
    assert check_private_note(data(notes=notes)).level == OK
    assert check_private_note(data()) is None


def test_the_checklist_items_say_each_level_and_escape_the_text():
    html = checklist_items(
        [Check("topic", "ok", "Mentions <b>it</b>"), Check("gap", "warn", "Wait", "until <Monday>")]
    )
    assert 'data-check="topic"' in html and "Done: </span>Mentions &lt;b&gt;it&lt;/b&gt;" in html
    assert "To do: </span>Wait<br>" in html and "until &lt;Monday&gt;" in html
    assert "text-warning-emphasis" in html and "<b>" not in html


def test_a_snippet_offers_its_text_and_link_escaped_with_a_short_label():
    text = "Event <sourcing> " + "x" * 80
    html = snippet_items([Snippet("Topic", text, "[topic]", "https://e.example/?a=1&b=2")])
    assert 'data-snippet="Event &lt;sourcing&gt; ' in html and 'data-fills="[topic]"' in html
    assert 'aria-label="Insert “Event &lt;sourcing&gt; xxx' in html and "…”" in html
    assert 'href="https://e.example/?a=1&amp;b=2"' in html and "Insert link" in html
