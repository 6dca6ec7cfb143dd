"""Reads for the composer, the call page and the webhook panels; every query is per user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from followup_site.ids import id_or_none
from interviews.models import Application, Contact, Interview, Note
from interviews.selectors import notes_about
from outreach import composer_query, notes_query
from outreach.builtin_templates import (
    BUILTIN_BY_KEY,
    BUILTIN_TEMPLATES,
    BuiltinTemplate,
    builtin_for_occasion,
)
from outreach.merge import NoteValue, merge_values
from outreach.models import Draft, MessageTemplate, Occasion, Outreach
from outreach.notes_query import NoteRow

# How long a bounce stays on the dashboard.
BOUNCE_SHOWN_DAYS = 30


def notes_read(*, user: User, application: Application, contact: Contact) -> list[NoteRow]:
    """The notes ``notes_for`` orders, oldest first, by the hand-written query the task pages
    use (outreach.notes_query): a page that fills a draft and shows its checklist reads them
    once and passes them on."""
    return notes_query.notes_about(
        user_id=user.pk, application_id=application.pk, contact_id=contact.pk
    )


def notes_for(
    *,
    user: User,
    application: Application,
    contact: Contact,
    interview: Interview | None = None,
    notes: list[Note] | None = None,
) -> list[Note]:
    """Notes of the application's interviews about this contact or about no one in particular.

    Notes about this person come first, then those of the given interview, so the merge
    fields pick the most specific value. ``notes`` are those notes already read (oldest
    first, as ``notes_read`` gives them); without them they are read here.
    """
    if notes is None:
        notes = list(
            notes_about(user_id=user.pk, application_id=application.pk, contact_id=contact.pk)
            .select_related("interview")
            .order_by("created_at", "pk")
        )
    interview_pk = interview.pk if interview else None
    return sorted(notes, key=lambda n: (n.contact_id != contact.pk, n.interview_id != interview_pk))


def note_values(notes: list[Note]) -> tuple[NoteValue, ...]:
    """What the merge fields, the checklist and the snippets beside a draft read of notes."""
    return tuple(
        NoteValue(
            kind=n.kind,
            text=n.text,
            link=n.link,
            question=n.question,
            better_answer=n.better_answer,
        )
        for n in notes
    )


def interview_for(
    *, user: User, application: Application, contact: Contact, interview: Interview | None
) -> Interview | None:
    """The interview the message is about: the given one, or the latest with this person."""
    if interview is not None:
        return interview
    return (
        Interview.objects.filter(application=application, application__user=user)
        .filter(interviewers=contact)
        .order_by("-starts_at")
        .first()
        or Interview.objects.filter(application=application, application__user=user)
        .order_by("-starts_at")
        .first()
    )


def draft_merge_values(
    *,
    user: User,
    application: Application,
    contact: Contact,
    interview: Interview | None,
    notes: list[Note] | None = None,
) -> dict[str, str]:
    """The merge fields' values; ``notes`` as for ``notes_for``."""
    interview = interview_for(
        user=user, application=application, contact=contact, interview=interview
    )
    notes = notes_for(
        user=user, application=application, contact=contact, interview=interview, notes=notes
    )
    return merge_values(
        your_name=user.full_name or user.email,
        your_email=user.email,
        your_signature=user.signature,
        company=application.company.name,
        role=application.role,
        interviewer_name=contact.name,
        interviewer_name_parts=contact.name_parts,
        interviewer_greeted_formally=contact.is_greeted_formally,
        interviewer_title=contact.job_title,
        interview_starts_at=interview.starts_at if interview else None,
        interview_timezone=interview.timezone if interview else user.timezone,
        notes=note_values(notes),
    )


# --- Templates ------------------------------------------------------------------------------


def user_templates(*, user: User) -> QuerySet[MessageTemplate]:
    return MessageTemplate.objects.filter(user=user)


@dataclass(frozen=True)
class TemplateChoice:
    key: str
    name: str
    occasion: str
    subject: str
    body: str
    is_builtin: bool
    # When the user last edited their own copy; None for a built-in template.
    updated_at: datetime | None = None


def _choice(t: BuiltinTemplate | MessageTemplate, *, is_builtin: bool) -> TemplateChoice:
    return TemplateChoice(
        t.key, t.name, t.occasion, t.subject, t.body, is_builtin, getattr(t, "updated_at", None)
    )


def builtin_template_choices() -> list[TemplateChoice]:
    return [_choice(t, is_builtin=True) for t in BUILTIN_TEMPLATES]


