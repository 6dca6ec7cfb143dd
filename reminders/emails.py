"""Every email Followup sends to its user, rendered in one place.

Each email type has a function that renders ``emails/<name>_subject.txt``, ``_body.txt`` and
``_body.html`` and returns the message, unsent. The HTML shares ``emails/layout.html``: inline
styles and a single-column table, which is what mail clients render reliably. User text is
escaped by the template engine in HTML and left plain in text parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template import engines
from django.utils import timezone

from accounts.models import User
from followup_site.clock import format_local
from interviews.models import Note
from outreach.models import Outreach
from reminders.links import reminder_action_url, reminder_task_url
from reminders.models import Reminder
from reminders.services.task_actions import snooze_choices

# Hobbies never appear as talking points (DESIGN R2); everything else may help.
_TALKING_POINT_KINDS = (Note.Kind.TOPIC, Note.Kind.SKILL, Note.Kind.QUESTION)
_BODY_EXCERPT = 600
# An email that goes out this long after the task's moment says so ("this was due at ..."):
# retries, a pause or quiet hours held it up, and it must not read as if it were on time.
LATE_AFTER = timedelta(minutes=15)


@dataclass
class ReminderView:
    """What an email shows about one reminder: the task, why now, the notes that help."""

    reminder: Reminder
    task_url: str
    done_url: str
    # (label, url) of each snooze the task offers; a thank-you never snoozes past its deadline.
    snoozes: list[tuple[str, str]]
    due_local: str
    interview_ended_local: str = ""
    topics: list[Note] = field(default_factory=list)
    skills: list[Note] = field(default_factory=list)
    answers_to_fix: list[Note] = field(default_factory=list)
    links: list[Note] = field(default_factory=list)
    wishes: list[Note] = field(default_factory=list)
    last_email: Outreach | None = None
    last_email_local: str = ""
    last_email_excerpt: str = ""
    application_url: str = ""
    # Set when the email goes out after the task's moment: when it was due, on the user's clock.
    was_due_local: str = ""


def notes_by_application(*, reminders: Sequence[Reminder]) -> dict[int, list[Note]]:
    """The notes of every application of ``reminders`` in one query, for a batch of emails."""
    application_ids = {r.application_id for r in reminders if r.application_id is not None}
    grouped: dict[int, list[Note]] = {pk: [] for pk in application_ids}
    notes = Note.objects.filter(interview__application_id__in=application_ids).annotate(
        application_id=F("interview__application_id")
    )
    for note in notes.order_by("created_at", "pk"):
        grouped[note.application_id].append(note)
    return grouped


def _notes_for(reminder: Reminder, application_notes: list[Note] | None) -> list[Note]:
    """The notes that help with this task: the interview's, or the whole application's."""
    if reminder.application_id is None:
        return []
    if application_notes is None:
        application_notes = notes_by_application(reminders=[reminder])[reminder.application_id]
    notes = application_notes
    if reminder.interview_id is not None and reminder.kind == Reminder.Kind.THANK_YOU:
        notes = [n for n in notes if n.interview_id == reminder.interview_id]
    if reminder.contact_id is not None:
        # Notes about someone else are for their thank-you, not this one.
        notes = [n for n in notes if n.contact_id in (None, reminder.contact_id)]
    return notes


def reminder_view(
    *, reminder: Reminder, application_notes: list[Note] | None = None
) -> ReminderView:
    zone = reminder.user.zone
    view = ReminderView(
        reminder=reminder,
        task_url=reminder_task_url(reminder=reminder),
        done_url=reminder_action_url(reminder=reminder, action="done"),
        snoozes=[
            (choice.label, reminder_action_url(reminder=reminder, action=f"snooze_{choice.key}"))
            for choice in snooze_choices(reminder=reminder)
        ],
        due_local=format_local(instant=reminder.due_at, zone=zone),
    )
    if timezone.now() - reminder.due_at > LATE_AFTER:
        view.was_due_local = view.due_local
    if reminder.interview is not None:
        view.interview_ended_local = format_local(instant=reminder.interview.ends_at, zone=zone)
    if reminder.application is not None and reminder.kind == Reminder.Kind.CLOSE_SUGGESTION:
        # Only this kind's email links to the application; reversing it for every
        # reminder cost as much as one of the action links.
        view.application_url = settings.SITE_URL + reminder.application.get_absolute_url()
    for note in _notes_for(reminder, application_notes):
        if note.kind == Note.Kind.TOPIC or note.kind == Note.Kind.QUESTION:
            view.topics.append(note)
        elif note.kind == Note.Kind.SKILL:
            view.skills.append(note)
        elif note.kind == Note.Kind.ANSWER_TO_FIX:
            view.answers_to_fix.append(note)
        elif note.kind == Note.Kind.FOLLOW_UP:
            view.wishes.append(note)
        if note.link and note.kind in _TALKING_POINT_KINDS:
            view.links.append(note)
    if reminder.kind == Reminder.Kind.PHONE_CALL:
        view.last_email = reminder.trigger_outreach or (
            Outreach.objects.filter(
                application_id=reminder.application_id,
                direction=Outreach.Direction.OUTGOING,
                channel=Outreach.Channel.EMAIL,
            ).first()
        )
    if view.last_email is not None:
        view.last_email_local = format_local(instant=view.last_email.occurred_at, zone=zone)
        body = view.last_email.body.strip()
        view.last_email_excerpt = (
            body if len(body) <= _BODY_EXCERPT else body[:_BODY_EXCERPT].rstrip() + " …"
        )
    return view


def _templates(name: str) -> tuple:
    """The compiled subject, text and HTML templates of ``name``, from the Jinja2 engine.

    Fetched through Django's backend once per process (Jinja2 checks file times on every
    lookup only in development); rendered straight with Jinja2, because the backend's
    per-render wrapper adds nothing these emails need (no request, no CSRF token).
    """
    templates = _TEMPLATES.get(name)
    if templates is None or settings.DEBUG:
        engine = engines["emails"]
        templates = tuple(
            engine.get_template(f"emails/{name}_{part}").template
            for part in ("subject.txt", "body.txt", "body.html")
        )
        _TEMPLATES[name] = templates
    return templates


_TEMPLATES: dict[str, tuple] = {}


def render_parts(name: str, context: dict) -> tuple[str, str, str]:
    """The subject (as rendered), text body and HTML body of the email ``name``."""
    subject, text, html = _templates(name)
    return subject.render(context), text.render(context), html.render(context)


def _message(*, name: str, context: dict, to: str) -> EmailMultiAlternatives:
    subject, text, html = render_parts(name, context)
    subject = " ".join(subject.split())  # a header: one line, whatever the template did
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message


def _base_context(user: User) -> dict:
    return {
        "user": user,
        "site_url": settings.SITE_URL,
        "tasks_url": f"{settings.SITE_URL}/tasks/",
        "settings_url": f"{settings.SITE_URL}/accounts/settings/",
    }


def reminder_email(
    *, reminder: Reminder, nudge: bool = False, application_notes: list[Note] | None = None
) -> EmailMultiAlternatives:
    """One reminder: what to do, why now, the notes that help, and one-click actions.

    ``nudge`` marks the second email near a thank-you's deadline. A batch sender passes the
    application's notes it fetched for the whole batch (``notes_by_application``).
    """
    context = _base_context(reminder.user)
    item = reminder_view(reminder=reminder, application_notes=application_notes)
    context.update({"item": item, "nudge": nudge})
    return _message(name="reminder", context=context, to=reminder.user.email)


def digest_email(*, user: User, reminders: Sequence[Reminder]) -> EmailMultiAlternatives:
    """The daily digest: every task that came due since the last one, each with its actions."""
    context = _base_context(user)
    notes = notes_by_application(reminders=reminders)
    context["items"] = [
        reminder_view(reminder=r, application_notes=notes.get(r.application_id)) for r in reminders
    ]
    for item in context["items"]:
        item.was_due_local = ""  # a digest comes later by design; nothing was held up
    return _message(name="digest", context=context, to=user.email)


def _names(names: Sequence[str]) -> str:
    """'Ana', 'Ana and Ben', 'Ana, Ben and Cy'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def group_headline(*, reminders: Sequence[Reminder]) -> str:
    """What a group of tasks of one application, due at one moment, asks: 'Thank Ana, Ben and
    Cy for the interview' for a panel, else the first task and how many more."""
    kinds = {r.kind for r in reminders}
    if kinds == {Reminder.Kind.THANK_YOU}:
        names = [r.contact.name if r.contact is not None else "them" for r in reminders]
        return f"Thank {_names(names)} for the interview"
    others = len(reminders) - 1
    return f"{reminders[0].title}, and {others} more task{'s' if others > 1 else ''}"


def group_email(
    *, reminders: Sequence[Reminder], nudge: bool = False, application_notes: list[Note] | None
) -> EmailMultiAlternatives:
    """One email for the tasks of one application that are due at the same moment (a panel's
    thank-yous): the user hears once, with every person named and each task's actions."""
    user = reminders[0].user
    context = _base_context(user)
    context.update(
        {
            "items": [
                reminder_view(reminder=r, application_notes=application_notes) for r in reminders
            ],
            "nudge": nudge,
            "headline": group_headline(reminders=reminders),
            "application": reminders[0].application,
        }
    )
    return _message(name="group", context=context, to=user.email)
