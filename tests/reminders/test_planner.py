"""The follow-up rules R1-R8, applied to real rows. Timezone: Europe/Berlin unless stated."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from followup_site.clock import QuietHours
from interviews.models import Application, Note
from outreach.models import Outreach
from outreach.services.timeline import outreach_record
from reminders import notify_times, planner
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from reminders.services.task_actions import reminder_complete
from tests.factories import ApplicationFactory, ContactFactory, NoteFactory, ReminderFactory
from tests.reminders.support import BERLIN, NEW_YORK, interview_logged, local, open_of, user_in

pytestmark = pytest.mark.django_db

# Tuesday 10 March 2026, 14:00 in Berlin (CET): well clear of both DST changes.
NOW = local(BERLIN, 2026, 3, 10, 14, 0)


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def seeker():
    return user_in(BERLIN)


def _record(user, application, *, direction="out", channel="email", at, contact=None, **extra):
    return outreach_record(
        user=user,
        application=application,
        direction=direction,
        channel=channel,
        occurred_at=at,
        contact=contact,
        **extra,
    )


# --- R1 thank-you ---------------------------------------------------------------------------


def test_each_interviewer_gets_a_thank_you_due_24h_after_the_interview_ends(seeker):
    ends = local(BERLIN, 2026, 3, 10, 11, 0)
    interview, contacts = interview_logged(user=seeker, ends_at=ends, interviewers=2)

    plan_apply(application=interview.application)

    thanks = open_of(interview.application, Reminder.Kind.THANK_YOU)
    assert {r.contact_id for r in thanks} == {c.pk for c in contacts}
    assert {r.occurrence for r in thanks} == {f"thank_you:{interview.pk}:{c.pk}" for c in contacts}
    for reminder in thanks:
        assert reminder.due_at == ends + timedelta(hours=24)
        assert reminder.notify_at == ends + timedelta(minutes=seeker.thank_you_notify_delay_minutes)
        assert reminder.nudge_at == ends + timedelta(hours=21)
        assert reminder.interview_id == interview.pk
        assert reminder.contact.name in reminder.title


def test_thank_you_notification_is_moved_out_of_quiet_hours(seeker):
    # Ends 20:30; the 1 h delay lands at 21:30, inside 21:00-08:00 quiet hours.
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 20, 30))

    with time_machine.travel(local(BERLIN, 2026, 3, 10, 20, 45), tick=False):
        plan_apply(application=interview.application)

    (thanks,) = open_of(interview.application, Reminder.Kind.THANK_YOU)
    assert thanks.notify_at == local(BERLIN, 2026, 3, 11, 8, 0)
    # The nudge (17:30 next day) is outside quiet hours, before the 20:30 deadline.
    assert thanks.nudge_at == local(BERLIN, 2026, 3, 11, 17, 30)


def test_thank_you_notification_never_comes_after_the_deadline():
    prefs = planner.Preferences(
        zone=BERLIN,
        thank_you_notify_delay=timedelta(hours=12),
        quiet=QuietHours(start=time(19, 0), end=time(9, 0)),
    )
    ends = local(BERLIN, 2026, 3, 10, 8, 0)
    # 20:00 is quiet until 09:00 tomorrow, an hour past the 08:00 deadline.
    due_at, notify_at, nudge_at = notify_times.thank_you_times(ends_at=ends, prefs=prefs)
    assert due_at == local(BERLIN, 2026, 3, 11, 8, 0)
    assert notify_at == due_at
    assert nudge_at is None


def test_a_nudge_in_quiet_hours_comes_before_they_start_instead(seeker):
    # Deadline 10:00; 3 h before is 07:00, quiet: the nudge goes the evening before at 20:30.
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 10, 0))
    plan_apply(application=interview.application)
    (thanks,) = open_of(interview.application, Reminder.Kind.THANK_YOU)
    assert thanks.nudge_at == local(BERLIN, 2026, 3, 10, 20, 30)


# --- Idempotency and changes ----------------------------------------------------------------


def test_applying_the_rules_twice_creates_no_new_rows(seeker):
    interview, _ = interview_logged(
        user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 11, 0), interviewers=2
    )
    plan_apply(application=interview.application)
    before = list(Reminder.objects.values_list("pk", "occurrence", "due_at", "notify_at"))

    plan_apply(application=interview.application)
    plan_apply(application=interview.application)

    assert list(Reminder.objects.values_list("pk", "occurrence", "due_at", "notify_at")) == before
    # 2 thank-yous, the follow-up and the check-in.
    assert len(before) == 4


def test_editing_the_interview_time_moves_its_pending_reminders(seeker):
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 11, 0))
    plan_apply(application=interview.application)
    (thanks,) = open_of(interview.application, Reminder.Kind.THANK_YOU)

    interview.starts_at = local(BERLIN, 2026, 3, 10, 12, 0)
    interview.ends_at = local(BERLIN, 2026, 3, 10, 13, 0)
    interview.save()
    plan_apply(application=interview.application)

    thanks.refresh_from_db()
    assert Reminder.objects.filter(kind=Reminder.Kind.THANK_YOU).count() == 1
    assert thanks.due_at == local(BERLIN, 2026, 3, 11, 13, 0)
    assert thanks.notify_at == local(BERLIN, 2026, 3, 10, 14, 0)


def test_removing_an_interviewer_cancels_their_thank_you_and_adding_them_back_reopens_it(
    seeker,
):
    interview, (anna, ben) = interview_logged(
        user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 11, 0), interviewers=2
    )
    plan_apply(application=interview.application)

    interview.interviewers.remove(ben)
    plan_apply(application=interview.application)
    ben_thanks = Reminder.objects.get(occurrence=f"thank_you:{interview.pk}:{ben.pk}")
    assert ben_thanks.state == Reminder.State.CANCELLED
    assert ben_thanks.notify_at is None
    assert [r.contact_id for r in open_of(interview.application, "thank_you")] == [anna.pk]

    interview.interviewers.add(ben)
    plan_apply(application=interview.application)
    ben_thanks.refresh_from_db()
    assert ben_thanks.state == Reminder.State.PENDING
    assert Reminder.objects.filter(kind=Reminder.Kind.THANK_YOU).count() == 2


def test_deleting_an_interview_leaves_no_open_task_for_it(seeker):
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 11, 0))
    application = interview.application
    plan_apply(application=application)
    assert open_of(application)

    interview.delete()
    plan_apply(application=application)

    assert open_of(application) == []


def test_closing_the_application_cancels_every_open_task_including_custom_ones(seeker):
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 11, 0))
    application = interview.application
    plan_apply(application=application)
    custom = ReminderFactory(user=seeker, application=application, kind=Reminder.Kind.CUSTOM)
    done = ReminderFactory(user=seeker, application=application, state=Reminder.State.DONE)

    application.stage = Application.Stage.CLOSED
    application.closed_reason = Application.ClosedReason.REJECTED
    application.save()
    plan_apply(application=application)

    assert open_of(application) == []
    custom.refresh_from_db()
    done.refresh_from_db()
    assert custom.state == Reminder.State.CANCELLED
    assert done.state == Reminder.State.DONE


def test_a_done_task_is_never_reopened_by_the_rules(seeker):
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 11, 0))
    plan_apply(application=interview.application)
    (thanks,) = open_of(interview.application, Reminder.Kind.THANK_YOU)
    reminder_complete(reminder=thanks)

    interview.ends_at = local(BERLIN, 2026, 3, 10, 12, 0)
    interview.save()
    plan_apply(application=interview.application)

    thanks.refresh_from_db()
    assert thanks.state == Reminder.State.DONE
    assert thanks.notify_at is None


# --- R2 follow-up, R6 their wish, R7 the gap -------------------------------------------------


def test_first_follow_up_is_a_week_after_the_latest_interview_to_its_first_interviewer(seeker):
    application = ApplicationFactory(user=seeker)
    interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0), application=application)
    latest, (carla,) = interview_logged(
        user=seeker, ends_at=local(BERLIN, 2026, 3, 9, 16, 0), application=application
    )

    plan_apply(application=application)

    (follow_up,) = open_of(application, Reminder.Kind.FOLLOW_UP)
    assert follow_up.occurrence == f"follow_up:{latest.pk}"
    assert follow_up.contact == carla
    assert follow_up.due_at == local(BERLIN, 2026, 3, 16, 16, 0)
    assert follow_up.notify_at == follow_up.due_at


def test_follow_up_goes_to_the_person_they_named_and_not_before_their_date(seeker):
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 9, 16, 0))
    recruiter = ContactFactory(user=seeker, company=interview.application.company)
    NoteFactory(
        interview=interview,
        kind=Note.Kind.FOLLOW_UP,
        contact=recruiter,
        text="Email Dana after the team offsite",
        follow_up_not_before=date(2026, 3, 25),
    )

    plan_apply(application=interview.application)

    (follow_up,) = open_of(interview.application, Reminder.Kind.FOLLOW_UP)
    assert follow_up.contact == recruiter
    assert follow_up.due_at == local(BERLIN, 2026, 3, 25, 9, 0)


def test_follow_up_waits_the_minimum_gap_after_the_last_outreach_to_that_person(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    # A note to Anna on 6 March: the follow-up may not reach her before 13 March.
    _record(seeker, interview.application, at=local(BERLIN, 2026, 3, 6, 18, 15), contact=anna)

    (follow_up,) = open_of(interview.application, Reminder.Kind.FOLLOW_UP)
    assert follow_up.due_at == local(BERLIN, 2026, 3, 13, 18, 15)
    # Notified when quiet hours (from 21:00) allow: 18:15 is fine.
    assert follow_up.notify_at == follow_up.due_at


# --- R4 call, R8 reply ----------------------------------------------------------------------


def test_an_unanswered_follow_up_makes_a_call_task_after_three_business_days():
    seeker = user_in(BERLIN, min_gap_days=3)
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    # Friday 13 March, 15:00: Mon, Tue, Wed are the three business days (the 3-day gap
    # this user chose ends sooner, on Monday).
    email = _record(
        seeker,
        interview.application,
        at=local(BERLIN, 2026, 3, 13, 15, 0),
        contact=anna,
        purpose="follow_up",
    )

    (call,) = open_of(interview.application, Reminder.Kind.PHONE_CALL)
    assert call.trigger_outreach == email
    assert call.contact == anna
    assert call.occurrence == f"phone_call:{email.pk}"
    assert call.due_at == local(BERLIN, 2026, 3, 18, 15, 0)


def test_a_call_waits_for_the_minimum_gap_and_their_date_like_any_outreach(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    _record(
        seeker,
        interview.application,
        at=local(BERLIN, 2026, 3, 13, 15, 0),
        contact=anna,
        purpose="follow_up",
    )
    (call,) = open_of(interview.application, Reminder.Kind.PHONE_CALL)
    # Three business days end on Wednesday; the 7-day gap after the email ends on Friday.
    assert call.due_at == local(BERLIN, 2026, 3, 20, 15, 0)

    NoteFactory(
        interview=interview,
        kind=Note.Kind.FOLLOW_UP,
        contact=anna,
        text="Call me after the board meeting",
        follow_up_not_before=date(2026, 3, 26),
    )
    plan_apply(application=interview.application)
    (call,) = open_of(interview.application, Reminder.Kind.PHONE_CALL)
    assert call.due_at == local(BERLIN, 2026, 3, 26, 9, 0)


def test_a_follow_up_that_asks_nothing_and_a_thank_you_start_no_call_clock(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    application = interview.application
    _record(seeker, application, at=local(BERLIN, 2026, 3, 2, 18, 0), contact=anna)
    _record(
        seeker,
        application,
        at=local(BERLIN, 2026, 3, 9, 10, 0),
        contact=anna,
        purpose="follow_up",
        body="Here is the article on event sourcing I mentioned. Enjoy the read.",
    )
    purposes = list(
        application.outreaches.order_by("occurred_at").values_list("purpose", flat=True)
    )
    assert purposes == ["thank_you", "follow_up"]
    assert open_of(application, Reminder.Kind.PHONE_CALL) == []


def test_a_thank_you_note_does_not_start_the_call_clock(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 10, 11, 0))
    plan_apply(application=interview.application)
    (thanks,) = open_of(interview.application, Reminder.Kind.THANK_YOU)

    _record(seeker, interview.application, at=NOW, contact=anna, reminder=thanks)

    thanks.refresh_from_db()
    assert thanks.state == Reminder.State.DONE
    assert open_of(interview.application, Reminder.Kind.PHONE_CALL) == []


def test_a_reply_cancels_the_pending_call_and_restarts_the_check_in_clock(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    _record(
        seeker,
        interview.application,
        at=local(BERLIN, 2026, 3, 9, 10, 0),
        contact=anna,
        purpose="follow_up",
    )
    (call,) = open_of(interview.application, Reminder.Kind.PHONE_CALL)
    (check_in,) = open_of(interview.application, Reminder.Kind.CHECK_IN)

    _record(
        seeker,
        interview.application,
        direction="in",
        at=local(BERLIN, 2026, 3, 10, 9, 30),
        contact=anna,
    )

    call.refresh_from_db()
    check_in.refresh_from_db()
    assert call.state == Reminder.State.CANCELLED
    assert check_in.state == Reminder.State.CANCELLED
    (new_check_in,) = open_of(interview.application, Reminder.Kind.CHECK_IN)
    # 30 days after the reply, and never sooner than 28 days after the last email to Anna.
    assert new_check_in.due_at == local(BERLIN, 2026, 4, 9, 9, 30)
    # A reply after the interview also makes the follow-up moot.
    assert open_of(interview.application, Reminder.Kind.FOLLOW_UP) == []


def test_logging_a_call_closes_the_call_task_and_makes_no_second_one(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    _record(
        seeker,
        interview.application,
        at=local(BERLIN, 2026, 3, 5, 10, 0),
        contact=anna,
        purpose="follow_up",
    )
    (call,) = open_of(interview.application, Reminder.Kind.PHONE_CALL)

    _record(
        seeker,
        interview.application,
        channel="call",
        call_outcome=Outreach.CallOutcome.VOICEMAIL,
        at=NOW,
        contact=anna,
        reminder=call,
    )

    call.refresh_from_db()
    assert call.state == Reminder.State.DONE
    assert open_of(interview.application, Reminder.Kind.PHONE_CALL) == []


# --- R5 check-in ----------------------------------------------------------------------------


def test_check_in_comes_30_days_after_the_last_contact_at_the_same_local_hour(seeker):
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    plan_apply(application=interview.application)
    (check_in,) = open_of(interview.application, Reminder.Kind.CHECK_IN)
    # 1 April is after the switch to summer time: still 11:00 on the wall clock.
    assert check_in.due_at == local(BERLIN, 2026, 4, 1, 11, 0)


def test_any_new_contact_reschedules_the_check_in_instead_of_adding_one(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    plan_apply(application=interview.application)

    _record(
        seeker,
        interview.application,
        channel="card",
        at=local(BERLIN, 2026, 3, 4, 17, 0),
        contact=anna,
    )
    _record(
        seeker,
        interview.application,
        direction="in",
        at=local(BERLIN, 2026, 3, 5, 12, 0),
        contact=anna,
    )

    (check_in,) = open_of(interview.application, Reminder.Kind.CHECK_IN)
    # 30 days after the reply is Saturday 4 April; Monday 6 April is Easter Monday in
    # Germany, so the check-in waits for Tuesday, same local time.
    assert check_in.due_at == local(BERLIN, 2026, 4, 7, 12, 0)


def test_completing_a_check_in_starts_the_next_one(seeker):
    interview, _ = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 1, 20, 11, 0))
    plan_apply(application=interview.application)
    (check_in,) = open_of(interview.application, Reminder.Kind.CHECK_IN)

    # At NOW, 10 March 14:00; completing it re-plans the application by itself.
    reminder_complete(reminder=check_in)

    (following,) = open_of(interview.application, Reminder.Kind.CHECK_IN)
    assert following.pk != check_in.pk
    assert following.due_at == local(BERLIN, 2026, 4, 9, 14, 0)


# --- R7 the unanswered run ------------------------------------------------------------------


def test_after_four_unanswered_follow_ups_calls_included_the_app_suggests_closing(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 1, 5, 11, 0))
    application = interview.application
    # The thank-you counts toward nothing; two follow-ups, a call and a third follow-up do.
    _record(seeker, application, at=local(BERLIN, 2026, 1, 6, 9), contact=anna)
    for day, channel in ((13, "email"), (20, "email"), (23, "call"), (30, "email")):
        _record(
            seeker, application, channel=channel, at=local(BERLIN, 2026, 1, day, 10), contact=anna
        )

    kinds = {r.kind for r in open_of(application)}
    assert Reminder.Kind.CLOSE_SUGGESTION in kinds
    # No faster follow-up or call is planned; the monthly check-in goes on.
    assert kinds.isdisjoint({Reminder.Kind.FOLLOW_UP, Reminder.Kind.PHONE_CALL})
    assert Reminder.Kind.CHECK_IN in kinds
    (suggestion,) = open_of(application, Reminder.Kind.CLOSE_SUGGESTION)
    assert suggestion.due_at == local(BERLIN, 2026, 2, 6, 10, 0)


def test_a_reply_ends_the_unanswered_run(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 1, 5, 11, 0))
    application = interview.application
    for day in (8, 15, 22):
        _record(seeker, application, at=local(BERLIN, 2026, 1, day, 10), contact=anna)
    _record(seeker, application, direction="in", at=local(BERLIN, 2026, 1, 23, 10), contact=anna)
    _record(seeker, application, at=local(BERLIN, 2026, 1, 29, 10), contact=anna)

    assert open_of(application, Reminder.Kind.CLOSE_SUGGESTION) == []
    assert open_of(application, Reminder.Kind.PHONE_CALL)


# --- outreach_record ------------------------------------------------------------------------


def test_titles_name_the_task_and_leave_the_application_to_the_page_and_the_subject(seeker):
    """The task list shows "role at company" under each title; the title need not repeat it."""
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 2, 11, 0))
    anna.name = "Anna Weber"
    anna.save()
    application = interview.application
    _record(
        seeker, application, at=local(BERLIN, 2026, 3, 3, 10, 0), contact=anna, purpose="follow_up"
    )

    titles = {r.kind: r.title for r in open_of(application)}
    assert titles == {
        Reminder.Kind.THANK_YOU: "Thank Anna Weber for the interview",
        Reminder.Kind.FOLLOW_UP: "Follow up with Anna Weber",
        Reminder.Kind.PHONE_CALL: "Call Anna Weber: no reply to your email yet",
        Reminder.Kind.CHECK_IN: "Check in with Anna Weber",
    }
    for day in (10, 17, 24):
        _record(seeker, application, at=local(BERLIN, 2026, 3, day, 10, 0), contact=anna)
    (suggestion,) = open_of(application, Reminder.Kind.CLOSE_SUGGESTION)
    assert suggestion.title == "No answer to your last messages: time to close it?"


def test_titles_are_rendered_when_shown_and_follow_a_renamed_contact(seeker):
    """No English sentence is stored for a rule-made task, so pages can be translated."""
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 3, 9, 11, 0))
    plan_apply(application=interview.application)
    (thanks,) = open_of(interview.application, Reminder.Kind.THANK_YOU)
    assert thanks.custom_title == ""
    anna.name = "Anna Weber-Lang"
    anna.save()
    thanks.refresh_from_db()
    assert thanks.title == "Thank Anna Weber-Lang for the interview"


def test_outreach_record_refuses_another_users_objects(seeker, other_user):
    application = ApplicationFactory(user=seeker)
    theirs = ContactFactory(user=other_user)
    their_task = ReminderFactory(user=other_user)
    with pytest.raises(ValidationError):
        _record(seeker, application, at=NOW, contact=theirs)
    with pytest.raises(ValidationError):
        _record(seeker, application, at=NOW, reminder=their_task)
    with pytest.raises(ValidationError):
        _record(seeker, ApplicationFactory(user=other_user), at=NOW)
    assert not Outreach.objects.exists()


def test_rules_work_in_the_users_zone_not_the_servers():
    seeker = user_in(NEW_YORK)
    interview, _ = interview_logged(user=seeker, ends_at=local(NEW_YORK, 2026, 3, 2, 17, 0))
    plan_apply(application=interview.application)
    (check_in,) = open_of(interview.application, Reminder.Kind.CHECK_IN)
    assert check_in.due_at == local(NEW_YORK, 2026, 4, 1, 17, 0)


def test_a_persons_silence_is_one_run_across_the_users_applications(seeker):
    """Sam handles two roles; four unanswered follow-ups to him, two about each, make a run."""
    first, (sam,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 1, 5, 11, 0))
    second, _ = interview_logged(
        user=seeker,
        ends_at=local(BERLIN, 2026, 1, 5, 15, 0),
        application=ApplicationFactory(user=seeker, company=first.application.company),
    )
    second.interviewers.set([sam])
    applications = [first.application, second.application]
    for day, application in zip((6, 13, 20, 27), applications * 2, strict=True):
        _record(
            seeker,
            application,
            at=local(BERLIN, 2026, 1, day, 10),
            contact=sam,
            purpose="follow_up",
        )

    for application in applications:
        kinds = {r.kind for r in open_of(application)}
        assert Reminder.Kind.CLOSE_SUGGESTION in kinds, application
        assert Reminder.Kind.FOLLOW_UP not in kinds


def test_no_suggestion_to_close_while_an_interview_is_still_ahead(seeker):
    interview, (anna,) = interview_logged(user=seeker, ends_at=local(BERLIN, 2026, 1, 5, 11, 0))
    application = interview.application
    # The next round is booked for 20 March; the follow-ups in between go unanswered.
    interview_logged(
        user=seeker, ends_at=local(BERLIN, 2026, 3, 20, 11, 0), application=application
    )
    for day in (6, 13, 20, 27):
        _record(
            seeker,
            application,
            at=local(BERLIN, 2026, 1, day, 10),
            contact=anna,
            purpose="follow_up",
        )

    assert open_of(application, Reminder.Kind.CLOSE_SUGGESTION) == []
