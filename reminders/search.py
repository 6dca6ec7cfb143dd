"""One search across a user's applications, people, notes, emails and drafts.

It reads every app's rows (and the reminders' for the "overdue" filter), so it lives here, in
the app at the top of the dependency chain.

On PostgreSQL each kind is matched with full-text search (``websearch_to_tsquery``: quotes,
``or`` and ``-word`` work as on a search engine) against a document that a GIN expression
index of migration ``reminders.0008_search_indexes`` holds; ranked by ``ts_rank``. The
documents below and the indexes' expressions must stay the same SQL, or the planner cannot
use the index (tests/reminders/test_search_postgres.py checks with EXPLAIN). On SQLite every
word of the query must appear (case-insensitively) in one of the kind's fields.

The page runs one query per kind, whatever the number of rows or applications: the filters
become a subquery of application ids inside each kind's query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    DateTimeField,
    Exists,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.models import User
from interviews.models import Application, Company, Contact, Interview, Note
from outreach.models import Draft, Outreach
from reminders.models import Reminder

# The most results shown of each kind; the page says when there are more.
RESULTS_PER_KIND = 20
# A query longer than this is refused with a form error (see reminders.forms.SearchForm).
QUERY_MAX_LENGTH = 200
# At most this many words are matched on SQLite and highlighted.
MAX_TERMS = 12
SNIPPET_CHARS = 180
# On PostgreSQL, the newest matches of each kind that are ranked (see ``_matched``).
RANKED_CANDIDATES = 200

# Names and addresses are matched word for word; prose is stemmed ("tuning" finds "tune").
NAMES = "simple"
PROSE = "english"


def _email_words(name: str) -> Func:
    """'dana@acme.example' as 'dana acme example', so a search for "acme" finds it."""
    return Func(F(name), Value("@.-_"), Value("    "), function="translate")


# The document of each kind: (config, fields). Migration 0008 indexes the same expressions.
DOCUMENTS: dict[str, tuple[str, tuple]] = {
    "company": (NAMES, ("name",)),
    "application": (PROSE, ("role",)),
    # The address twice: whole (to find "dana@acme.example") and in words (to find "acme").
    "contact": (NAMES, ("name", "email", "email_words", "job_title")),
    "note": (PROSE, ("text", "question", "better_answer")),
    "outreach": (PROSE, ("subject", "body")),
    "draft": (PROSE, ("subject", "body")),
}


def document(kind: str) -> SearchVector:
    config, fields = DOCUMENTS[kind]
    parts = [_email_words("email") if name == "email_words" else name for name in fields]
    return SearchVector(*parts, config=config)


@dataclass(frozen=True)
class Filters:
    stage: str = ""
    overdue: bool = False
    waiting_days: int | None = None
    interview_ahead: bool = False

    @property
    def active(self) -> bool:
        return bool(self.stage or self.overdue or self.waiting_days or self.interview_ahead)


@dataclass
class Hit:
    """One result: what it is, where it lives, and the snippet to show."""

    title: str
    url: str
    snippet: list[tuple[str, bool]]
    context: str = ""
    label: str = ""


@dataclass
class Group:
    key: str
    heading: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False


@dataclass
class Results:
    groups: list[Group]
    searched: bool

    @property
    def total(self) -> int:
        return sum(len(group.hits) for group in self.groups)


# --- Terms and snippets ---------------------------------------------------------------------

_WORD = re.compile(r"\w[\w@.'-]*\w|\w", re.UNICODE)
_SUFFIXES = ("ing", "ed", "es", "s")


def query_terms(query: str) -> list[str]:
    """The words a match is made of: no operators, no excluded ``-words``, at most 12."""
    terms: list[str] = []
    for raw in query.split():
        if raw.startswith("-") or raw.lower() == "or":
            continue
        for word in _WORD.findall(raw):
            if word.lower() not in (t.lower() for t in terms):
                terms.append(word)
    return terms[:MAX_TERMS]


def _stem(term: str) -> str:
    lower = term.lower()
    for suffix in _SUFFIXES:
        if len(lower) - len(suffix) >= 3 and lower.endswith(suffix):
            return lower[: -len(suffix)]
    return lower


def highlight(text: str, terms: list[str], *, limit: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """``text`` cut to about ``limit`` characters around the first match, as (part, is_match)
    pairs; the template escapes every part and marks the matches, so no markup comes from
    user text. A word matches a term when it starts with the term's stem (PostgreSQL's
    stemming finds "tuning" for "tune", and so does the highlight, most of the time)."""
    text = " ".join(text.split())
    stems = sorted({_stem(term) for term in terms if term}, key=len, reverse=True)
    if not stems:
        return [(text[:limit] + ("…" if len(text) > limit else ""), False)]
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(stem) for stem in stems) + r")[\w'-]*", re.IGNORECASE
    )
    first = pattern.search(text)
    start = 0
    if first is not None and first.start() > limit // 3:
        start = max(0, first.start() - limit // 3)
        # Start on a word boundary.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + limit)
    window = text[start:end]
    parts: list[tuple[str, bool]] = []
    if start > 0:
        parts.append(("…", False))
    position = 0
    for match in pattern.finditer(window):
        if match.start() > position:
            parts.append((window[position : match.start()], False))
        parts.append((match.group(0), True))
        position = match.end()
    if position < len(window):
        parts.append((window[position:], False))
    if end < len(text):
        parts.append(("…", False))
    return parts


# --- The filters ----------------------------------------------------------------------------


def waiting_since(*, applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate ``waiting_since``: when the user first reached out after the company's last
    reply (or ever, without a reply), if nothing came back since; else None.

    The days since then are how long the user has been waiting for an answer.
    """
    replies = Outreach.objects.filter(
        application=OuterRef("pk"), direction=Outreach.Direction.INCOMING
    )
    annotated = applications.annotate(
        last_reply_at=Subquery(replies.order_by("-occurred_at").values("occurred_at")[:1])
    )
    unanswered = Outreach.objects.filter(
        application=OuterRef("pk"),
        direction=Outreach.Direction.OUTGOING,
        occurred_at__gt=Coalesce(
            OuterRef("last_reply_at"),
            Value(datetime(1970, 1, 1, tzinfo=UTC), output_field=DateTimeField()),
        ),
    )
    return annotated.annotate(
        waiting_since=Subquery(unanswered.order_by("occurred_at").values("occurred_at")[:1])
    )


