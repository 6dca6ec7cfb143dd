"""Writes for the interviews app: applications, interviews, interviewers and notes.

Every function that changes something a follow-up depends on (an interview, its interviewers
or notes, an application's stage) re-applies the follow-up rules for the application inside
the same transaction, so reminders never disagree with what the user recorded. The drafts
they record (``NoteDraft``, ``InterviewerDraft``) are built by ``interviews.note_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from interviews.models import (
    INTERVIEW_YEARS,
    Application,
    Company,
    Contact,
    Interview,
    Note,
)
from interviews.names import NameParts, name_parts_complete, name_parts_refresh
from interviews.note_text import InterviewerDraft, NoteDraft
from interviews.replan import application_replan
from interviews.selectors import ImportRow
from interviews.vcards import ContactCard

# --- Companies ------------------------------------------------------------------------------


def company_get_or_create(*, user: User, name: str) -> Company:
    """The user's company with this name, ignoring case; created on first use."""
    name = " ".join(name.split())
    company = Company.objects.filter(user=user, name__iexact=name).first()
    if company is not None:
        return company
    try:
        # A savepoint, so that losing the race to a concurrent insert leaves the outer
        # transaction usable and we can read the row the other request created.
        with transaction.atomic():
            return Company.objects.create(user=user, name=name)
    except IntegrityError:
        return Company.objects.get(user=user, name__iexact=name)


# --- Applications ---------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    user: User,
    company_name: str,
    role: str,
    posting_url: str = "",
    stage: str = Application.Stage.APPLIED,
    applied_on: date | None = None,
    notes: str = "",
) -> Application:
    if stage == Application.Stage.CLOSED:
        raise ValidationError("A new application cannot start closed.")
    application = Application.objects.create(
        user=user,
        company=company_get_or_create(user=user, name=company_name),
        role=role,
        posting_url=posting_url,
        stage=stage,
        applied_on=applied_on,
        notes=notes,
    )
    application_replan(application_id=application.pk)
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    company_name: str,
    role: str,
    posting_url: str,
    applied_on: date | None,
    stage: str | None = None,
    notes: str | None = None,
) -> Application:
    """Change the details; ``stage`` (an open stage) is only changed while the application is
    open. Closing and reopening have their own functions because they carry a reason.
    ``notes`` left out (None) stay as they were."""
    application.company = company_get_or_create(user=application.user, name=company_name)
    application.role = role
    application.posting_url = posting_url
    application.applied_on = applied_on
    if notes is not None:
        application.notes = notes
    if stage is not None and application.is_open:
        if stage == Application.Stage.CLOSED:
            raise ValidationError("Use application_close to close an application.")
        application.stage = stage
    application.save()
    application_replan(application_id=application.pk)
    return application


@transaction.atomic
def application_close(*, application: Application, reason: str) -> Application:
    """Close with a reason; the rules engine then cancels the application's pending tasks."""
    if reason not in Application.ClosedReason.values:
        raise ValidationError(f"{reason!r} is not a reason for closing.")
    application.stage = Application.Stage.CLOSED
    application.closed_reason = reason
    application.closed_at = timezone.now()
    application.save(update_fields=["stage", "closed_reason", "closed_at", "updated_at"])
    application_replan(application_id=application.pk)
    return application


@transaction.atomic
def application_reopen(*, application: Application, stage: str) -> Application:
    if stage == Application.Stage.CLOSED or stage not in Application.Stage.values:
        raise ValidationError(f"{stage!r} is not a stage an application can be reopened in.")
    application.stage = stage
    application.closed_reason = ""
    application.closed_at = None
    application.save(update_fields=["stage", "closed_reason", "closed_at", "updated_at"])
    application_replan(application_id=application.pk)
    return application


@transaction.atomic
def application_stage_set(
    *, application: Application, stage: str, closed_reason: str = ""
) -> Application:
    """Move an application to ``stage`` from the board, keeping the rules of each move.

    1. Closing needs a reason and goes through :func:`application_close` (its pending tasks
       are cancelled); a closed application is not closed again.
    2. An open stage for a closed application reopens it (:func:`application_reopen`: the
       rules re-plan, and nothing already sent or past is replayed).
    3. Between open stages the stage changes and the rules re-plan; the same stage is a
       no-op, so a card dropped back where it was changes nothing.
    """
    if stage not in Application.Stage.values:
        raise ValidationError(f"{stage!r} is not a stage.")
    if stage == Application.Stage.CLOSED:
        if not application.is_open:
            raise ValidationError("This application is already closed.")
        return application_close(application=application, reason=closed_reason)
    if not application.is_open:
        return application_reopen(application=application, stage=stage)
    if application.stage == stage:
        return application
    application.stage = stage
    application.save(update_fields=["stage", "updated_at"])
    application_replan(application_id=application.pk)
    return application


