"""One search across a user's applications, people, notes, emails and drafts.

It reads every app's rows (and the reminders' for the "overdue" filter), so it lives here, in
the app at the top of the dependency chain.

On PostgreSQL each kind is matched with full-text search (``websearch_to_tsquery``: quotes,
``or`` and ``-word`` work as on a search engine) against a document that a GIN index holds:
of an expression for companies and application roles (migration
``reminders.0008_search_indexes``), of a stored column for the kinds ranked by ``ts_rank``
(``reminders.0010_search_documents``). The expressions below and the indexes' must stay the
same SQL, or the planner cannot use the index (tests/reminders/test_search_indexes.py checks
with EXPLAIN). On SQLite every word of the query must appear (case-insensitively) in one of
the kind's fields.

On PostgreSQL every statement is prepared (followup_site.raw_sql.planned_cursor) and keeps
one generic plan, made without the words or the ids: planning cost more than running them
(2.4 ms of planning against 0.5 ms of execution for a search of the bench user). The words
are a parameter of ``websearch_to_tsquery`` and the generic plan still reads the GIN indexes
(tests/reminders/test_search_indexes.py checks that plan); choice values are constants.

The page runs one query per kind, whatever the number of rows or applications. With
filters, the applications' query reads the ids of every filtered application (the filters
a subquery of it) and the other kinds' queries are restricted to those ids, a short list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

from django.db import connection
from django.db.models import Model

from accounts.models import User
from followup_site.raw_sql import Reads, constants, planned_cursor, run_together, utc_moment
from followup_site.row_urls import url_for_id
from interviews.models import Application, Note
from outreach.models import Draft, Outreach
from reminders.models import Reminder

# The most results shown of each kind; the page says when there are more.
RESULTS_PER_KIND = 20
# A query longer than this is refused with a form error (see reminders.forms.SearchForm).
QUERY_MAX_LENGTH = 200
# At most this many words are matched on SQLite and highlighted.
MAX_TERMS = 12
SNIPPET_CHARS = 180
# On PostgreSQL, the newest matches of each kind that are ranked (see ``kind_sql``).
RANKED_CANDIDATES = 200

# The choice values the statements name, written in as constants (see planned_cursor).
_OPEN_STATES = constants(Reminder.OPEN_STATES)
_CLOSED = constants([Application.Stage.CLOSED])
_INCOMING = constants([Outreach.Direction.INCOMING])
_OUTGOING = constants([Outreach.Direction.OUTGOING])

# Names and addresses are matched word for word; prose is stemmed ("tuning" finds "tune").
NAMES = "simple"
PROSE = "english"


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


def applications_matching_sql(*, user_id: int, filters: Filters, now: datetime) -> tuple[str, list]:
    """The SQL and parameters of the ids of the user's applications that pass every filter
    given (all of them when none is):

    - ``stage``: at that stage;
    - ``overdue``: with an open task due before now;
    - ``interview_ahead``: with an interview starting after now;
    - ``waiting_days``: not closed, and waiting for an answer for more than that many days:
      since the first outreach the user made after the company's last reply (or ever,
      without a reply), if nothing came back since.

    Written out, as each kind's query is: the ORM spent some 0.6 ms building and compiling
    these subqueries, more than the database takes to answer them.
    """
    ops = connection.ops
    conditions = ["a.user_id = %s"]
    params: list = [user_id]
    if filters.stage:
        conditions.append("a.stage = %s")
        params.append(filters.stage)
    if filters.overdue:
        conditions.append(
            "EXISTS (SELECT 1 FROM reminders_reminder r WHERE r.application_id = a.id "  # noqa: S608
            f"AND r.state IN ({_OPEN_STATES}) AND r.due_at < %s)"
        )
        params.append(ops.adapt_datetimefield_value(now))
    if filters.interview_ahead:
        conditions.append(
            "EXISTS (SELECT 1 FROM interviews_interview i WHERE i.application_id = a.id "
            "AND i.starts_at > %s)"
        )
        params.append(ops.adapt_datetimefield_value(now))
    if filters.waiting_days:
        last_reply = (
            "SELECT r.occurred_at FROM outreach_outreach r WHERE r.application_id = a.id "  # noqa: S608 - ours
            f"AND r.direction = {_INCOMING} ORDER BY r.occurred_at DESC LIMIT 1"
        )
        waiting_since = (
            "SELECT o.occurred_at FROM outreach_outreach o WHERE o.application_id = a.id "  # noqa: S608 - ours
            f"AND o.direction = {_OUTGOING} AND o.occurred_at > COALESCE(({last_reply}), %s) "
            "ORDER BY o.occurred_at LIMIT 1"
        )
        conditions.append(f"a.stage <> {_CLOSED} AND ({waiting_since}) < %s")
        params += [
            ops.adapt_datetimefield_value(datetime(1970, 1, 1, tzinfo=UTC)),
            ops.adapt_datetimefield_value(now - timedelta(days=filters.waiting_days)),
        ]
    return f"SELECT a.id FROM interviews_application a WHERE {' AND '.join(conditions)}", params  # noqa: S608


# --- Matching -------------------------------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Ranked:
    """How PostgreSQL reads a ranked kind: its candidates come from only the tables the owner
    and the scope read, with the columns of a result those tables hold, and only the best
    few are joined to the rest. Planning one query that joins every table to rank the
    candidates and another that joins them all again to the best cost the planner some
    0.6 ms a kind more than the query written this way (EXPLAIN on the bench DB)."""

    # The candidates' tables: each join of ``Kind.source`` left out follows a non-null
    # foreign key, so it removes no row.
    tables: str
    # The candidates' columns, read from ``tables``, each named once as the best ``k`` has it.
    columns: str
    # The joins from the best ``k`` to the rest of what a result shows.
    lookups: str
    # What a result shows, as ``Kind.columns`` lists it.
    shown: str


@dataclass(frozen=True)
class Kind:
    """How one kind of row is read and matched, as SQL on the alias ``m`` of its table.

    Each kind's query is written out rather than built with the ORM: the full-text
    expressions and the nested candidate query cost the ORM some 2 ms a kind to assemble
    and compile, ten times the query's own time.
    """

    # The table, its joins, and the columns a result shows (its group reads them in order).
    source: str
    columns: str
    # The user's own rows: one %s, the user's id.
    owner: str
    # Within the filtered applications: ``{in_scope}`` is ``IN (<their ids' subquery>)``,
    # or their ids (see ``_in_scope``).
    scope: str
    # The columns matched word for word on SQLite (PostgreSQL matches ``document``).
    like: tuple[str, ...]
    # The order when not ranked: on SQLite, and always for applications.
    newest: str = "m.id DESC"
    # How PostgreSQL reads the kind ranked, if it is.
    ranked: Ranked | None = None


# The text search configuration of each kind's document and query.
CONFIGS: dict[str, str] = {
    "company": NAMES,
    "application": PROSE,
    "contact": NAMES,
    "note": PROSE,
    "outreach": PROSE,
    "draft": PROSE,
}
# The documents of the kinds found but not ranked, expressions over columns of the alias
# ``m``: the same as the GIN indexes of migration 0008, or the planner cannot use them.
EXPRESSIONS: dict[str, tuple[str, ...]] = {"company": ("m.name",), "application": ("m.role",)}


def document(kind: str) -> str:
    """The kind's ``tsvector`` on PostgreSQL.

    A ranked kind's is the generated column ``search_document`` (migration 0010, which
    spells out its expression): the match and ``ts_rank`` both read it, where an expression
    would be parsed from the text once for each. Another kind's is ``to_tsvector(config,
    COALESCE(a, '') || ' ' || ...)`` of its columns.
    """
    if kind not in EXPRESSIONS:
        return "m.search_document"
    joined = " || ' ' || ".join(f"COALESCE({part}, '')" for part in EXPRESSIONS[kind])
    return f"to_tsvector('{CONFIGS[kind]}'::regconfig, {joined})"


def _tsquery(kind: str) -> str:
    return f"websearch_to_tsquery('{CONFIGS[kind]}'::regconfig, %s)"


_APPLICATION_COLUMNS = "a.role, co.name"
KINDS: dict[str, Kind] = {
    "application": Kind(
        source="interviews_application m JOIN interviews_company co ON co.id = m.company_id",
        columns="m.id, m.role, co.name, m.stage",
        owner="m.user_id = %s",
        scope="m.id {in_scope}",
        like=("m.role", "co.name"),
        newest="m.updated_at DESC, m.id DESC",
    ),
    "contact": Kind(
        source="interviews_contact m LEFT JOIN interviews_company co ON co.id = m.company_id",
        columns="m.id, m.name, m.job_title, m.email, co.name",
        owner="m.user_id = %s",
        # Those interviewed for, or working at a company of, the filtered applications.
        scope="(m.id IN (SELECT ii.contact_id FROM interviews_interview_interviewers ii "
        "JOIN interviews_interview iv ON iv.id = ii.interview_id "
        "WHERE iv.application_id {in_scope}) "
        "OR m.company_id IN (SELECT sa.company_id FROM interviews_application sa "
        "WHERE sa.id {in_scope}))",
        like=("m.name", "m.email", "m.job_title"),
        ranked=Ranked(
            tables="interviews_contact m",
            columns="m.id, m.name, m.job_title, m.email, m.company_id",
            lookups="LEFT JOIN interviews_company co ON co.id = k.company_id",
            shown="k.id, k.name, k.job_title, k.email, co.name",
        ),
    ),
    "note": Kind(
        source="interviews_note m "
        "JOIN interviews_interview i ON i.id = m.interview_id "
        "JOIN interviews_application a ON a.id = i.application_id "
        "JOIN interviews_company co ON co.id = a.company_id "
        "LEFT JOIN interviews_contact c ON c.id = m.contact_id",
        columns="m.id, m.text, m.question, m.better_answer, m.kind, c.name, i.id, "
        f"i.starts_at, {_APPLICATION_COLUMNS}",
        owner="a.user_id = %s",
        scope="a.id {in_scope}",
        like=("m.text", "m.question", "m.better_answer"),
        ranked=Ranked(
            tables="interviews_note m "
            "JOIN interviews_interview i ON i.id = m.interview_id "
            "JOIN interviews_application a ON a.id = i.application_id",
            columns="m.id, m.text, m.question, m.better_answer, m.kind, m.contact_id, "
            "i.id AS interview_id, i.starts_at, a.role, a.company_id",
            lookups="JOIN interviews_company co ON co.id = k.company_id "
            "LEFT JOIN interviews_contact c ON c.id = k.contact_id",
            shown="k.id, k.text, k.question, k.better_answer, k.kind, c.name, k.interview_id, "
            "k.starts_at, k.role, co.name",
        ),
    ),
    "outreach": Kind(
        source="outreach_outreach m "
        "JOIN interviews_application a ON a.id = m.application_id "
        "JOIN interviews_company co ON co.id = a.company_id "
        "LEFT JOIN interviews_contact c ON c.id = m.contact_id",
        columns="m.id, m.subject, m.body, m.direction, m.purpose, m.channel, m.occurred_at, "
        f"c.name, a.id, {_APPLICATION_COLUMNS}",
        owner="m.user_id = %s",
        scope="m.application_id {in_scope}",
        like=("m.subject", "m.body"),
        ranked=Ranked(
            tables="outreach_outreach m",
            columns="m.id, m.subject, m.body, m.direction, m.purpose, m.channel, m.occurred_at, "
            "m.contact_id, m.application_id",
            lookups="JOIN interviews_application a ON a.id = k.application_id "
            "JOIN interviews_company co ON co.id = a.company_id "
            "LEFT JOIN interviews_contact c ON c.id = k.contact_id",
            shown="k.id, k.subject, k.body, k.direction, k.purpose, k.channel, k.occurred_at, "
            "c.name, k.application_id, a.role, co.name",
        ),
    ),
    "draft": Kind(
        source="outreach_draft m "
        "JOIN interviews_application a ON a.id = m.application_id "
        "JOIN interviews_company co ON co.id = a.company_id "
        "JOIN interviews_contact c ON c.id = m.contact_id",
        columns=f"m.id, m.subject, m.body, m.occasion, c.name, {_APPLICATION_COLUMNS}",
        # Drafts not sent yet.
        owner="m.user_id = %s AND m.outreach_id IS NULL",
        scope="m.application_id {in_scope}",
        like=("m.subject", "m.body"),
        ranked=Ranked(
            tables="outreach_draft m",
            columns="m.id, m.subject, m.body, m.occasion, m.contact_id, m.application_id",
            lookups="JOIN interviews_application a ON a.id = k.application_id "
            "JOIN interviews_company co ON co.id = a.company_id "
            "JOIN interviews_contact c ON c.id = k.contact_id",
            shown="k.id, k.subject, k.body, k.occasion, c.name, a.role, co.name",
        ),
    ),
}


def _like(term: str) -> str:
    """A ``LIKE`` pattern for ``term`` anywhere, as Django's ``icontains`` makes it."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _match(kind: str, *, user_id: int, query: str) -> tuple[list[str], list]:
    """The conditions (to be joined with AND) that a row of ``kind`` matches ``query``, and
    their parameters: on PostgreSQL, its document matches ``websearch_to_tsquery`` (a GIN
    index serves it); on SQLite, every word appears in one of the kind's columns,
    case-insensitively."""
    if not _is_postgres():
        spec = KINDS[kind]
        conditions: list[str] = []
        params: list = []
        for term in query_terms(query):
            conditions.append(
                "(" + " OR ".join(f"{column} LIKE %s ESCAPE '\\'" for column in spec.like) + ")"
            )
            params += [_like(term)] * len(spec.like)
        return conditions, params
    if kind == "application":
        # A role or a company name matches; listed by last change, as without words.
        # Each side a subquery of its own, so that each can read its own index.
        roles = (
            f"SELECT m.id FROM interviews_application m WHERE m.user_id = %s "  # noqa: S608 - ours
            f"AND {document('application')} @@ {_tsquery('application')}"
        )
        companies = (
            f"SELECT m.id FROM interviews_company m WHERE m.user_id = %s "  # noqa: S608 - ours
            f"AND {document('company')} @@ {_tsquery('company')}"
        )
        return [f"(m.id IN ({roles}) OR m.company_id IN ({companies}))"], [
            user_id,
            query,
            user_id,
            query,
        ]
    return [f"{document(kind)} @@ {_tsquery(kind)}"], [query]