def template_choices(*, user: User) -> list[TemplateChoice]:
    """Built-in templates first, then the user's own copies (read by hand-written SQL, in
    their model's order: ``outreach.composer_query.own_templates``)."""
    own = [
        TemplateChoice(key, name, occasion, subject, body, False, updated_at)
        for key, name, occasion, subject, body, updated_at in composer_query.own_templates(
            user_id=user.pk
        )
    ]
    return builtin_template_choices() + own


def template_resolve(
    *, user: User, key: str, choices: list[TemplateChoice] | None = None
) -> TemplateChoice | None:
    """A template by key, looked up among this user's choices only: ``choices`` when the
    caller already read them (``template_choices``), else the database."""
    if key in BUILTIN_BY_KEY:
        return _choice(BUILTIN_BY_KEY[key], is_builtin=True)
    prefix, _, pk = key.partition(":")
    own_pk = id_or_none(pk)
    if prefix != "user" or own_pk is None:
        return None
    if choices is not None:
        own_key = f"user:{own_pk}"
        return next((c for c in choices if not c.is_builtin and c.key == own_key), None)
    own = user_templates(user=user).filter(pk=own_pk).first()
    if own is None:
        return None
    return _choice(own, is_builtin=False)


def template_get(
    *, user: User, key: str, choices: list[TemplateChoice] | None = None
) -> TemplateChoice:
    """A template by key among this user's choices, or 404."""
    template = template_resolve(user=user, key=key, choices=choices)
    if template is None:
        raise Http404("No such template.")
    return template


def template_for_occasion(
    *, user: User, occasion: str, choices: list[TemplateChoice] | None = None
) -> TemplateChoice:
    """The user's latest edited copy for the occasion, else the built-in one; among
    ``choices`` when the caller already read them."""
    if choices is not None:
        copies = [c for c in choices if not c.is_builtin and c.occasion == occasion]
        if copies:
            return max(copies, key=lambda c: c.updated_at)
        return _choice(builtin_for_occasion(occasion), is_builtin=True)
    own = user_templates(user=user).filter(occasion=occasion).order_by("-updated_at").first()
    if own is not None:
        return _choice(own, is_builtin=False)
    return _choice(builtin_for_occasion(occasion), is_builtin=True)


def has_answer_to_fix(
    *, user: User, application: Application, contact: Contact, notes: list[Note] | None = None
) -> bool:
    """Whether a note of the application, about this person or no one, names an answer to
    fix; ``notes`` are those notes when already read (``notes_read``)."""
    if notes is not None:
        return any(n.kind == Note.Kind.ANSWER_TO_FIX for n in notes)
    return (
        Note.objects.filter(
            interview__application=application,
            interview__application__user=user,
            kind=Note.Kind.ANSWER_TO_FIX,
        )
        .filter(Q(contact=contact) | Q(contact__isnull=True))
        .exists()
    )


def occasion_for(
    *,
    user: User,
    application: Application,
    contact: Contact,
    suggested: str | None = None,
    for_task: bool = False,
    written_before: bool | None = None,
    notes: list[Note] | None = None,
) -> str:
    """The occasion that fits the message: thank-you, repair or topic follow-up, check-in.

    ``suggested`` is the occasion the task asks for (a check-in task wants a check-in);
    ``for_task`` says a task asked for some follow-up without naming one. Without a task, a
    first message to someone is a thank-you. ``written_before`` (whether the user ever wrote
    to this person) and ``notes`` (``notes_read``) save their reads when already known.
    """
    if suggested:
        return suggested
    if written_before is None and not for_task:
        written_before = Outreach.objects.filter(
            user=user, contact=contact, direction=Outreach.Direction.OUTGOING
        ).exists()
    if not for_task and not written_before:
        return Occasion.THANK_YOU
    if has_answer_to_fix(user=user, application=application, contact=contact, notes=notes):
        return Occasion.ANSWER_REPAIR
    return Occasion.TOPIC_FOLLOW_UP


# --- Drafts ---------------------------------------------------------------------------------


# What a row of a list of drafts (outreach/templatetags/draft_rows.py) reads: a list of them
# need not load every draft's full text, headers and send bookkeeping.
DRAFT_ROW_FIELDS = (
    "pk",
    "occasion",
    "subject",
    "body",
    "send_state",
    "send_error",
    "send_started_at",
    "updated_at",
    "application__role",
    "application__company__name",
    "contact__name",
    "contact__email",
)


