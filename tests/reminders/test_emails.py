"""What reminder emails say, and that user text cannot inject HTML. Timezone: Europe/Berlin."""

from __future__ import annotations

import re

import pytest
import time_machine

from interviews.models import Note
from outreach.services.timeline import outreach_record
from reminders.emails import digest_email, reminder_email
from reminders.links import link_read
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from tests.factories import NoteFactory, ReminderFactory
from tests.reminders.support import BERLIN, interview_logged, local, open_of, user_in

pytestmark = pytest.mark.django_db

ENDS = local(BERLIN, 2026, 3, 10, 11, 0)


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(ENDS, tick=False):
        yield


@pytest.fixture
def seeker():
    return user_in(BERLIN, full_name="Sam Seeker")


@pytest.fixture
def thank_you(seeker, settings):
    settings.SITE_URL = "https://followup.example"
    interview, (anna, ben) = interview_logged(user=seeker, ends_at=ENDS, interviewers=2)
    anna.name = "Anna Schmidt"
    anna.save()
    NoteFactory(interview=interview, kind=Note.Kind.TOPIC, text="Their <b>event sourcing</b> move")
    NoteFactory(interview=interview, kind=Note.Kind.SKILL, contact=anna, text="My Postgres tuning")
    NoteFactory(
        interview=interview,
        kind=Note.Kind.ANSWER_TO_FIX,
        contact=anna,
        text="I muddled the CAP theorem",
    )
    NoteFactory(interview=interview, kind=Note.Kind.INTEREST, contact=anna, text="Loves sailing")
    NoteFactory(interview=interview, kind=Note.Kind.SKILL, contact=ben, text="Ben liked my Rust")
    plan_apply(application=interview.application)
    return Reminder.objects.get(occurrence=f"thank_you:{interview.pk}:{anna.pk}")


def test_thank_you_email_says_what_to_do_why_now_and_what_helps(thank_you):
    message = reminder_email(reminder=thank_you)
    application = thank_you.application
    # The task list shows the application under the title; an inbox needs it in the subject.
    assert thank_you.title == "Thank Anna Schmidt for the interview"
    assert message.subject == (
        f"Thank Anna Schmidt for the interview ({application.role} at {application.company.name})"
    )
    text = message.body
    assert "Send Anna Schmidt a short thank-you" in text
    # The deadline in the user's own time, with the zone.
    assert "Wednesday 11 March 2026, 11:00 CET (Europe/Berlin)" in text
    assert "Their <b>event sourcing</b> move" in text  # plain text stays plain
    assert "My Postgres tuning" in text
    assert "I muddled the CAP theorem" in text
    assert "Loves sailing" not in text  # hobbies do not belong in a follow-up
    assert "Ben liked my Rust" not in text  # that is Ben's thank-you


def test_reminder_email_html_escapes_user_text_and_has_its_three_buttons(thank_you):
    html = reminder_email(reminder=thank_you).alternatives[0].content
    assert "Their &lt;b&gt;event sourcing&lt;/b&gt; move" in html
    assert "<b>event sourcing</b>" not in html
    assert f'href="https://followup.example/tasks/{thank_you.pk}/"' in html
    actions = re.findall(r'href="https://followup\.example/tasks/act/([^/"]+)/"', html)
    # A thank-you has a deadline: its one snooze keeps it, a day or a week would pass it.
    assert [link_read(token=t).action for t in actions] == ["done", "snooze_deadline"]
    assert {link_read(token=t).reminder_id for t in actions} == {thank_you.pk}
    for label in ("Open the task", "Mark done", "Remind me before the deadline"):
        assert label in html
    assert "Snooze a day" not in html


def test_a_nudge_says_the_deadline_is_close(thank_you):
    message = reminder_email(reminder=thank_you, nudge=True)
    assert message.subject.startswith("Still to do: ")
    assert "the deadline is close" in message.body


def test_call_email_has_talking_points_the_last_email_and_a_calm_down_checklist(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    anna.phone = "+49 30 1234567"
    anna.save()
    NoteFactory(interview=interview, kind=Note.Kind.TOPIC, text="Their on-call rotation")
    outreach_record(
        user=seeker,
        application=interview.application,
        direction="out",
        channel="email",
        occurred_at=local(BERLIN, 2026, 3, 4, 9, 0),
        contact=anna,
        subject="Following up on our chat",
        body="Thanks again for Monday's conversation about on-call. Is there any news?",
        purpose="follow_up",
    )
    (call,) = open_of(interview.application, Reminder.Kind.PHONE_CALL)

    text = reminder_email(reminder=call).body

    assert "+49 30 1234567" in text
    assert "Their on-call rotation" in text
    assert '"Following up on our chat"' in text
    assert "Thanks again for Monday's conversation" in text
    assert "Before you dial" in text


def test_check_in_email_offers_topics_and_links_to_share(seeker):
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    NoteFactory(
        interview=interview,
        kind=Note.Kind.TOPIC,
        text="Their paper on stream joins",
        link="https://example.org/stream-joins",
    )
    plan_apply(application=interview.application)
    (check_in,) = open_of(interview.application, Reminder.Kind.CHECK_IN)

    message = reminder_email(reminder=check_in)

    assert "Their paper on stream joins" in message.body
    assert "https://example.org/stream-joins" in message.body
    assert 'href="https://example.org/stream-joins"' in message.alternatives[0].content


def test_custom_reminder_email_shows_the_users_note(seeker):
    reminder = ReminderFactory(
        user=seeker, kind=Reminder.Kind.CUSTOM, title="Send portfolio", note="<i>The PDF</i>"
    )
    message = reminder_email(reminder=reminder)
    assert "<i>The PDF</i>" in message.body
    assert "&lt;i&gt;The PDF&lt;/i&gt;" in message.alternatives[0].content


def test_digest_lists_each_task_with_its_own_buttons(seeker, thank_you):
    other = ReminderFactory(user=seeker, title="Send the <script>portfolio</script>")
    message = digest_email(user=seeker, reminders=[thank_you, other])
    assert message.to == [seeker.email]
    assert message.subject == "Your follow-ups for today: 2 tasks"
    html = message.alternatives[0].content
    assert "<script>" not in html
    assert "Send the &lt;script&gt;portfolio&lt;/script&gt;" in html
    for reminder in (thank_you, other):
        assert f"/tasks/{reminder.pk}/" in html
        assert f"/tasks/{reminder.pk}/" in message.body
    assert html.count("Mark done") == 2


def test_a_link_typed_into_the_note_is_not_repeated_in_the_text_email(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=ENDS, interviewers=1)
    NoteFactory(
        interview=interview,
        kind=Note.Kind.TOPIC,
        contact=anna,
        text="Streaming joins https://example.org/joins",
        link="https://example.org/joins",
    )
    NoteFactory(
        interview=interview,
        kind=Note.Kind.TOPIC,
        contact=anna,
        text="Their data contracts",
        link="https://example.org/contracts",
    )
    plan_apply(application=interview.application)
    reminder = Reminder.objects.get(occurrence=f"thank_you:{interview.pk}:{anna.pk}")
    text = reminder_email(reminder=reminder).body
    assert text.count("https://example.org/joins") == 1
    assert "- Their data contracts <https://example.org/contracts>" in text