def applications_matching(*, user: User, filters: Filters, now: datetime) -> QuerySet[Application]:
    """The user's applications that pass every filter given (all of them when none is)."""
    applications = Application.objects.filter(user=user)
    if filters.stage:
        applications = applications.filter(stage=filters.stage)
    if filters.overdue:
        overdue = Reminder.objects.filter(
            application=OuterRef("pk"), state__in=Reminder.OPEN_STATES, due_at__lt=now
        )
        applications = applications.filter(Exists(overdue))
    if filters.interview_ahead:
        ahead = Interview.objects.filter(application=OuterRef("pk"), starts_at__gt=now)
        applications = applications.filter(Exists(ahead))
    if filters.waiting_days:
        applications = (
            waiting_since(applications=applications)
            .exclude(stage=Application.Stage.CLOSED)
            .filter(waiting_since__lt=now - timedelta(days=filters.waiting_days))
        )
    return applications


# --- Matching -------------------------------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _matched(
    queryset: QuerySet, *, kinds: tuple[str, ...], fields: tuple[str, ...], query: str
) -> QuerySet:
    """Rows of ``queryset`` matching ``query``: full-text on PostgreSQL, ranked best first;
    each word in one of ``fields`` on SQLite, newest first.

    On PostgreSQL, ranking reads each row's text again (``ts_rank`` takes the document, not
    the index), so only the newest ``RANKED_CANDIDATES`` matches are ranked: a common word
    costs the same as a rare one.
    """
    if _is_postgres():
        condition = Q()
        rank = None
        for kind in kinds:
            config = DOCUMENTS[kind][0]
            search = SearchQuery(query, search_type="websearch", config=config)
            vector = document(kind)
            condition |= Q(**{f"_doc_{kind}": search})
            queryset = queryset.annotate(**{f"_doc_{kind}": vector})
            this_rank = SearchRank(vector, search)
            rank = this_rank if rank is None else rank + this_rank
        candidates = queryset.filter(condition).order_by("-pk").values("pk")[:RANKED_CANDIDATES]
        ranked = queryset.model._default_manager.filter(pk__in=Subquery(candidates))
        related = _related(queryset)
        if related:
            ranked = ranked.select_related(*related)
        return ranked.annotate(rank=rank).order_by("-rank", "-pk")
    condition = Q()
    for term in query_terms(query):
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": term})
        condition &= any_field
    return queryset.filter(condition).order_by("-pk")