@transaction.atomic
def application_delete(*, application: Application) -> None:
    # Its interviews, notes and reminders go with it (CASCADE); the company and the
    # contacts stay, since they may matter for other applications.
    application.delete()


# --- Interviews -----------------------------------------------------------------------------


def _contact_for_interviewer(
    *, user: User, company: Company, interviewer: InterviewerDraft
) -> Contact:
    if interviewer.contact is not None:
        contact = interviewer.contact
        if contact.user_id != user.pk:
            raise ValidationError("That contact is not one of yours.")
        if interviewer.name_parts is not None or interviewer.salutation_style:
            _contact_greeting_set(
                contact=contact,
                name_parts=interviewer.name_parts,
                salutation_style=interviewer.salutation_style,
            )
        return contact
    name = " ".join(interviewer.name.split())
    if not name:
        raise ValidationError("A new interviewer needs a name.")
    return Contact.objects.create(
        user=user,
        company=company,
        name=name,
        **_name_fields(
            name_parts_complete(parts=interviewer.name_parts or NameParts(), name=name),
            salutation_style=interviewer.salutation_style,
        ),
        job_title=interviewer.job_title.strip(),
        email=interviewer.email.strip(),
        phone=interviewer.phone.strip(),
    )


def _contact_greeting_set(
    *, contact: Contact, name_parts: NameParts | None, salutation_style: str
) -> None:
    """Save how to greet someone already known, as corrected on an interviewer card."""
    parts = contact.name_parts
    if name_parts is not None:
        parts = name_parts_refresh(
            old=parts, old_name=contact.name, new=name_parts, new_name=contact.name
        )
    fields = _name_fields(parts, salutation_style=salutation_style or contact.salutation_style)
    if any(getattr(contact, field) != value for field, value in fields.items()):
        for field, value in fields.items():
            setattr(contact, field, value)
        contact.save(update_fields=list(fields))


def _notes_create(
    *, interview: Interview, contact: Contact | None, notes: Sequence[NoteDraft]
) -> None:
    Note.objects.bulk_create(
        Note(
            interview=interview,
            contact=contact,
            kind=draft.kind,
            text=draft.text,
            link=draft.link,
            follow_up_not_before=draft.follow_up_not_before,
            **_answer_fields(kind=draft.kind, question=draft.question, answer=draft.better_answer),
        )
        for draft in notes
    )


def _answer_fields(*, kind: str, question: str, answer: str) -> dict[str, str]:
    """The question and the better answer, which only an answer to fix may have."""
    question, answer = " ".join(question.split()), answer.strip()
    if (question or answer) and kind != Note.Kind.ANSWER_TO_FIX:
        raise ValidationError("Only an answer to fix has a question and what you would say now.")
    return {"question": question, "better_answer": answer}


def _interviewers_record(
    *,
    interview: Interview,
    interviewers: Sequence[InterviewerDraft],
    notes: Sequence[NoteDraft],
) -> None:
    """Resolve or create each interviewer, attach them, and add every new note."""
    application = interview.application
    contacts = []
    for interviewer in interviewers:
        contact = _contact_for_interviewer(
            user=application.user, company=application.company, interviewer=interviewer
        )
        if contact not in contacts:
            contacts.append(contact)
        _notes_create(interview=interview, contact=contact, notes=interviewer.notes)
    interview.interviewers.set(contacts)
    _notes_create(interview=interview, contact=None, notes=notes)


_BEFORE_INTERVIEWS = (Application.Stage.APPLIED, Application.Stage.SCREENING)


def applications_reach_interviewing(*, now: datetime) -> int:
    """Move to "interviewing" the applications still before it whose interview has started.

    An interview logged ahead of time leaves the stage alone until it happens; beat calls this
    every minute. Returns how many applications moved.
    """
    started = Interview.objects.filter(starts_at__lte=now).values("application_id")
    return Application.objects.filter(pk__in=started, stage__in=_BEFORE_INTERVIEWS).update(
        stage=Application.Stage.INTERVIEWING, updated_at=now
    )


