"""The search page: one box across applications, people, notes, emails and drafts, with filters.

Runs on both databases: full-text search on PostgreSQL, a substring match on SQLite; the
expectations below hold for both (whole words, no stemming needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import DateTimeField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from interviews.models import Application, Interview, Note
from outreach.models import Draft, Occasion, Outreach
from reminders.models import Reminder
from reminders.search import Filters, applications_matching_sql, highlight, query_terms
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    OutreachFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def groups_of(response) -> dict[str, list[str]]:
    results = response.context["results"]
    return {group.key: [hit.url for hit in group.hits] for group in results.groups if group.hits}


@pytest.fixture
def seeker():
    user = UserFactory()
    acme = ApplicationFactory(user=user, company__name="Acme Robotics", role="Site reliability")
    globex = ApplicationFactory(user=user, company__name="Globex", role="Platform engineer")
    dana = ContactFactory(
        user=user, company=acme.company, name="Dana Scully", email="dana@acme.example"
    )
    interview = InterviewFactory(
        application=acme,
        starts_at=NOW - timedelta(days=3),
        ends_at=NOW - timedelta(days=3, hours=-1),
    )
    interview.interviewers.add(dana)
    note = NoteFactory(interview=interview, contact=dana, text="Their migration to Kubernetes")
    fix = NoteFactory(
        interview=interview,
        kind=Note.Kind.ANSWER_TO_FIX,
        text="I fumbled the question",
        question="How would you shard Postgres?",
        better_answer="By tenant, with a directory service",
    )
    sent = OutreachFactory(
        user=user,
        application=acme,
        contact=dana,
        purpose=Outreach.Purpose.THANK_YOU,
        subject="Thank you",
        body="I enjoyed hearing about the Kubernetes migration.",
        occurred_at=NOW - timedelta(days=2),
    )
    draft = Draft.objects.create(
        user=user,
        application=globex,
        contact=ContactFactory(user=user, company=globex.company, name="Bo Chen"),
        occasion=Occasion.CHECK_IN,
        subject="Checking in",
        body="An article on Kubernetes operators you may like",
    )
    return {
        "user": user,
        "acme": acme,
        "globex": globex,
        "dana": dana,
        "interview": interview,
        "note": note,
        "fix": fix,
        "sent": sent,
        "draft": draft,
    }


def test_one_word_finds_the_note_the_email_and_the_draft_each_linked_to_its_exact_place(
    seeker, client_for
):
    response = client_for(seeker["user"]).get("/search/", {"q": "kubernetes"})

    assert response.status_code == 200
    interview = seeker["interview"]
    assert groups_of(response) == {
        "notes": [f"/interviews/{interview.pk}/#note-{seeker['note'].pk}"],
        "emails": [f"/applications/{seeker['acme'].pk}/#outreach-{seeker['sent'].pk}"],
        "drafts": [f"/outreach/drafts/{seeker['draft'].pk}/"],
    }
    body = response.content.decode()
    assert "Their migration to <mark>Kubernetes</mark>" in body


def test_companies_roles_people_and_the_parts_of_an_answer_to_fix_are_searched(seeker, client_for):
    client = client_for(seeker["user"])
    acme = seeker["acme"]
    assert groups_of(client.get("/search/", {"q": "Globex"}))["applications"] == [
        seeker["globex"].get_absolute_url()
    ]
    assert groups_of(client.get("/search/", {"q": "platform"}))["applications"] == [
        seeker["globex"].get_absolute_url()
    ]
    assert groups_of(client.get("/search/", {"q": "scully"})) == {
        "people": [seeker["dana"].get_absolute_url()]
    }
    # The address, whole or by its domain's name.
    assert groups_of(client.get("/search/", {"q": "dana@acme.example"}))["people"] == [
        seeker["dana"].get_absolute_url()
    ]
    found = groups_of(client.get("/search/", {"q": "acme"}))
    assert found["applications"] == [acme.get_absolute_url()]
    assert found["people"] == [seeker["dana"].get_absolute_url()]
    fix = seeker["fix"]
    assert groups_of(client.get("/search/", {"q": "shard"})) == {
        "notes": [f"/interviews/{seeker['interview'].pk}/#note-{fix.pk}"]
    }
    assert groups_of(client.get("/search/", {"q": "tenant directory"})) == {
        "notes": [f"/interviews/{seeker['interview'].pk}/#note-{fix.pk}"]
    }


def test_another_users_rows_are_never_found(seeker, client_for):
    response = client_for(UserFactory()).get("/search/", {"q": "kubernetes"})

    assert response.status_code == 200
    assert groups_of(response) == {}
    assert "Nothing found" in response.content.decode()


def test_user_text_in_a_snippet_is_escaped_and_only_the_match_is_marked(client_for):
    user = UserFactory()
    NoteFactory(
        interview=InterviewFactory(application=ApplicationFactory(user=user)),
        text='<script>alert("x")</script> kubernetes <b>bold</b>',
    )

    body = client_for(user).get("/search/", {"q": "kubernetes"}).content.decode()

    assert "<script>alert" not in body
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>kubernetes</mark> &lt;b&gt;"
        in body
    )


@pytest.mark.parametrize("waiting_days", ["", "not a number"])
def test_the_words_typed_come_back_escaped_in_the_search_box(waiting_days, client_for):
    """The form is drawn in Python (followup_site.crispy_layout), valid or not."""
    typed = "<script>alert(\"x\")</script> 'quoted'"

    response = client_for(UserFactory()).get("/search/", {"q": typed, "waiting_days": waiting_days})

    body = response.content.decode()
    assert response.status_code == (400 if waiting_days else 200)
    assert "<script>alert" not in body
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#x27;quoted&#x27;"' in body


@time_machine.travel(NOW, tick=False)
def test_the_filters_narrow_the_results_to_matching_applications(seeker, client_for):
    user = seeker["user"]
    acme, globex = seeker["acme"], seeker["globex"]
    client = client_for(user)
    # Acme: a thank-you two days ago, no reply since; an overdue task. Globex: an interview
    # ahead, at the screening stage.
    ReminderFactory(user=user, application=acme, due_at=NOW - timedelta(hours=2))
    InterviewFactory(application=globex, starts_at=NOW + timedelta(days=2))
    Application.objects.filter(pk=globex.pk).update(stage=Application.Stage.SCREENING)

    def applications(**params) -> list[str]:
        return groups_of(client.get("/search/", params)).get("applications", [])

    assert applications(overdue="on") == [acme.get_absolute_url()]
    assert applications(interview_ahead="on") == [globex.get_absolute_url()]
    assert applications(stage="screening") == [globex.get_absolute_url()]
    assert applications(waiting_days="1") == [acme.get_absolute_url()]
    assert applications(waiting_days="3") == []
    # A filter applies to every kind: the draft is Globex's, the note and email Acme's.
    assert set(groups_of(client.get("/search/", {"q": "kubernetes", "overdue": "on"}))) == {
        "notes",
        "emails",
    }
    assert set(groups_of(client.get("/search/", {"q": "kubernetes", "stage": "screening"}))) == {
        "drafts"
    }
    # People: those interviewed for, or working at, a company of the filtered applications.
    dana = seeker["dana"].get_absolute_url()
    assert groups_of(client.get("/search/", {"q": "scully", "overdue": "on"})) == {"people": [dana]}
    assert groups_of(client.get("/search/", {"q": "scully", "stage": "screening"})) == {}
    # A reply ends the wait.
    OutreachFactory(
        user=user,
        application=acme,
        direction=Outreach.Direction.INCOMING,
        channel=Outreach.Channel.EMAIL,
        occurred_at=NOW - timedelta(days=1),
    )
    assert applications(waiting_days="1") == []


def test_no_other_kind_is_asked_when_no_application_passes_the_filters(
    seeker, client_for, django_assert_num_queries, session_queries
):
    client = client_for(seeker["user"])
    client.get("/search/")  # the session, warmed
    # Session (unless Redis holds it), user, the filtered applications: none.
    with django_assert_num_queries(2 + session_queries):
        response = client.get("/search/", {"q": "kubernetes", "stage": "offer"})
    assert response.status_code == 200
    assert groups_of(response) == {}
    assert [group.key for group in response.context["results"].groups] == [
        "applications",
        "people",
        "notes",
        "emails",
        "drafts",
    ]


def _orm_applications_matching(*, user, filters, now):
    """The ORM read the hand-written filters replaced (reminders.search before), the
    reference they are compared with."""
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
        replies = Outreach.objects.filter(
            application=OuterRef("pk"), direction=Outreach.Direction.INCOMING
        )
        applications = applications.annotate(
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
        applications = (
            applications.annotate(
                waiting_since=Subquery(unanswered.order_by("occurred_at").values("occurred_at")[:1])
            )
            .exclude(stage=Application.Stage.CLOSED)
            .filter(waiting_since__lt=now - timedelta(days=filters.waiting_days))
        )
    return set(applications.values_list("pk", flat=True))


def test_the_written_out_filters_pick_the_applications_the_orm_picked():
    user = UserFactory()
    other = ApplicationFactory(stage=Application.Stage.SCREENING)  # another user's
    ReminderFactory(user=other.user, application=other, due_at=NOW - timedelta(days=1))
    stages = [Application.Stage.APPLIED, Application.Stage.SCREENING, Application.Stage.CLOSED]
    for n in range(12):
        stage = stages[n % 3]
        application = ApplicationFactory(
            user=user,
            stage=stage,
            closed_reason=Application.ClosedReason.REJECTED
            if stage == Application.Stage.CLOSED
            else "",
        )
        if n % 2:
            ReminderFactory(
                user=user,
                application=application,
                due_at=NOW + timedelta(days=(n % 4) - 2),
                state=Reminder.State.DONE if n % 5 == 0 else Reminder.State.SNOOZED,
            )
        if n % 4 in (1, 2):
            InterviewFactory(
                application=application,
                starts_at=NOW + timedelta(days=n - 6),
                ends_at=NOW + timedelta(days=n - 6, hours=1),
            )
        # Outreaches: none, one sent, a reply after it, another sent after the reply.
        for step in range(n % 4):
            OutreachFactory(
                user=user,
                application=application,
                direction=Outreach.Direction.INCOMING if step == 1 else Outreach.Direction.OUTGOING,
                occurred_at=NOW - timedelta(days=9 - 2 * step - n % 3),
            )
    picked = set()
    for stage in ("", Application.Stage.SCREENING):
        for overdue in (False, True):
            for interview_ahead in (False, True):
                for waiting_days in (None, 1, 3, 6):
                    filters = Filters(
                        stage=stage,
                        overdue=overdue,
                        waiting_days=waiting_days,
                        interview_ahead=interview_ahead,
                    )
                    sql, params = applications_matching_sql(
                        user_id=user.pk, filters=filters, now=NOW
                    )
                    with connection.cursor() as cursor:
                        cursor.execute(sql, params)
                        written = {pk for (pk,) in cursor.fetchall()}
                    assert written == _orm_applications_matching(
                        user=user, filters=filters, now=NOW
                    ), filters
                    picked.add(frozenset(written))
    # The history tells the filters apart: many different picks, some of them empty.
    assert len(picked) > 8
    assert frozenset() in picked


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"stage": "nonsense"},
        {"waiting_days": "abc"},
        {"waiting_days": "0"},
        {"waiting_days": "99999999999999999999999"},
        {"waiting_days": "²"},
    ],
)
def test_bad_input_answers_400_with_the_form_and_what_was_typed(params, client_for):
    response = client_for(UserFactory()).get("/search/", params)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert "is-invalid" in response.content.decode()


def test_a_nul_byte_answers_400(client_for):
    assert client_for(UserFactory()).get("/search/", {"q": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("q", ['"', "-", "or", '"unclosed phrase', "!!! ???", "a & b | c", "-(x)"])
def test_odd_queries_answer_200(q, seeker, client_for):
    assert client_for(seeker["user"]).get("/search/", {"q": q}).status_code == 200


def test_the_page_needs_a_log_in(client):
    response = client.get("/search/", {"q": "x"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("rows", [1, 50])
def test_the_query_count_does_not_grow_with_the_applications(
    rows, client_for, django_assert_num_queries, session_queries
):
    user = UserFactory()
    for n in range(rows):
        application = ApplicationFactory(user=user, company__name=f"Kubernetes shop {n}")
        contact = ContactFactory(user=user, company=application.company, name=f"Kubernetes {n}")
        interview = InterviewFactory(application=application)
        interview.interviewers.add(contact)
        NoteFactory(interview=interview, contact=contact, text="kubernetes operators")
        OutreachFactory(
            user=user,
            application=application,
            contact=contact,
            body="kubernetes",
            occurred_at=timezone.now() - timedelta(days=5),
        )
        Draft.objects.create(
            user=user,
            application=application,
            contact=contact,
            occasion=Occasion.CHECK_IN,
            body="kubernetes",
        )
    client = client_for(user)
    client.get("/search/")  # the session, warmed
    # Session (unless Redis holds it), user, then one query per kind: applications, people,
    # notes, emails, drafts.
    with django_assert_num_queries(6 + session_queries):
        response = client.get("/search/", {"q": "kubernetes", "overdue": "", "waiting_days": "2"})
    assert response.status_code == 200
    # Every kind found, up to the first 20 of each.
    assert response.context["results"].total == 5 * min(rows, 20)


def test_query_terms_leave_out_operators_and_excluded_words():
    assert query_terms('"event sourcing" or Kafka -java') == ["event", "sourcing", "Kafka"]


def test_highlight_marks_stemmed_matches_and_cuts_around_the_first_one():
    parts = highlight("x " * 200 + "we talked about tuning queries", ["tunes"], limit=60)
    assert parts[0] == ("…", False)
    assert ("tuning", True) in parts
    assert "".join(part for part, _ in parts).endswith("queries")