def _related(queryset: QuerySet) -> list[str]:
    """The ``select_related`` names of ``queryset``, to carry them over to a new one."""
    related = queryset.query.select_related
    if not isinstance(related, dict):
        return []

    def walk(tree: dict, prefix: str) -> list[str]:
        names = []
        for name, below in tree.items():
            names.append(prefix + name)
            names.extend(walk(below, f"{prefix}{name}__"))
        return names

    return walk(related, "")


def _first(queryset: QuerySet) -> tuple[list[Model], bool]:
    rows = list(queryset[: RESULTS_PER_KIND + 1])
    return rows[:RESULTS_PER_KIND], len(rows) > RESULTS_PER_KIND


def search(*, user: User, query: str, filters: Filters, now: datetime) -> Results:
    """Everything of the user's that matches ``query`` within the filtered applications.

    With filters and no words, the applications that pass the filters; with neither, nothing.
    One query per kind shown.
    """
    query = query.strip()
    if not query and not filters.active:
        return Results(groups=[], searched=False)
    terms = query_terms(query)
    if query and not terms:
        # Only punctuation: nothing to match, and nothing to ask the database.
        return Results(groups=[], searched=True)
    scope = applications_matching(user=user, filters=filters, now=now)
    scope_ids = Subquery(scope.values("pk")) if filters.active else None

    applications = Application.objects.filter(user=user).select_related("company")
    if scope_ids is not None:
        applications = applications.filter(pk__in=scope_ids)
    if query:
        companies = Company.objects.filter(user=user)
        if _is_postgres():
            company_ids = _matched(companies, kinds=("company",), fields=(), query=query)
            role_match = _matched(applications, kinds=("application",), fields=(), query=query)
            applications = applications.filter(
                Q(pk__in=Subquery(role_match.values("pk")))
                | Q(company__in=Subquery(company_ids.values("pk")))
            ).order_by("-updated_at", "-pk")
        else:
            applications = _matched(
                applications, kinds=(), fields=("role", "company__name"), query=query
            )
    else:
        applications = applications.order_by("-updated_at", "-pk")
    groups = [_application_group(applications, terms)]
    if not query:
        return Results(groups=groups, searched=True)

    contacts = Contact.objects.filter(user=user).select_related("company")
    if scope_ids is not None:
        interviewed = Interview.interviewers.through.objects.filter(
            interview__application__in=scope_ids
        ).values("contact_id")
        companies_in_scope = Application.objects.filter(pk__in=scope_ids).values("company_id")
        contacts = contacts.filter(
            Q(pk__in=Subquery(interviewed)) | Q(company__in=Subquery(companies_in_scope))
        )
    contacts = _matched(
        contacts,
        kinds=("contact",),
        fields=("name", "email", "job_title"),
        query=query,
    )
    notes = Note.objects.filter(interview__application__user=user).select_related(
        "interview__application__company", "contact"
    )
    outreaches = Outreach.objects.filter(user=user).select_related(
        "application__company", "contact"
    )
    drafts = Draft.objects.filter(user=user, outreach__isnull=True).select_related(
        "application__company", "contact"
    )
    if scope_ids is not None:
        notes = notes.filter(interview__application__in=scope_ids)
        outreaches = outreaches.filter(application__in=scope_ids)
        drafts = drafts.filter(application__in=scope_ids)
    notes = _matched(
        notes, kinds=("note",), fields=("text", "question", "better_answer"), query=query
    )
    outreaches = _matched(outreaches, kinds=("outreach",), fields=("subject", "body"), query=query)
    drafts = _matched(drafts, kinds=("draft",), fields=("subject", "body"), query=query)
    groups += [
        _contact_group(contacts, terms),
        _note_group(notes, terms, user.zone),
        _outreach_group(outreaches, terms, user.zone),
        _draft_group(drafts, terms),
    ]
    return Results(groups=groups, searched=True)