def _interview_times_check(*, starts_at: datetime, ends_at: datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError("Interview times must carry their time zone.")
    if ends_at <= starts_at:
        raise ValidationError("An interview has to end after it starts.")
    first, last = INTERVIEW_YEARS
    if not (first <= starts_at.year <= last and first <= ends_at.year <= last):
        raise ValidationError(f"An interview date has to be between {first} and {last}.")


@transaction.atomic
def interview_log(
    *,
    user: User,
    application: Application,
    starts_at: datetime,
    ends_at: datetime,
    timezone_name: str,
    format: str = Interview.Format.VIDEO,
    location: str = "",
    interviewers: Sequence[InterviewerDraft] = (),
    notes: Sequence[NoteDraft] = (),
) -> Interview:
    """Record an interview that happened (or is about to), with its interviewers and notes.

    1. Check that the application is the user's and the times make sense.
    2. Create the interview; an application still at "applied" or "screening" moves on to
       "interviewing", since that is now true.
    3. Attach each interviewer (an existing contact of the user, or a new contact at the
       application's company) and the notes about them; ``notes`` are about no one person.
    4. Re-apply the follow-up rules, in the same transaction.
    """
    if application.user_id != user.pk:
        raise ValidationError("That application is not one of yours.")
    _interview_times_check(starts_at=starts_at, ends_at=ends_at)
    interview = Interview.objects.create(
        application=application,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone_name,
        format=format,
        location=location,
    )
    _interviewers_record(interview=interview, interviewers=interviewers, notes=notes)
    # An interview still ahead moves the stage when it starts (applications_reach_interviewing).
    if starts_at <= timezone.now() and application.stage in _BEFORE_INTERVIEWS:
        application.stage = Application.Stage.INTERVIEWING
    # Saving bumps updated_at, which orders the dashboard by recent activity.
    application.save(update_fields=["stage", "updated_at"])
    application_replan(application_id=application.pk)
    return interview


@transaction.atomic
def interview_update(
    *,
    interview: Interview,
    starts_at: datetime,
    ends_at: datetime,
    timezone_name: str,
    format: str,
    location: str,
    interviewers: Sequence[InterviewerDraft],
    notes: Sequence[NoteDraft] = (),
) -> Interview:
    """Change when and how, set who the interviewers were, and add new notes.

    Existing notes are kept (they are edited one by one); an interviewer taken off the
    interview keeps the notes already written about them.
    """
    _interview_times_check(starts_at=starts_at, ends_at=ends_at)
    interview.starts_at = starts_at
    interview.ends_at = ends_at
    interview.timezone = timezone_name
    interview.format = format
    interview.location = location
    interview.save()
    _interviewers_record(interview=interview, interviewers=interviewers, notes=notes)
    interview.application.save(update_fields=["updated_at"])
    application_replan(application_id=interview.application.pk)
    return interview


@transaction.atomic
def interview_delete(*, interview: Interview) -> None:
    application = interview.application
    interview.delete()
    application_replan(application_id=application.pk)


# --- Notes ----------------------------------------------------------------------------------


@transaction.atomic
def note_update(
    *,
    note: Note,
    kind: str,
    text: str,
    link: str = "",
    follow_up_not_before: date | None = None,
    contact: Contact | None = None,
    question: str = "",
    better_answer: str = "",
) -> Note:
    """Change a note. ``question`` and ``better_answer`` are for an answer to fix only: the
    question they asked and what the user would say now, which the repair email is made of."""
    application = note.interview.application
    if contact is not None and contact.user_id != application.user_id:
        raise ValidationError("That contact is not one of yours.")
    answer = _answer_fields(kind=kind, question=question, answer=better_answer)
    note.kind = kind
    note.text = text
    note.link = link
    note.follow_up_not_before = follow_up_not_before
    note.contact = contact
    note.question = answer["question"]
    note.better_answer = answer["better_answer"]
    note.save()
    application_replan(application_id=application.pk)
    return note


@transaction.atomic
def note_delete(*, note: Note) -> None:
    application = note.interview.application
    note.delete()
    application_replan(application_id=application.pk)


# --- Contacts -------------------------------------------------------------------------------


def _name_fields(parts: NameParts, *, salutation_style: str) -> dict[str, str]:
    """The contact's columns for the parts of its name and the way to greet them."""
    style = salutation_style or Contact.SalutationStyle.FIRST_NAME
    if style not in Contact.SalutationStyle.values:
        raise ValidationError(f"{style!r} is not a way of greeting someone.")
    return {
        "honorific": parts.honorific,
        "given_name": parts.given_name,
        "family_name": parts.family_name,
        "greeting_name": parts.greeting_name,
        "salutation_style": style,
    }


@transaction.atomic
def contact_create(
    *,
    user: User,
    name: str,
    honorific: str = "",
    given_name: str = "",
    family_name: str = "",
    greeting_name: str = "",
    salutation_style: str = Contact.SalutationStyle.FIRST_NAME,
    company_name: str = "",
    job_title: str = "",
    email: str = "",
    phone: str = "",
    profile_url: str = "",
    interests: str = "",
    notes: str = "",
) -> Contact:
    """Add a person. Parts of their name left blank are worked out from ``name``."""
    company = company_get_or_create(user=user, name=company_name) if company_name.strip() else None
    typed = NameParts(
        honorific=honorific,
        given_name=given_name,
        family_name=family_name,
        greeting_name=greeting_name,
    )
    return Contact.objects.create(
        user=user,
        company=company,
        name=name,
        **_name_fields(
            name_parts_complete(parts=typed, name=name), salutation_style=salutation_style
        ),
        job_title=job_title,
        email=email,
        phone=phone,
        profile_url=profile_url,
        interests=interests,
        notes=notes,
    )


def _applications_of_contact(*, contact: Contact) -> list[Application]:
    return list(
        Application.objects.filter(user=contact.user_id)
        .filter(Q(interviews__interviewers=contact) | Q(interviews__notes__contact=contact))
        .distinct()
    )


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    name: str,
    honorific: str | None = None,
    given_name: str | None = None,
    family_name: str | None = None,
    greeting_name: str | None = None,
    salutation_style: str | None = None,
    company_name: str = "",
    job_title: str = "",
    email: str = "",
    phone: str = "",
    profile_url: str = "",
    interests: str = "",
    notes: str = "",
) -> Contact:
    """Change a person's details.

    The parts of the name are as typed, blanks included; a part that is not passed (None) is
    left as it was. Either way, parts that were following the full name follow a new one
    (``interviews.names.name_parts_refresh``), so retyping the name box alone keeps them right.
    """
    contact.company = (
        company_get_or_create(user=contact.user, name=company_name)
        if company_name.strip()
        else None
    )
    old = contact.name_parts
    typed = NameParts(
        honorific=old.honorific if honorific is None else honorific,
        given_name=old.given_name if given_name is None else given_name,
        family_name=old.family_name if family_name is None else family_name,
        greeting_name=old.greeting_name if greeting_name is None else greeting_name,
    )
    parts = name_parts_refresh(old=old, old_name=contact.name, new=typed, new_name=name)
    for field, value in _name_fields(
        parts, salutation_style=salutation_style or contact.salutation_style
    ).items():
        setattr(contact, field, value)
    contact.name = name
    contact.job_title = job_title
    contact.email = email
    contact.phone = phone
    contact.profile_url = profile_url
    contact.interests = interests
    contact.notes = notes
    contact.save()
    # A new email address or name changes what a follow-up to them looks like.
    for application in _applications_of_contact(contact=contact):
        application_replan(application_id=application.pk)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Delete the person; notes about them stay on their interviews, about no one."""
    applications = _applications_of_contact(contact=contact)
    contact.delete()
    for application in applications:
        application_replan(application_id=application.pk)


# Contact fields an import may fill in on a known contact when they are blank there.
_FILLABLE = ("job_title", "phone", "profile_url", "interests", "notes")


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    filled: int = 0
    kept: int = 0


def contact_fill_blanks(*, contact: Contact, card: ContactCard) -> bool:
    """Give a known contact the details it lacks from a card; what it has stays. Returns
    whether anything changed. Name and email stay as they are: the email is how the card was
    matched, and the name may have been corrected by the user."""
    changed = []
    for field in _FILLABLE:
        value = getattr(card, field)
        if value and not getattr(contact, field):
            setattr(contact, field, value)
            changed.append(field)
    if contact.company_id is None and card.company_name.strip():
        contact.company = company_get_or_create(user=contact.user, name=card.company_name)
        changed.append("company")
    if changed:
        contact.save(update_fields=changed)
    return bool(changed)


@transaction.atomic
def contacts_import(*, user: User, rows: Sequence[ImportRow], fill: set[int]) -> ImportResult:
    """Create the new people of a vCard import and fill in (or keep) the known ones.

    ``rows`` come from ``selectors.contact_import_plan``; ``fill`` holds the indexes of the
    known contacts to fill in from their card. All or nothing: one failure undoes the lot.
    """
    created = filled = kept = 0
    for index, row in enumerate(rows):
        if row.existing is not None:
            if row.existing.user_id != user.pk:
                raise ValidationError("That contact is not one of yours.")
            if index in fill and contact_fill_blanks(contact=row.existing, card=row.card):
                filled += 1
            else:
                kept += 1
            continue
        details = row.card.as_dict()
        details["salutation_style"] = details["salutation_style"] or (
            Contact.SalutationStyle.FIRST_NAME
        )
        contact_create(user=user, **details)
        created += 1
    return ImportResult(created=created, filled=filled, kept=kept)
