"""Writes for calendar invitations: an imported event becomes an interview, and later
versions of the same event (by UID and SEQUENCE) move or cancel it.

Everything goes through the interview services (``interview_log``, ``interview_update``,
``interview_delete``), so the follow-up rules re-plan the reminders exactly as they do for an
interview typed in by hand. The ``Invitation`` row is claimed first, under the unique
(user, UID) constraint, so two imports of the same file at once make one interview.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from accounts.models import User
from interviews import selectors
from interviews.invitations import InvitationEvent
from interviews.models import Application, Contact, Interview, Invitation, Note
from interviews.note_text import InterviewerDraft, NoteDraft
from interviews.services import (
    application_create,
    interview_delete,
    interview_log,
    interview_update,
)

logger = logging.getLogger(__name__)

_VIDEO = re.compile(
    r"https?://|zoom\.us|meet\.google\.|teams\.microsoft\.|teams\.live\.|webex|whereby\.com",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\btel:|\bphone\b|\bcall\b", re.IGNORECASE)


class Outcome:
    IMPORTED = "imported"
    ALREADY = "already"
    UPDATED = "updated"
    CANCELLED = "cancelled"
    STALE = "stale"
    PENDING = "pending"
    GONE = "gone"
    IGNORED = "ignored"


@dataclass(frozen=True)
class InvitationResult:
    outcome: str
    message: str
    interview: Interview | None = None
    invitation: Invitation | None = None


def interview_format_guess(*, event: InvitationEvent) -> str:
    """Video when there is a meeting link, phone when it says so, on-site for a place."""
    where = f"{event.location}\n{event.description}"
    if _VIDEO.search(where):
        return Interview.Format.VIDEO
    if _PHONE.search(event.location) or _PHONE.search(event.summary):
        return Interview.Format.PHONE
    return Interview.Format.ONSITE if event.location else Interview.Format.VIDEO


def _contacts_by_email(*, user: User, emails: list[str]) -> dict[str, Contact]:
    """The user's contacts with these addresses (case ignored), the oldest one per address."""
    found: dict[str, Contact] = {}
    lowered = [email.lower() for email in emails]
    contacts = (
        Contact.objects.filter(user=user)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=lowered)
        .order_by("pk")
    )
    for contact in contacts:
        found.setdefault(contact.email_lower, contact)
    return found


def _interviewer_drafts(
    *, user: User, event: InvitationEvent, leave_out: set[int] = frozenset()
) -> list[InterviewerDraft]:
    """The organiser and the other attendees; someone already a contact is not made twice."""
    people = event.people(user_email=user.email)
    known = _contacts_by_email(user=user, emails=[person.email for person in people])
    drafts = []
    for person in people:
        contact = known.get(person.email.lower())
        if contact is not None:
            if contact.pk not in leave_out:
                drafts.append(InterviewerDraft(contact=contact))
        else:
            drafts.append(InterviewerDraft(name=person.display_name[:200], email=person.email))
    return drafts


def _notes(*, event: InvitationEvent) -> list[NoteDraft]:
    if not (event.summary or event.description):
        return []
    text = f"From the invitation “{event.summary}”" if event.summary else "From the invitation"
    if event.description:
        text = f"{text}:\n{event.description}"
    return [NoteDraft(kind=Note.Kind.OTHER, text=text[:5000])]


def _claim(*, user: User, event: InvitationEvent) -> tuple[Invitation, bool]:
    """The invitation row for this UID, locked; True if this call created it.

    The insert comes first: a concurrent import of the same UID waits on it and then finds
    the row, instead of both creating an interview.
    """
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                user=user,
                uid=event.uid,
                sequence=event.sequence,
                state=Invitation.State.IMPORTED,
                summary=event.summary,
                starts_at=event.starts_at,
            )
            return invitation, True
    except IntegrityError:
        return Invitation.objects.select_for_update().get(user=user, uid=event.uid), False


def _record(invitation: Invitation, *, event: InvitationEvent, **fields: object) -> None:
    invitation.sequence = max(invitation.sequence, event.sequence)
    invitation.summary = event.summary
    invitation.starts_at = event.starts_at
    for name, value in fields.items():
        setattr(invitation, name, value)
    invitation.save()