def _in_scope(template: str, ids: Sequence[int]) -> tuple[str, list]:
    """A kind's scope condition (``template``, see ``Kind.scope``) within the applications
    whose ids are ``ids``, and its parameters.

    On PostgreSQL the ids are one parameter, an array, so that the statement's text is the
    same whatever the ids: it is prepared and planned once (see planned_cursor), not once
    for each list of ids. On SQLite they are integer literals (``NULL`` for none, which
    matches nothing): read from the database and made ints here, so nothing typed reaches
    the SQL, and a long list costs no parameters (SQLite caps their number).
    """
    listed = [str(int(pk)) for pk in ids]
    if not _is_postgres():
        return template.format(in_scope=f"IN ({', '.join(listed) or 'NULL'})"), []
    array = "{" + ",".join(listed) + "}"
    return template.format(in_scope="= ANY(CAST(%s AS bigint[]))"), [array] * template.count(
        "{in_scope}"
    )


def kind_sql(
    kind: str,
    *,
    user_id: int,
    query: str,
    scope: Sequence[int] | None = None,
    limit: int = RESULTS_PER_KIND + 1,
) -> tuple[str, list]:
    """The SQL and parameters of one kind's results for ``query`` among ``user_id``'s rows,
    within the applications whose ids ``scope`` lists, if given.

    1. The user's rows (within the scope) matching the query (see ``_match``).
    2. On PostgreSQL, ranking reads each row's stored document (``ts_rank`` takes the
       document, not the index), so only the newest ``RANKED_CANDIDATES`` matches are
       ranked, best first: a common word costs the same as a rare one. Applications and
       SQLite results come newest first.
    """
    spec = KINDS[kind]
    conditions = [spec.owner]
    params: list = [user_id]
    if scope is not None:
        scoped, scoped_params = _in_scope(spec.scope, scope)
        conditions.append(scoped)
        params += scoped_params
    if query:
        matched, matched_params = _match(kind, user_id=user_id, query=query)
        conditions += matched
        params += matched_params
        if spec.ranked is not None and _is_postgres():
            return _ranked_select(kind, conditions, limit), [query, *params]
    return _select(spec, spec.columns, conditions, spec.newest, limit), params