def open_drafts_of(
    *,
    user: User,
    application: Application | None = None,
    contact: Contact | None = None,
    reminder: models.Model | None = None,
) -> QuerySet[Draft]:
    """The user's drafts not sent yet, last saved first; of one application, person or task.

    Open means anything but SENT: being written, failed, waiting for the user to check an
    uncertain send, or stuck while sending; the last two must stay in sight, never resent on
    their own. Reads only what a list row shows, in one query however many drafts there are.
    """
    drafts = (
        Draft.objects.filter(user=user)
        .exclude(send_state=Draft.SendState.SENT)
        .select_related("application__company", "contact")
        .order_by("-updated_at", "-pk")
    )
    if application is not None:
        drafts = drafts.filter(application=application)
    if contact is not None:
        drafts = drafts.filter(contact=contact)
    if reminder is not None:
        drafts = drafts.filter(reminder=reminder)
    return drafts


def _open_for(
    *,
    user: User,
    contact: Contact,
    application: Application | None,
    reminder: models.Model | None,
    interview: Interview | None,
) -> QuerySet[Draft]:
    """The open drafts ``draft_open_for`` picks the first of, last saved first."""
    drafts = open_drafts_of(user=user, contact=contact)
    if reminder is not None:
        return drafts.filter(reminder=reminder)
    if interview is not None:
        return drafts.filter(interview=interview)
    if application is not None:
        return drafts.filter(application=application)
    return drafts.filter(reminder__isnull=True, interview__isnull=True)


def draft_open_for(
    *,
    user: User,
    contact: Contact,
    application: Application | None = None,
    reminder: models.Model | None = None,
    interview: Interview | None = None,
) -> Draft | None:
    """The open draft to resume instead of starting a blank one, if any.

    1. A task resumes its own draft only: a draft carries out at most one task, and sending
       it is what marks that task done.
    2. Without a task, an interview resumes the draft to this person about that interview,
       whichever page started it (the interview's "Write thank-you" or the task's).
    3. Without either, the draft to this person for the application.

    ``reminder`` is the reminders task the draft carries out; this app only links to it.
    """
    return _open_for(
        user=user, contact=contact, application=application, reminder=reminder, interview=interview
    ).first()


def draft_open_key_for(
    *,
    user: User,
    contact: Contact,
    application: Application | None = None,
    reminder: models.Model | None = None,
    interview: Interview | None = None,
) -> tuple[int, str] | None:
    """The pk and template key of the draft ``draft_open_for`` would resume: all a page that
    only redirects to it needs, read by one hand-written query (``outreach.composer_query``)
    rather than the ORM's filtered ``_open_for``."""
    return composer_query.draft_open_key(
        user_id=user.pk,
        contact_id=contact.pk,
        application_id=None if application is None else application.pk,
        reminder_id=None if reminder is None else reminder.pk,
        interview_id=None if interview is None else interview.pk,
    )


# --- Calls ----------------------------------------------------------------------------------


def last_email_to(*, user: User, contact: Contact) -> Outreach | None:
    return (
        Outreach.objects.filter(
            user=user,
            contact=contact,
            direction=Outreach.Direction.OUTGOING,
            channel=Outreach.Channel.EMAIL,
        )
        .order_by("-occurred_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class TalkingPoints:
    topics: list[Note]
    skills: list[Note]
    questions: list[Note]
    answers_to_fix: list[Note]
    last_email: Outreach | None


def call_talking_points(
    *,
    user: User,
    application: Application | None,
    contact: Contact | None,
    interview: Interview | None = None,
    notes: list[Note] | None = None,
) -> TalkingPoints:
    """What to mention on a call to ``contact``, from the notes, and the email it follows.

    ``notes``: the application's notes about ``contact`` or about no one, oldest first, if
    the caller has read them already (see notes_for)."""
    notes = (
        notes_for(
            user=user, application=application, contact=contact, interview=interview, notes=notes
        )
        if application and contact
        else []
    )

    def of(kind: str) -> list[Note]:
        return [n for n in notes if n.kind == kind]

    return TalkingPoints(
        topics=of(Note.Kind.TOPIC),
        skills=of(Note.Kind.SKILL),
        questions=of(Note.Kind.QUESTION),
        answers_to_fix=of(Note.Kind.ANSWER_TO_FIX),
        last_email=last_email_to(user=user, contact=contact) if contact else None,
    )


def outreaches_for_export(*, user: User) -> QuerySet[Outreach]:
    """The user's whole timeline, oldest first, with what each row names, in one query."""
    return (
        Outreach.objects.filter(user=user)
        .select_related("application__company", "contact")
        .order_by("occurred_at", "pk")
    )