# --- Results --------------------------------------------------------------------------------


def _application_group(applications: QuerySet[Application], terms: list[str]) -> Group:
    rows, more = _first(applications)
    hits = [
        Hit(
            title=f"{application.role} at {application.company.name}",
            url=application.get_absolute_url(),
            snippet=highlight(f"{application.role} · {application.company.name}", terms),
            label=application.get_stage_display(),
        )
        for application in rows
    ]
    return Group(key="applications", heading="Applications", hits=hits, more=more)


def _contact_group(contacts: QuerySet[Contact], terms: list[str]) -> Group:
    rows, more = _first(contacts)
    hits = []
    for contact in rows:
        described = " · ".join(
            part for part in (contact.name, contact.job_title, contact.email) if part
        )
        hits.append(
            Hit(
                title=contact.name,
                url=contact.get_absolute_url(),
                snippet=highlight(described, terms),
                context=contact.company.name if contact.company else "",
            )
        )
    return Group(key="people", heading="People", hits=hits, more=more)


def _note_group(notes: QuerySet[Note], terms: list[str], zone: tzinfo) -> Group:
    rows, more = _first(notes)
    hits = []
    for note in rows:
        interview = note.interview
        application = interview.application
        text = " · ".join(part for part in (note.text, note.question, note.better_answer) if part)
        about = f" about {note.contact.name}" if note.contact else ""
        hits.append(
            Hit(
                title=f"Note{about}",
                url=f"{interview.get_absolute_url()}#note-{note.pk}",
                snippet=highlight(text, terms),
                context=f"{application.role} at {application.company.name}, "
                f"interview of {interview.starts_at.astimezone(zone):%d %b %Y}",
                label=note.get_kind_display(),
            )
        )
    return Group(key="notes", heading="Notes", hits=hits, more=more)


def _outreach_group(outreaches: QuerySet[Outreach], terms: list[str], zone: tzinfo) -> Group:
    rows, more = _first(outreaches)
    hits = []
    for outreach in rows:
        application = outreach.application
        incoming = outreach.direction == Outreach.Direction.INCOMING
        person = outreach.contact.name if outreach.contact else ""
        if incoming:
            title = f"Reply from {person}" if person else "Reply"
        else:
            title = (
                f"{outreach.get_purpose_display()} to {person}"
                if person
                else (outreach.get_purpose_display())
            )
        text = " · ".join(part for part in (outreach.subject, outreach.body) if part)
        hits.append(
            Hit(
                title=title,
                url=f"{application.get_absolute_url()}#outreach-{outreach.pk}",
                snippet=highlight(text, terms),
                context=f"{application.role} at {application.company.name}, "
                f"{outreach.occurred_at.astimezone(zone):%d %b %Y}",
                label=outreach.get_channel_display(),
            )
        )
    return Group(key="emails", heading="Emails, calls and replies", hits=hits, more=more)


def _draft_group(drafts: QuerySet[Draft], terms: list[str]) -> Group:
    rows, more = _first(drafts)
    hits = []
    for draft in rows:
        application = draft.application
        text = " · ".join(part for part in (draft.subject, draft.body) if part)
        hits.append(
            Hit(
                title=f"Draft to {draft.contact.name}",
                url=reverse("outreach:draft_edit", args=[draft.pk]),
                snippet=highlight(text, terms),
                context=f"{application.role} at {application.company.name}",
                label=draft.get_occasion_display(),
            )
        )
    return Group(key="drafts", heading="Drafts not sent yet", hits=hits, more=more)