def filtered_applications_sql(
    *, user_id: int, query: str, within: tuple[str, list]
) -> tuple[str, list]:
    """The SQL and parameters of the user's applications among those of ``within`` (the
    SQL of the filtered applications' ids), newest first, each with whether it matches
    ``query`` (``Kind.columns`` of applications, then the match).

    With words, every filtered application comes back: their ids are the other kinds'
    scope, and those that match are the application results. The filters are computed once
    so, where a subquery of every kind's query had the planner plan them five times and
    check them against each candidate row. Without words, only the results."""
    spec = KINDS["application"]
    matched, matched_params = (
        _match("application", user_id=user_id, query=query) if query else ([], [])
    )
    hit = " AND ".join(matched) or "1 = 1"
    within_sql, within_params = within
    conditions = [spec.owner, spec.scope.format(in_scope=f"IN ({within_sql})")]
    limit = None if query else RESULTS_PER_KIND + 1
    sql = _select(spec, f"{spec.columns}, ({hit})", conditions, spec.newest, limit)
    return sql, [*matched_params, user_id, *within_params]


def _ranked_select(kind: str, conditions: list[str], limit: int) -> str:
    """The best ``limit`` of the newest ``RANKED_CANDIDATES`` rows of ``kind`` that meet
    ``conditions``, by rank. Each candidate's rank is computed once, after the candidates
    are cut to the newest ones (PostgreSQL postpones a costly output column past ORDER BY
    ... LIMIT); only the best are then joined to the rest of what a result shows."""
    ranked = KINDS[kind].ranked
    candidates = (
        f"SELECT {ranked.columns}, ts_rank({document(kind)}, {_tsquery(kind)}) AS rank "  # noqa: S608
        f"FROM {ranked.tables} WHERE {' AND '.join(conditions)} "
        f"ORDER BY m.id DESC LIMIT {RANKED_CANDIDATES:d}"
    )
    best = f"SELECT * FROM ({candidates}) b ORDER BY b.rank DESC, b.id DESC LIMIT {limit:d}"  # noqa: S608
    return f"SELECT {ranked.shown} FROM ({best}) k {ranked.lookups} ORDER BY k.rank DESC, k.id DESC"  # noqa: S608


