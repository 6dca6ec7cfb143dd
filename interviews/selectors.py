"""Reads for the interviews app. Every function is scoped to one user's rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from interviews.invitations import InvitationEvent
from interviews.models import (
    Application,
    Company,
    Contact,
    Interview,
    Invitation,
    Note,
    SpreadsheetImport,
)
from interviews.spreadsheet import TARGETS
from interviews.vcards import ContactCard, card_fill_from


@dataclass
class NoteGroup:
    """The notes of one kind, in the order they were written."""

    kind: str
    label: str
    notes: list[Note] = field(default_factory=list)


@dataclass
class InterviewerNotes:
    """One interviewer of an interview and the notes about them, grouped by kind."""

    contact: Contact
    groups: list[NoteGroup]


@dataclass
class InterviewSummary:
    interview: Interview
    interviewers: list[InterviewerNotes]
    # Notes about no one in particular, or about someone no longer on the interview.
    other_groups: list[NoteGroup]


def notes_group_by_kind(*, notes: list[Note]) -> list[NoteGroup]:
    """Group notes by kind in the order of ``Note.Kind``, leaving out empty kinds."""
    groups = {kind: NoteGroup(kind=kind, label=label) for kind, label in Note.Kind.choices}
    for note in notes:
        groups[note.kind].notes.append(note)
    return [group for group in groups.values() if group.notes]


# --- Applications ---------------------------------------------------------------------------


def application_list_for_dashboard(*, user: User, now: datetime | None = None) -> QuerySet:
    """The user's applications, open ones first, then most recently active.

    Each row carries ``last_interview_at`` (the latest interview that has started) and
    ``next_interview_at`` (the earliest one still to come), computed in the same query.
    """
    now = now or timezone.now()
    return (
        Application.objects.filter(user=user)
        .select_related("company")
        .annotate(
            last_interview_at=Max(
                "interviews__starts_at", filter=Q(interviews__starts_at__lte=now)
            ),
            next_interview_at=Min("interviews__starts_at", filter=Q(interviews__starts_at__gt=now)),
            interview_count=Count("interviews"),
            closed_last=Case(
                When(stage=Application.Stage.CLOSED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("closed_last", "-updated_at", "-pk")
    )


def application_get(*, user: User, pk: int) -> Application:
    """The user's application, or 404: another user's id is indistinguishable from none."""
    return get_object_or_404(Application.objects.select_related("company"), pk=pk, user=user)


# What interviews/note_html.py shows of a note (without its source line).
_SHOWN_NOTE_FIELDS = (
    "interview_id",
    "contact_id",
    "kind",
    "text",
    "link",
    "follow_up_not_before",
    "question",
    "better_answer",
)


def interview_summarize(
    *, interview: Interview, interviewers: list[Contact] | None = None
) -> InterviewSummary:
    """Group an interview's (prefetched) notes per interviewer and kind; its interviewers are
    ``interviewers`` if given, else its (prefetched) ones."""
    if interviewers is None:
        interviewers = list(interview.interviewers.all())
    return interview_summary(
        interview=interview, interviewers=interviewers, notes=list(interview.notes.all())
    )


def interview_summary(
    *, interview: Interview, interviewers: Sequence[Contact], notes: Sequence[Note]
) -> InterviewSummary:
    """Group an interview's notes, oldest first, per interviewer and kind: a note about no
    one, or about someone no longer on the interview, goes with the interview's own."""
    by_contact: dict[int, list[Note]] = {contact.pk: [] for contact in interviewers}
    others = []
    for note in notes:
        if note.contact_id in by_contact:
            by_contact[note.contact_id].append(note)
        else:
            others.append(note)
    return InterviewSummary(
        interview=interview,
        interviewers=[
            InterviewerNotes(
                contact=contact, groups=notes_group_by_kind(notes=by_contact[contact.pk])
            )
            for contact in interviewers
        ],
        other_groups=notes_group_by_kind(notes=others),
    )


# --- Interviews and notes -------------------------------------------------------------------


def interview_get(*, user: User, pk: int) -> Interview:
    return get_object_or_404(
        Interview.objects.select_related("application__company").prefetch_related(
            Prefetch("interviewers", queryset=Contact.objects.order_by("name", "pk")),
            Prefetch("notes", queryset=Note.objects.select_related("contact")),
        ),
        pk=pk,
        application__user=user,
    )


def note_get(*, user: User, pk: int) -> Note:
    return get_object_or_404(
        Note.objects.select_related("interview__application__company", "contact"),
        pk=pk,
        interview__application__user=user,
    )


# --- Contacts -------------------------------------------------------------------------------


def contact_list(*, user: User) -> QuerySet:
    return (
        Contact.objects.filter(user=user)
        .select_related("company")
        .annotate(interview_count=Count("interviews", distinct=True))
        .order_by("name", "pk")
    )


