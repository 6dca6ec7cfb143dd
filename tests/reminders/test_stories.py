"""Whole job searches, day by day: the timeline of reminder emails a user gets.

Each story logs what really happened the way a job seeker would (late, by hand, by several
routes) and asserts every reminder email of the story, when it arrived in the user's zone
and whom it named. Each runs in Berlin and in New York; quiet hours are 21:00 to 08:00 and
the user is emailed one reminder at a time (no digest) unless the story says otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from interviews.models import Note
from interviews.note_text import InterviewerDraft
from interviews.services import (
    application_close,
    application_reopen,
    interview_log,
    interview_update,
)
from outreach.services.timeline import outreach_record
from reminders.models import Reminder
from tests.factories import ApplicationFactory, ContactFactory
from tests.reminders.story import Story
from tests.reminders.support import BERLIN, NEW_YORK, local, open_of, user_in

pytestmark = pytest.mark.django_db

ZONES = pytest.mark.parametrize("zone", [BERLIN, NEW_YORK], ids=["berlin", "new-york"])


@pytest.fixture
def story_at():
    stories = []

    def begin(moment):
        story = Story(start=moment)
        stories.append(story)
        return story

    yield begin
    for story in stories:
        story.close()


def _log(user, application, *, ends_at, people, notes=()):
    return interview_log(
        user=user,
        application=application,
        starts_at=ends_at - timedelta(hours=1),
        ends_at=ends_at,
        timezone_name=user.timezone,
        interviewers=[
            p if isinstance(p, InterviewerDraft) else InterviewerDraft(contact=p) for p in people
        ],
        notes=notes,
    )


def _out(user, application, contact, at, purpose, channel="email", body=""):
    return outreach_record(
        user=user,
        application=application,
        direction="out",
        channel=channel,
        occurred_at=at,
        contact=contact,
        purpose=purpose,
        body=body,
    )


def _reply(user, application, contact, at):
    return outreach_record(
        user=user,
        application=application,
        direction="in",
        channel="email",
        occurred_at=at,
        contact=contact,
    )


@ZONES
def test_a_panel_of_four_is_one_thank_you_email_and_one_nudge_naming_everyone(zone, story_at):
    """Monday 11:00 a panel of four ends; nobody is thanked until the evening before."""
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker, role="Data engineer")
    panel = [
        ContactFactory(user=seeker, company=application.company, name=n)
        for n in ("Ana Ortiz", "Ben Li", "Cy Park", "Dee Roy")
    ]
    story = story_at(local(zone, 2026, 5, 11, 11, 5))
    _log(seeker, application, ends_at=local(zone, 2026, 5, 11, 11, 0), people=panel)

    story.until(local(zone, 2026, 5, 12, 12, 0))

    assert story.timeline(zone) == [
        "Mon 11 May 12:00 | Thank Ana Ortiz, Ben Li, Cy Park and Dee Roy for the interview "
        f"(Data engineer at {application.company.name})",
        "Tue 12 May 08:00 | Still to do: Thank Ana Ortiz, Ben Li, Cy Park and Dee Roy for the "
        f"interview (Data engineer at {application.company.name})",
    ]


@ZONES
def test_a_thank_you_sent_from_the_application_page_stops_its_reminders(zone, story_at):
    """The user logs "I sent it" without opening the task: no nudge, and no call later."""
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    ana = ContactFactory(user=seeker, company=application.company, name="Ana Ortiz")
    story = story_at(local(zone, 2026, 5, 11, 15, 5))
    _log(seeker, application, ends_at=local(zone, 2026, 5, 11, 15, 0), people=[ana])
    story.until(local(zone, 2026, 5, 11, 18, 0))
    # Purpose left to Followup: the first email to Ana since the interview is a thank-you.
    outreach_record(
        user=seeker,
        application=application,
        direction="out",
        channel="email",
        occurred_at=local(zone, 2026, 5, 11, 17, 30),
        contact=ana,
        body="Thank you for today. What are the next steps?",
    )
    story.until(local(zone, 2026, 5, 30, 12, 0))

    assert [s.subject.split(" (")[0] for s in story.sent] == [
        "Thank Ana Ortiz for the interview",
        "Follow up with Ana Ortiz",
    ]
    assert open_of(application, Reminder.Kind.PHONE_CALL) == []
    # A week after the interview, held back to a week after the thank-you (the minimum gap).
    assert story.sent[1].local(zone) == "Mon 18 May 17:30"


@ZONES
def test_their_not_before_date_leaves_the_thank_you_and_moves_the_follow_up(zone, story_at):
    """ "Email me after the offsite, not before 3 December": thanks now, follow up then."""
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    story = story_at(local(zone, 2026, 11, 23, 10, 5))
    interview = _log(
        seeker,
        application,
        ends_at=local(zone, 2026, 11, 23, 10, 0),
        people=[InterviewerDraft(name="Fox Mulder")],
    )
    fox = interview.interviewers.get()
    Note.objects.create(
        interview=interview,
        contact=fox,
        kind=Note.Kind.FOLLOW_UP,
        text="Email me after the offsite",
        follow_up_not_before=date(2026, 12, 3),
    )
    _out(seeker, application, fox, local(zone, 2026, 11, 23, 12, 0), "thank_you")
    story.until(local(zone, 2026, 12, 20, 12, 0))

    assert story.timeline(zone)[0].startswith("Thu 03 Dec 09:00 | Follow up with Fox Mulder")
    # Sent on 3 December, asked something, no answer: the call waits the 7-day gap.
    _out(seeker, application, fox, local(zone, 2026, 12, 3, 9, 30), "follow_up", body="Any news?")
    (call,) = open_of(application, Reminder.Kind.PHONE_CALL)
    assert call.due_at == local(zone, 2026, 12, 10, 9, 30)


@ZONES
def test_an_interview_logged_a_week_late_sends_one_email_not_a_burst(zone, story_at):
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    story = story_at(local(zone, 2026, 6, 17, 19, 0))
    _log(
        seeker,
        application,
        ends_at=local(zone, 2026, 6, 9, 14, 0),
        people=[InterviewerDraft(name="Dana Scully")],
    )
    story.until(local(zone, 2026, 7, 1, 12, 0))

    assert story.timeline(zone) == [
        f"Wed 17 Jun 19:01 | Follow up with Dana Scully ({application.role} at "
        f"{application.company.name})",
    ]
    # The thank-you is long past its deadline: on the page, not in the inbox.
    (thanks,) = open_of(application, Reminder.Kind.THANK_YOU)
    assert thanks.notify_at is None


@ZONES
def test_a_future_interview_gets_its_tasks_and_its_thank_you_when_it_ends(zone, story_at):
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker, stage="screening")
    story = story_at(local(zone, 2026, 6, 1, 9, 0))
    _log(
        seeker,
        application,
        ends_at=local(zone, 2026, 6, 4, 15, 0),
        people=[InterviewerDraft(name="Walter Skinner")],
    )
    assert open_of(application) == []
    application.refresh_from_db()
    assert application.stage == "screening"

    story.until(local(zone, 2026, 6, 4, 18, 0))
    application.refresh_from_db()
    assert application.stage == "interviewing"

    assert story.timeline(zone) == [
        f"Thu 04 Jun 16:00 | Thank Walter Skinner for the interview ({application.role} at "
        f"{application.company.name})",
    ]


@ZONES
def test_one_recruiter_on_three_applications_is_never_written_to_twice_in_a_week(zone, story_at):
    seeker = user_in(zone)
    first = ApplicationFactory(user=seeker)
    second = ApplicationFactory(user=seeker, company=first.company)
    third = ApplicationFactory(user=seeker, company=first.company)
    story = story_at(local(zone, 2026, 3, 2, 11, 5))
    sam = ContactFactory(user=seeker, company=first.company, name="Sam Recruiter")
    for day, application in zip((2, 3, 4), (first, second, third), strict=True):
        story.until(local(zone, 2026, 3, day, 11, 5))
        _log(seeker, application, ends_at=local(zone, 2026, 3, day, 11, 0), people=[sam])
    _out(seeker, first, sam, local(zone, 2026, 3, 4, 17, 0), "thank_you")
    story.until(local(zone, 2026, 4, 30, 12, 0))

    follow_ups = [s for s in story.sent if "Follow up with Sam" in s.subject]
    moments = [s.at for s in follow_ups]
    assert all(b - a >= timedelta(days=7) for a, b in pairwise(moments))
    # One thank-you to Sam, logged on the first application, thanks him for all three
    # interviews: no reminder to thank him comes after it, and every task is done.
    thanked = local(zone, 2026, 3, 4, 17, 0)
    assert all(s.at < thanked for s in story.sent if "Thank Sam" in s.subject)
    tasks = Reminder.objects.filter(user=seeker, kind=Reminder.Kind.THANK_YOU)
    assert set(tasks.values_list("state", flat=True)) == {Reminder.State.DONE}


@ZONES
def test_closing_then_reopening_a_month_later_replays_nothing(zone, story_at):
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    story = story_at(local(zone, 2026, 9, 7, 10, 5))
    _log(
        seeker,
        application,
        ends_at=local(zone, 2026, 9, 7, 10, 0),
        people=[InterviewerDraft(name="Monica Reyes")],
    )
    application_close(application=application, reason="rejected")
    story.until(local(zone, 2026, 10, 12, 9, 0))
    assert story.sent == []

    application.refresh_from_db()
    application_reopen(application=application, stage="interviewing")
    story.until(local(zone, 2026, 10, 13, 12, 0))

    # The thank-you is five weeks late: shown, not sent. Of the follow-up and the check-in
    # whose moments passed while it was closed, one email: the more recent, the check-in.
    assert [s.subject.split(" (")[0] for s in story.sent] == ["Check in with Monica Reyes"]
    assert {r.kind for r in open_of(application)} >= {
        Reminder.Kind.THANK_YOU,
        Reminder.Kind.FOLLOW_UP,
        Reminder.Kind.CHECK_IN,
    }


@ZONES
def test_moving_an_interview_by_fifteen_minutes_a_month_later_sends_no_second_check_in(
    zone, story_at
):
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    story = story_at(local(zone, 2026, 1, 12, 10, 5))
    interview = _log(
        seeker,
        application,
        ends_at=local(zone, 2026, 1, 12, 10, 0),
        people=[InterviewerDraft(name="John Doggett")],
    )
    john = interview.interviewers.get()
    _out(seeker, application, john, local(zone, 2026, 1, 12, 16, 0), "thank_you")
    story.until(local(zone, 2026, 2, 13, 12, 0))
    check_ins = [s for s in story.sent if "Check in" in s.subject]
    assert len(check_ins) == 1

    interview_update(
        interview=interview,
        starts_at=interview.starts_at + timedelta(minutes=15),
        ends_at=interview.ends_at + timedelta(minutes=15),
        timezone_name=interview.timezone,
        format=interview.format,
        location=interview.location,
        interviewers=[InterviewerDraft(contact=john)],
    )
    story.until(local(zone, 2026, 2, 20, 12, 0))
    assert [s for s in story.sent if "Check in" in s.subject] == check_ins


@ZONES
def test_eight_months_without_an_answer_brings_monthly_check_ins_and_a_question(zone, story_at):
    """A hiring freeze: nobody answers. Check-ins go on; every few the app asks to close."""
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    story = story_at(local(zone, 2026, 1, 5, 11, 5))
    interview = _log(
        seeker,
        application,
        ends_at=local(zone, 2026, 1, 5, 11, 0),
        people=[InterviewerDraft(name="Alvin Kersh")],
    )
    alvin = interview.interviewers.get()
    _out(seeker, application, alvin, local(zone, 2026, 1, 5, 15, 0), "thank_you")
    end = local(zone, 2026, 9, 5, 12, 0)
    while story.now < end:
        story.until(min(end, story.now + timedelta(days=1)))
        # Each check-in or follow-up is done the day its email arrives; nobody answers.
        for task in open_of(application):
            if task.kind in (Reminder.Kind.CHECK_IN, Reminder.Kind.FOLLOW_UP) and task.notified_at:
                purpose = "check_in" if task.kind == Reminder.Kind.CHECK_IN else "follow_up"
                _out(seeker, application, alvin, story.now, purpose, body="Any news?")

    check_ins = [s for s in story.sent if "Check in with Alvin" in s.subject]
    questions = [s for s in story.sent if "time to close it" in s.subject]
    assert len(check_ins) >= 6
    gaps = [b.at - a.at for a, b in pairwise(check_ins)]
    assert all(gap >= timedelta(days=28) for gap in gaps)
    assert len(questions) >= 1


@ZONES
def test_a_night_time_interview_is_thanked_after_quiet_hours_and_nudged_before_bed(zone, story_at):
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    story = story_at(local(zone, 2026, 10, 6, 22, 35))
    _log(
        seeker,
        application,
        ends_at=local(zone, 2026, 10, 6, 22, 30),
        people=[InterviewerDraft(name="Kai Tanaka")],
    )
    story.until(local(zone, 2026, 10, 8, 12, 0))

    # 23:30 is quiet: the first email waits for 08:00; the nudge comes three hours before
    # the 22:30 deadline, before quiet hours begin.
    assert [line.split(" | ")[0] for line in story.timeline(zone)] == [
        "Wed 07 Oct 08:00",
        "Wed 07 Oct 19:30",
    ]
    assert story.sent[1].subject.startswith("Still to do: Thank Kai Tanaka")


@ZONES
def test_a_reply_after_a_call_calls_off_the_calls_and_restarts_the_check_in_clock(zone, story_at):
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    story = story_at(local(zone, 2026, 4, 13, 10, 5))
    interview = _log(
        seeker,
        application,
        ends_at=local(zone, 2026, 4, 13, 10, 0),
        people=[InterviewerDraft(name="Lena Vogel")],
    )
    lena = interview.interviewers.get()
    _out(seeker, application, lena, local(zone, 2026, 4, 13, 14, 0), "thank_you")
    story.until(local(zone, 2026, 4, 20, 14, 30))
    _out(seeker, application, lena, story.now, "follow_up", body="Is there any news?")
    story.until(local(zone, 2026, 4, 28, 12, 0))
    # No answer after the gap: the call task's email came.
    assert any("Call Lena Vogel" in s.subject for s in story.sent)
    (call,) = open_of(application, Reminder.Kind.PHONE_CALL)
    outreach_record(
        user=seeker,
        application=application,
        direction="out",
        channel="call",
        call_outcome="voicemail",
        occurred_at=story.now,
        contact=lena,
        reminder=call,
    )
    story.until(local(zone, 2026, 4, 29, 9, 0))
    _reply(seeker, application, lena, story.now)
    sent_before = len(story.sent)
    story.until(local(zone, 2026, 6, 10, 12, 0))

    later = story.sent[sent_before:]
    assert [s.subject.split(" (")[0] for s in later] == ["Check in with Lena Vogel"]
    # 30 days after her reply on Wednesday 29 April, 09:00: Friday 29 May.
    assert later[0].local(zone) == "Fri 29 May 09:00"


@ZONES
@pytest.mark.parametrize("reason", ["offer", "withdrawn"])
def test_an_offer_or_a_withdrawal_ends_every_reminder_of_the_application(zone, reason, story_at):
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    story = story_at(local(zone, 2026, 2, 2, 16, 5))
    _log(
        seeker,
        application,
        ends_at=local(zone, 2026, 2, 2, 16, 0),
        people=[InterviewerDraft(name="Omar Haddad"), InterviewerDraft(name="Pia Berg")],
    )
    story.until(local(zone, 2026, 2, 2, 18, 0))
    assert len(story.sent) == 1  # the panel's thank-you
    application.refresh_from_db()
    application_close(application=application, reason=reason)
    story.until(local(zone, 2026, 5, 1, 12, 0))

    assert len(story.sent) == 1
    assert open_of(application) == []