def _select(spec: Kind, columns: str, conditions: list[str], order: str, limit: int | None) -> str:
    """Every piece is this module's own SQL; the values are parameters."""
    where = " AND ".join(conditions)
    sql = f"SELECT {columns} FROM {spec.source} WHERE {where} ORDER BY {order}"  # noqa: S608
    return sql if limit is None else f"{sql} LIMIT {limit:d}"


def _fetch(sql: str, params: list) -> list[tuple]:
    with planned_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _first(rows: list[tuple]) -> tuple[list[tuple], bool]:
    """The first ``RESULTS_PER_KIND`` rows, and whether there are more."""
    return rows[:RESULTS_PER_KIND], len(rows) > RESULTS_PER_KIND


def search(*, user: User, query: str, filters: Filters, now: datetime) -> Results:
    """Everything of the user's that matches ``query`` within the filtered applications.

    With filters and no words, the applications that pass the filters; with neither, nothing.
    One query per kind shown; with filters, the applications' query also gives the other
    kinds their scope, and none of them is asked when no application passes.
    """
    query = query.strip()
    if not query and not filters.active:
        return Results(groups=[], searched=False)
    terms = query_terms(query)
    if query and not terms:
        # Only punctuation: nothing to match, and nothing to ask the database.
        return Results(groups=[], searched=True)
    scope = None
    reads: list[Reads] = []
    if filters.active:
        within = applications_matching_sql(user_id=user.pk, filters=filters, now=now)
        rows = _fetch(*filtered_applications_sql(user_id=user.pk, query=query, within=within))
        scope = [row[0] for row in rows]
        applications = _first([row[:-1] for row in rows if row[-1]])
    else:
        reads.append(Reads.one(*kind_sql("application", user_id=user.pk, query=query), _first))
    # The other kinds' reads need nothing from one another: they go to the database together
    # (in one round trip on PostgreSQL), with the applications' unless the filters came first.
    asked = [kind for kind in KINDS if kind != "application"] if query and scope != [] else []
    reads += [
        Reads.one(*kind_sql(kind, user_id=user.pk, query=query, scope=scope), _first)
        for kind in asked
    ]
    results = run_together(*reads)
    if not filters.active:
        applications = results.pop(0)
    groups = [_application_group(*applications, terms)]
    if query:
        found = dict(zip(asked, results, strict=True))
        nothing = ([], False)
        groups += [
            _contact_group(*found.get("contact", nothing), terms),
            _note_group(*found.get("note", nothing), terms, user.zone),
            _outreach_group(*found.get("outreach", nothing), terms, user.zone),
            _draft_group(*found.get("draft", nothing), terms),
        ]
    return Results(groups=groups, searched=True)