def contacts_of(*, user: User) -> QuerySet[Contact]:
    """The user's contacts in the list page's order, without figures: counting them for the
    pager reads the contacts alone. One page's rows, with the figures, come from
    :func:`interviews.list_query.contact_list_rows`."""
    return Contact.objects.filter(user=user).order_by("name", "pk")


def contact_get(*, user: User, pk: int) -> Contact:
    return get_object_or_404(Contact.objects.select_related("company"), pk=pk, user=user)


def contact_choices(
    *, user: User, company: Company | None = None, interview: Interview | None = None
) -> QuerySet:
    """Contacts to pick from: the company's people, or all of the user's.

    With ``interview``, its interviewers are offered too (someone from another company may
    have sat in), each contact marked ``is_interviewer``: the edit form reads the people it
    offers and the ones it shows on its cards in one query."""
    contacts = Contact.objects.filter(user=user)
    if interview is not None:
        sat_in = Interview.interviewers.through.objects.filter(
            interview=interview, contact=OuterRef("pk")
        )
        contacts = contacts.annotate(is_interviewer=Exists(sat_in))
        if company is not None:
            contacts = contacts.filter(Q(company=company) | Q(is_interviewer=True))
    elif company is not None:
        contacts = contacts.filter(company=company)
    return contacts.order_by("name", "pk")


def notes_about(*, user_id: int, application_id: int, contact_id: int | None) -> QuerySet[Note]:
    """Notes of the application's interviews about this person, or about no one in particular.

    Notes about another interviewer belong to that person's follow-ups; without a contact,
    every note of the application counts.
    """
    notes = Note.objects.filter(
        interview__application_id=application_id, interview__application__user_id=user_id
    )
    if contact_id is not None:
        notes = notes.filter(Q(contact_id=contact_id) | Q(contact__isnull=True))
    return notes


# --- Invitations ----------------------------------------------------------------------------

# Addresses at these domains say nothing about the company a person works for.
_PERSONAL_MAIL_DOMAINS = frozenset(
    {
        "aol.com", "gmail.com", "googlemail.com", "gmx.de", "gmx.net", "hotmail.com",
        "icloud.com", "live.com", "mac.com", "me.com", "msn.com", "outlook.com",
        "proton.me", "protonmail.com", "web.de", "yahoo.com",
    }
)  # fmt: skip
_DOMAIN_NOISE = frozenset({"www", "mail", "email", "corp", "co", "com", "calendar", "group"})
_LEGAL_SUFFIXES = re.compile(
    r"\b(inc|llc|ltd|limited|gmbh|ag|se|sa|sas|bv|nv|plc|corp|corporation|co|company)\b\.?",
    re.IGNORECASE,
)
_COMPANY_IN_SUMMARY = re.compile(
    r"\b(?:interview|call|chat|meeting|conversation)\s+(?:with|at)\s+(?P<name>[^-\u2013|:(]+)",
    re.IGNORECASE,
)
_ROLE_IN_SUMMARY = re.compile(r"\bfor\s+(?:the\s+)?(?P<role>.+?)\s+(?:role|position)\b", re.I)


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _company_keys(name: str) -> set[str]:
    """ "Acme Robotics GmbH" -> {"acmeroboticsgmbh", "acmerobotics"}: how a domain spells it."""
    keys = {_compact(name), _compact(_LEGAL_SUFFIXES.sub("", name))}
    return {key for key in keys if len(key) >= 2}


def _domain_keys(domain: str) -> set[str]:
    """ "jobs.acme-robotics.co.uk" -> {"jobs", "acmerobotics"}, without the TLD and noise."""
    labels = domain.lower().split(".")[:-1]
    return {_compact(label) for label in labels if label not in _DOMAIN_NOISE and label}


@dataclass
class InvitationMatch:
    """Applications an invitation may belong to, best first, and a company for a new one."""

    applications: list[Application]
    company_name: str
    role: str