def _change(*, invitation: Invitation, event: InvitationEvent) -> InvitationResult:
    """Apply a later version of an invitation already known (the row is locked).

    An older SEQUENCE changes nothing; the same one is the same invitation again (a
    cancellation may carry the same number as the request it cancels). A higher one moves
    the interview, or a cancellation deletes it with its reminders.
    """
    state = Invitation.State
    newer = event.sequence > invitation.sequence
    cancels = event.cancelled and event.sequence >= invitation.sequence
    if invitation.state == state.CANCELLED:
        return InvitationResult(
            Outcome.STALE,
            "This interview was cancelled by a later version of the invitation; nothing changed.",
            invitation=invitation,
        )
    if not (newer or cancels):
        if event.sequence < invitation.sequence:
            message = "This is an older version of an invitation you already have; nothing changed."
            outcome = Outcome.STALE
        else:
            message = "You imported this invitation already; nothing changed."
            outcome = Outcome.ALREADY
        return InvitationResult(outcome, message, invitation.interview, invitation)
    if invitation.state == state.PENDING:
        if cancels:
            _record(invitation, event=event, state=state.CANCELLED, calendar="")
            return InvitationResult(
                Outcome.CANCELLED,
                "The invitation was cancelled before you confirmed it.",
                invitation=invitation,
            )
        _record(invitation, event=event, calendar=event.calendar_text)
        return InvitationResult(
            Outcome.PENDING, "The invitation waiting for you was updated.", invitation=invitation
        )
    interview = invitation.interview
    if interview is None:
        _record(invitation, event=event)
        return InvitationResult(
            Outcome.GONE,
            "You deleted the interview of this invitation, so the change was not applied.",
            invitation=invitation,
        )
    if cancels:
        interview_delete(interview=interview)
        _record(invitation, event=event, state=state.CANCELLED, interview=None)
        return InvitationResult(
            Outcome.CANCELLED,
            "The interview was cancelled: it is deleted, and so are its reminders.",
            invitation=invitation,
        )
    current = list(interview.interviewers.all())
    interview_update(
        interview=interview,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone_name=event.timezone_name,
        format=interview.format,
        location=event.location or interview.location,
        interviewers=[InterviewerDraft(contact=contact) for contact in current]
        + _interviewer_drafts(
            user=invitation.user, event=event, leave_out={contact.pk for contact in current}
        ),
    )
    _record(invitation, event=event)
    return InvitationResult(
        Outcome.UPDATED,
        "The interview was moved to the invitation's new time; its reminders follow.",
        interview,
        invitation,
    )


@transaction.atomic
def invitation_import(
    *,
    user: User,
    event: InvitationEvent,
    application: Application | None = None,
    company_name: str = "",
    role: str = "",
) -> InvitationResult:
    """Import an invitation the user confirmed, for ``application`` or a new one.

    1. Claim the UID. If it was known, this is a later (or the same) version: apply it.
    2. A cancellation of an event never imported is refused.
    3. Create the application if asked, then log the interview with the organiser and the
       other attendees as interviewers, so the follow-up rules plan its reminders.
    """
    invitation, created = _claim(user=user, event=event)
    if not created and invitation.state != Invitation.State.PENDING:
        return _change(invitation=invitation, event=event)
    if not created and event.sequence < invitation.sequence:
        raise ValidationError(
            "A newer version of this invitation is waiting for you under “Forwarded "
            "invitations”: review that one instead."
        )
    if event.cancelled:
        raise ValidationError(
            "This invitation cancels an event that is not in Followup: there is nothing to cancel."
        )
    if application is None:
        if not (company_name.strip() and role.strip()):
            raise ValidationError("Pick an application, or give the company and the role.")
        application = application_create(user=user, company_name=company_name, role=role)
    elif application.user_id != user.pk:
        raise ValidationError("That application is not one of yours.")
    interview = interview_log(
        user=user,
        application=application,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone_name=event.timezone_name,
        format=interview_format_guess(event=event),
        location=event.location,
        interviewers=_interviewer_drafts(user=user, event=event),
        notes=_notes(event=event),
    )
    _record(
        invitation, event=event, state=Invitation.State.IMPORTED, interview=interview, calendar=""
    )
    return InvitationResult(
        Outcome.IMPORTED,
        "Interview imported from the invitation. We will remind you to thank each interviewer.",
        interview,
        invitation,
    )


@transaction.atomic
def invitation_apply_known(*, user: User, event: InvitationEvent) -> InvitationResult | None:
    """Apply an invitation whose UID is already known; None when it is new.

    One still waiting for the user counts as new (they are about to confirm it), unless
    this is its cancellation.
    """
    invitation = Invitation.objects.select_for_update().filter(user=user, uid=event.uid).first()
    if invitation is None:
        return None
    if invitation.state == Invitation.State.PENDING and not event.cancelled:
        return None
    return _change(invitation=invitation, event=event)


@transaction.atomic
def invitation_receive(*, user: User, event: InvitationEvent) -> InvitationResult:
    """An invitation the user forwarded by email: apply it, import it, or keep it waiting.

    A known UID is a change and is applied. A new one is imported straight away only when
    exactly one open application matches it; otherwise it waits for the user to pick one.
    """
    known = invitation_apply_known(user=user, event=event)
    if known is not None:
        return known
    if event.cancelled:
        return InvitationResult(Outcome.IGNORED, "A cancellation of an unknown event.")
    waiting = (
        Invitation.objects.select_for_update()
        .filter(user=user, uid=event.uid, state=Invitation.State.PENDING)
        .first()
    )
    if waiting is not None and event.sequence <= waiting.sequence:
        # The same forwarded twice, or an older copy: the one waiting stays as it is.
        return _change(invitation=waiting, event=event)
    match = selectors.invitation_match(user=user, event=event)
    open_applications = [a for a in match.applications if a.is_open]
    if len(open_applications) == 1 and event.events_in_file == 1:
        return invitation_import(user=user, event=event, application=open_applications[0])
    invitation, _ = _claim(user=user, event=event)
    _record(invitation, event=event, state=Invitation.State.PENDING, calendar=event.calendar_text)
    return InvitationResult(
        Outcome.PENDING,
        "The invitation waits for you to pick its application.",
        invitation=invitation,
    )


@transaction.atomic
def invitation_dismiss(*, invitation: Invitation) -> None:
    """Drop a forwarded invitation the user does not want as an interview."""
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError("Only an invitation waiting for you can be dismissed.")
    invitation.delete()