# --- Results --------------------------------------------------------------------------------


def _labels(model: type[Model], name: str) -> dict[str, str]:
    return {str(value): str(label) for value, label in model._meta.get_field(name).flatchoices}


def _application_group(rows: list[tuple], more: bool, terms: list[str]) -> Group:
    stages = _labels(Application, "stage")
    hits = [
        Hit(
            title=f"{role} at {company}",
            url=url_for_id("application_detail", pk),
            snippet=highlight(f"{role} · {company}", terms),
            label=stages.get(stage, stage),
        )
        for pk, role, company, stage in rows
    ]
    return Group(key="applications", heading="Applications", hits=hits, more=more)


def _contact_group(rows: list[tuple], more: bool, terms: list[str]) -> Group:
    hits = []
    for pk, name, job_title, email, company in rows:
        described = " · ".join(part for part in (name, job_title, email) if part)
        hits.append(
            Hit(
                title=name,
                url=url_for_id("interviews:contact_detail", pk),
                snippet=highlight(described, terms),
                context=company or "",
            )
        )
    return Group(key="people", heading="People", hits=hits, more=more)


def _note_group(rows: list[tuple], more: bool, terms: list[str], zone: tzinfo) -> Group:
    kinds = _labels(Note, "kind")
    hits = []
    for row in rows:
        pk, text, question, better_answer, kind, person, interview, starts_at, role, company = row
        joined = " · ".join(part for part in (text, question, better_answer) if part)
        about = f" about {person}" if person else ""
        hits.append(
            Hit(
                title=f"Note{about}",
                url=f"{url_for_id('interviews:interview_detail', interview)}#note-{pk}",
                snippet=highlight(joined, terms),
                context=f"{role} at {company}, "
                f"interview of {utc_moment(starts_at).astimezone(zone):%d %b %Y}",
                label=kinds.get(kind, kind),
            )
        )
    return Group(key="notes", heading="Notes", hits=hits, more=more)