def invitation_match(*, user: User, event: InvitationEvent) -> InvitationMatch:
    """Match by company: the people's email domains, or the company named in the summary.

    Personal mail domains (gmail.com and the like) say nothing and are skipped. Two queries
    whatever the number of companies and applications.
    """
    domains = {
        person.domain
        for person in event.people(user_email=user.email)
        if person.domain not in _PERSONAL_MAIL_DOMAINS
    }
    domain_keys = set().union(*(_domain_keys(domain) for domain in domains)) if domains else set()
    summary = f" {_compact_spaces(event.summary.lower())} "
    matched = []
    for company in Company.objects.filter(user=user).only("pk", "name"):
        keys = _company_keys(company.name)
        in_summary = any(
            f" {_compact_spaces(variant.lower())} " in summary
            for variant in (company.name, _LEGAL_SUFFIXES.sub("", company.name))
            if variant.strip()
        )
        if keys & domain_keys or in_summary:
            matched.append(company.pk)
    applications = (
        list(
            Application.objects.filter(user=user, company__in=matched)
            .select_related("company")
            .annotate(
                closed_last=Case(
                    When(stage=Application.Stage.CLOSED, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("closed_last", "-updated_at", "-pk")
        )
        if matched
        else []
    )
    return InvitationMatch(
        applications=applications,
        company_name=_company_guess(event=event, user=user, domains=domains),
        role=_role_guess(event=event),
    )


def _compact_spaces(text: str) -> str:
    return " ".join(re.sub(r"[^\w&]+", " ", text).split())


def _company_guess(*, event: InvitationEvent, user: User, domains: set[str]) -> str:
    names = {person.display_name.lower() for person in event.people(user_email=user.email)}
    found = _COMPANY_IN_SUMMARY.search(event.summary)
    if found:
        name = " ".join(found.group("name").split()).strip(" ,.")
        if name and name.lower() not in names:
            return name[:200]
    for domain in sorted(domains):
        keys = [label for label in domain.split(".")[:-1] if label not in _DOMAIN_NOISE]
        if keys:
            return " ".join(word.capitalize() for word in re.split(r"[-_]+", keys[-1]) if word)
    return ""


def _role_guess(*, event: InvitationEvent) -> str:
    found = _ROLE_IN_SUMMARY.search(event.summary)
    return " ".join(found.group("role").split())[:200] if found else ""


def invitations_waiting(*, user: User) -> QuerySet:
    """Forwarded invitations that matched no single application, newest first."""
    return Invitation.objects.filter(user=user, state=Invitation.State.PENDING).order_by(
        "-received_at", "-pk"
    )


def invitation_waiting_get(*, user: User, pk: int) -> Invitation:
    return get_object_or_404(Invitation, pk=pk, user=user, state=Invitation.State.PENDING)


# --- Contacts from vCards -------------------------------------------------------------------


@dataclass
class ImportRow:
    """One person of a vCard import: the card, and the contact of the user that has its
    email address (None: a new contact). ``combined`` counts further cards in the file with
    the same address, whose details were folded into this one."""

    card: ContactCard
    existing: Contact | None = None
    combined: int = 0


def contact_import_plan(*, user: User, cards: Sequence[ContactCard]) -> list[ImportRow]:
    """What importing these cards would do, matched by email address (ignoring case).

    A card whose address is already one of the user's contacts is matched to the oldest such
    contact; cards of one file sharing an address are one person, filled in from each other.
    """
    rows: list[ImportRow] = []
    by_email: dict[str, ImportRow] = {}
    for card in cards:
        key = card.email.lower()
        if key and key in by_email:
            row = by_email[key]
            row.card = card_fill_from(row.card, card)
            row.combined += 1
            continue
        row = ImportRow(card=card)
        rows.append(row)
        if key:
            by_email[key] = row
    if by_email:
        known = (
            Contact.objects.filter(user=user)
            .annotate(email_lower=Lower("email"))
            .filter(email_lower__in=list(by_email))
            .select_related("company")
            .order_by("-pk")
        )
        for contact in known:  # oldest last, so the oldest wins
            by_email[contact.email_lower].existing = contact
    return rows


def contact_export(*, user: User) -> QuerySet:
    """Every contact of the user with its company, for a vCard file: one query."""
    return Contact.objects.filter(user=user).select_related("company").order_by("name", "pk")


# --- Spreadsheet imports and CSV exports ----------------------------------------------------


def spreadsheet_import_get(*, user: User, pk: int) -> SpreadsheetImport:
    """The user's import, while it is kept; 404 for anyone else's or an expired one."""
    return get_object_or_404(
        SpreadsheetImport,
        user=user,
        pk=pk,
        expires_at__gt=timezone.now(),
    )


def spreadsheet_import_sample(
    *, job: SpreadsheetImport, limit: int = 10
) -> list[tuple[int, list[tuple[str, str]]]]:
    """The first rows of the file as (row number, [(field label, cell), ...]) by the mapping."""
    chosen = [
        (target.label, int(job.mapping[target.key]))
        for target in TARGETS
        if target.key in job.mapping
    ]
    return [
        (number, [(label, cells[index]) for label, index in chosen])
        for number, cells in job.rows[:limit]
    ]


def applications_for_export(*, user: User) -> QuerySet[Application]:
    """Every application of the user with its company, read in one query per chunk."""
    return (
        Application.objects.filter(user=user)
        .select_related("company")
        .order_by("company__name", "role", "pk")
    )


def contacts_for_export(*, user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(user=user).select_related("company").order_by("name", "pk")
