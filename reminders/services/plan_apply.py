"""Applying the follow-up plan to an application's reminders.

The pure planner (``reminders.planner``) says which tasks the rules want; this module gathers
the facts it reads and makes the Reminder rows match its answer. Every app reaches it
through ``interviews.replan.application_replan`` (see ``reminders.listeners``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from interviews.models import Application, Interview, Note
from interviews.services import applications_reach_interviewing
from outreach.models import Outreach
from reminders import planner
from reminders.models import PURPOSE_OF_KIND, Heartbeat, Reminder

# Fields the rules own on a row; the sweep's columns and the user's choices are left alone.
_PLAN_FIELDS = ("contact_id", "interview_id", "trigger_outreach_id")
# A new task whose email moment passed longer ago than this was not missed by the sweep (it
# runs every minute) but planned late: an interview logged days after it happened.
LATE_GRACE = timedelta(minutes=15)
# The purposes of an outreach that carry out a task of each kind; a repair email is a
# follow-up too.
_PURPOSES_CLOSING = {kind: {purpose} for kind, purpose in PURPOSE_OF_KIND.items()}
_PURPOSES_CLOSING[Reminder.Kind.FOLLOW_UP].add("repair")


def _outreach_facts(outreach: Outreach) -> planner.OutreachFacts:
    return planner.OutreachFacts(
        id=outreach.pk,
        outgoing=outreach.direction == Outreach.Direction.OUTGOING,
        channel=outreach.channel,
        occurred_at=outreach.occurred_at,
        contact_id=outreach.contact_id,
        purpose=outreach.purpose,
        # A question, or no text known: silence after it can mean a call (R4).
        asked=not outreach.body.strip() or "?" in outreach.body,
    )


def application_facts(*, application: Application) -> planner.ApplicationFacts:
    """What the rules need to know about one application, in seven small queries."""
    interviews = list(
        Interview.objects.filter(application=application).prefetch_related("interviewers")
    )
    interview_facts = []
    for interview in interviews:
        people = tuple(
            planner.Person(id=c.pk)
            for c in sorted(interview.interviewers.all(), key=lambda c: c.pk)
        )
        interview_facts.append(
            planner.InterviewFacts(id=interview.pk, ends_at=interview.ends_at, interviewers=people)
        )
    wishes = []
    for note in Note.objects.filter(interview__application=application, kind=Note.Kind.FOLLOW_UP):
        person = planner.Person(id=note.contact_id) if note.contact_id else None
        wishes.append(
            planner.FollowUpWish(
                contact=person, not_before=note.follow_up_not_before, noted_at=note.created_at
            )
        )
    outreaches = [_outreach_facts(o) for o in Outreach.objects.filter(application=application)]
    person_ids = {p.id for i in interview_facts for p in i.interviewers}
    person_ids |= {w.contact.id for w in wishes if w.contact is not None}
    person_ids |= {o.contact_id for o in outreaches if o.contact_id is not None}
    other_outreaches = [
        _outreach_facts(outreach)
        for outreach in Outreach.objects.filter(
            user_id=application.user_id, contact_id__in=person_ids
        ).exclude(application_id=application.pk)
    ]
    pending_by_person: dict[int, list[tuple[datetime, int]]] = {}
    for contact_id, due_at, application_id in (
        Reminder.objects.filter(
            user_id=application.user_id,
            contact_id__in=person_ids,
            state__in=Reminder.OPEN_STATES,
            kind__in=list(PURPOSE_OF_KIND),
        )
        .exclude(application_id=application.pk)
        .values_list("contact_id", "due_at", "application_id")
    ):
        pending_by_person.setdefault(contact_id, []).append((due_at, application_id))
    check_ins_done = Reminder.objects.filter(
        application=application,
        kind=Reminder.Kind.CHECK_IN,
        state=Reminder.State.DONE,
        completed_at__isnull=False,
    ).values_list("completed_at", flat=True)
    return planner.ApplicationFacts(
        id=application.pk,
        is_open=application.is_open,
        interviews=interview_facts,
        outreaches=outreaches,
        wishes=wishes,
        check_ins_done_at=list(check_ins_done),
        pending_by_person=pending_by_person,
        other_outreaches=other_outreaches,
    )


def _apply_plan(*, reminder: Reminder, plan: planner.Planned, now: datetime) -> bool:
    """Bring an existing row in line with its plan; True if anything changed.

    A pending row follows the plan: an interview moved, or the user changed their quiet
    hours, time zone or intervals, and its times move. Two exceptions keep its notify_at: a
    row a sweep holds right now (the sweep records the send against that notify_at) and a
    row waiting to retry a failed send with the same deadline (its notify_at is the backoff).
    A row the user was already told about keeps its history but takes the new deadline and
    nudge. A snoozed row keeps the time the user chose; done and skipped rows are the user's
    and never reopen. A row the rules cancelled earlier comes back when its reason does (an
    interviewer re-added).
    """
    changed = False
    for name in _PLAN_FIELDS:
        if getattr(reminder, name) != getattr(plan, name):
            setattr(reminder, name, getattr(plan, name))
            changed = True
    state = reminder.state
    if state == Reminder.State.CANCELLED:
        reminder.state = Reminder.State.PENDING
        reminder.due_at, reminder.notify_at, reminder.nudge_at = (
            plan.due_at,
            plan.notify_at,
            plan.nudge_at,
        )
        reminder.notified_at = None
        reminder.attempts = 0
        reminder.last_error = ""
        reminder.lease_until = None
        reminder.completed_at = None
        return True
    same_deadline = reminder.due_at == plan.due_at
    held = reminder.lease_until is not None and reminder.lease_until > now
    if same_deadline and (held or reminder.attempts):
        return changed
    if state == Reminder.State.PENDING:
        times = (plan.due_at, plan.notify_at, plan.nudge_at)
        if (reminder.due_at, reminder.notify_at, reminder.nudge_at) == times:
            return changed
        reminder.due_at, reminder.notify_at, reminder.nudge_at = times
        return True
    if state == Reminder.State.NOTIFIED:
        nudge_waiting = reminder.notify_at is not None and reminder.notify_at == reminder.nudge_at
        if same_deadline and (not nudge_waiting or reminder.nudge_at == plan.nudge_at):
            # Nothing moved, or the nudge was sent already: never send it a second time.
            return changed
        reminder.due_at = plan.due_at
        reminder.nudge_at = plan.nudge_at
        reminder.notify_at = plan.nudge_at if plan.nudge_at and plan.nudge_at > now else None
        return True
    return changed


def _close_carried_out(*, application: Application, now: datetime) -> None:
    """Mark done each open task of the application that an outgoing outreach carried out.

    An outreach carries out a task when it was logged against it, or when it went to the
    task's person with the task's purpose after the task's moment began (the interview's
    end, else the task's creation): a thank-you sent from the contact's page, a card logged
    on the application page, a call made without opening the call task.
    """
    tasks = list(
        Reminder.objects.filter(
            application=application,
            state__in=Reminder.OPEN_STATES,
            kind__in=list(_PURPOSES_CLOSING),
        ).select_related("interview")
    )
    if not tasks:
        return
    # A thank-you thanks the person for every interview with them before it, whichever of
    # the user's applications it was logged on; the other purposes belong to one application.
    people = {task.contact_id for task in tasks if task.contact_id is not None}
    outgoing = list(
        Outreach.objects.filter(user_id=application.user_id, direction=Outreach.Direction.OUTGOING)
        .filter(
            Q(application=application)
            | Q(purpose=Outreach.Purpose.THANK_YOU, contact_id__in=people)
        )
        .values("application_id", "reminder_id", "contact_id", "purpose", "occurred_at")
    )
    done = []
    for task in tasks:
        since = task.interview.ends_at if task.interview is not None else task.created_at
        for outreach in outgoing:
            same_application = outreach["application_id"] == application.pk
            if outreach["reminder_id"] == task.pk or (
                task.contact_id is not None
                and outreach["contact_id"] == task.contact_id
                and outreach["purpose"] in _PURPOSES_CLOSING[task.kind]
                and outreach["occurred_at"] >= since
                and (same_application or task.kind == Reminder.Kind.THANK_YOU)
            ):
                done.append(task.pk)
                break
    Reminder.objects.filter(pk__in=done, state__in=Reminder.OPEN_STATES).update(
        state=Reminder.State.DONE,
        completed_at=now,
        notify_at=None,
        nudge_at=None,
        lease_until=None,
        updated_at=now,
    )


def _silence_missed_moments(*, fresh: list[Reminder], now: datetime) -> None:
    """New or revived tasks replay no email whose moment has passed (R7).

    1. A thank-you past its deadline is shown on the pages, not emailed.
    2. Of the other tasks whose email moment passed while nobody knew of them (an interview
       logged a week late, an application reopened after a month), only the one due last
       is emailed, now; the others are shown on the pages only. At most one email.
    """
    late = []
    for reminder in fresh:
        if reminder.kind == Reminder.Kind.THANK_YOU:
            if reminder.due_at <= now:
                reminder.notify_at = reminder.nudge_at = None
            continue
        if reminder.notify_at is not None and reminder.notify_at < now - LATE_GRACE:
            late.append(reminder)
    if late:
        keep = max(late, key=lambda r: r.due_at)
        for reminder in late:
            if reminder is not keep:
                reminder.notify_at = reminder.nudge_at = None


@transaction.atomic
def plan_apply(*, application: Application) -> None:
    """Bring the application's reminders in line with the follow-up rules.

    Runs inside the caller's transaction whenever ``application_replan`` is called: an
    interview logged, edited or deleted, a stage change, a close or reopen, an outreach
    recorded in either direction; and from the ``replan_user`` task after the user changed
    a preference the rules read (quiet hours, time zone, intervals...).

    1. Lock the application row, so two concurrent applications of the rules for it queue
       up instead of both inserting the same occurrence.
    2. Close the open tasks that an outgoing outreach has carried out (the user sent the
       email, posted the card or made the call the task asked for), by any route.
    3. Plan with the pure rules (reminders.planner).
    4. Upsert by (user, occurrence): create what is missing, update what moved; a new or
       revived task replays no email whose moment has passed.
    5. Cancel the open rule-made tasks the plan no longer wants; a closed application
       cancels every open task, the user's own ones included.
    """
    application = (
        Application.objects.select_for_update()
        .select_related("company", "user")
        .get(pk=application.pk)
    )
    user = application.user
    now = timezone.now()
    _close_carried_out(application=application, now=now)
    plan = planner.plan_reminders(
        facts=application_facts(application=application),
        prefs=planner.Preferences.of(user),
        now=now,
    )
    wanted = {p.occurrence: p for p in plan}
    # Lock the rows we may rewrite: a sweep recording a send at the same moment waits for
    # this transaction instead of having its NOTIFIED state overwritten by our stale copy.
    existing = {
        r.occurrence: r
        for r in Reminder.objects.filter(user=user)
        .filter(
            Q(occurrence__in=list(wanted))
            | Q(application=application, state__in=Reminder.OPEN_STATES)
        )
        .select_for_update(of=("self",))
    }

    to_create = []
    revived = []
    for occurrence, p in wanted.items():
        reminder = existing.get(occurrence)
        if reminder is not None and reminder.state == Reminder.State.CANCELLED:
            revived.append(reminder)
            _apply_plan(reminder=reminder, plan=p, now=now)
        elif reminder is None:
            to_create.append(
                Reminder(
                    user=user,
                    application=application,
                    kind=p.kind,
                    occurrence=occurrence,
                    due_at=p.due_at,
                    notify_at=p.notify_at,
                    nudge_at=p.nudge_at,
                    interview_id=p.interview_id,
                    contact_id=p.contact_id,
                    trigger_outreach_id=p.trigger_outreach_id,
                )
            )
        elif _apply_plan(reminder=reminder, plan=p, now=now):
            reminder.save()
    _silence_missed_moments(fresh=to_create + revived, now=now)
    for reminder in revived:
        reminder.save()
    Reminder.objects.bulk_create(to_create)

    cancel_kinds = set(planner.RULE_KINDS)
    if not application.is_open:
        cancel_kinds.add(Reminder.Kind.CUSTOM)
    stale = [
        r.pk
        for r in existing.values()
        if r.occurrence not in wanted
        and r.application_id == application.pk
        and r.kind in cancel_kinds
        and r.state in Reminder.OPEN_STATES
    ]
    if stale:
        Reminder.objects.filter(pk__in=stale, state__in=Reminder.OPEN_STATES).update(
            state=Reminder.State.CANCELLED,
            notify_at=None,
            nudge_at=None,
            lease_until=None,
            updated_at=now,
        )


# The marker of how far interviews_ended_replan has looked; beat runs it every minute.
INTERVIEWS_ENDED_MARK = "interviews-ended"
# How far back the first run looks, when there is no mark yet.
FIRST_LOOK_BACK = timedelta(hours=1)


def interviews_ended_replan(*, now: datetime | None = None) -> int:
    """Re-plan each open application one of whose interviews ended since the last run.

    An interview logged ahead of time moves its application to "interviewing" when it starts
    and gets its tasks once it has ended; the rules see it then, when this runs. Returns how
    many applications were re-planned. A crash before the mark moves only does the same work
    again: both steps are idempotent.
    """
    now = now or timezone.now()
    mark = Heartbeat.objects.filter(name=INTERVIEWS_ENDED_MARK).first()
    since = mark.at if mark is not None else now - FIRST_LOOK_BACK
    applications_reach_interviewing(now=now)
    ids = list(
        Interview.objects.filter(ends_at__gt=since, ends_at__lte=now)
        .exclude(application__stage=Application.Stage.CLOSED)
        .values_list("application_id", flat=True)
        .distinct()
    )
    for pk in ids:
        plan_apply(application=Application(pk=pk))
    Heartbeat.objects.update_or_create(name=INTERVIEWS_ENDED_MARK, defaults={"at": now})
    return len(ids)