def _outreach_group(rows: list[tuple], more: bool, terms: list[str], zone: tzinfo) -> Group:
    purposes = _labels(Outreach, "purpose")
    channels = _labels(Outreach, "channel")
    hits = []
    for row in rows:
        pk, subject, body, direction, purpose, channel, occurred_at, person, application = row[:9]
        role, company = row[9:]
        purpose = purposes.get(purpose, purpose)
        if direction == Outreach.Direction.INCOMING:
            title = f"Reply from {person}" if person else "Reply"
        else:
            title = f"{purpose} to {person}" if person else purpose
        text = " · ".join(part for part in (subject, body) if part)
        hits.append(
            Hit(
                title=title,
                url=f"{url_for_id('application_detail', application)}#outreach-{pk}",
                snippet=highlight(text, terms),
                context=f"{role} at {company}, {utc_moment(occurred_at).astimezone(zone):%d %b %Y}",
                label=channels.get(channel, channel),
            )
        )
    return Group(key="emails", heading="Emails, calls and replies", hits=hits, more=more)


def _draft_group(rows: list[tuple], more: bool, terms: list[str]) -> Group:
    occasions = _labels(Draft, "occasion")
    hits = []
    for pk, subject, body, occasion, person, role, company in rows:
        text = " · ".join(part for part in (subject, body) if part)
        hits.append(
            Hit(
                title=f"Draft to {person}",
                url=url_for_id("outreach:draft_edit", pk),
                snippet=highlight(text, terms),
                context=f"{role} at {company}",
                label=occasions.get(occasion, occasion),
            )
        )
    return Group(key="drafts", heading="Drafts not sent yet", hits=hits, more=more)
