"""The applications and contacts lists' rows and the stage badge, rendered in Python."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone

from interviews.application_html import (
    application_rows_html,
    interview_timeline_html,
    stage_badge_html,
)
from interviews.application_query import application_people, application_timeline
from interviews.contact_html import contact_rows_html
from interviews.models import Application, Company, Contact, Interview, Note
from interviews.selectors import interview_summarize
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory, NoteFactory


@pytest.mark.parametrize("stage", Application.Stage.values)
@pytest.mark.parametrize("reason", ["", *Application.ClosedReason.values])
def test_the_stage_badge_is_the_include_the_board_uses(stage, reason):
    application = Application(stage=stage, closed_reason=reason)
    expected = render_to_string(
        "interviews/includes/stage_badge.html", {"application": application}
    )
    assert stage_badge_html(application) == expected.strip()


def test_a_row_links_the_role_and_shows_the_next_interview_in_the_users_zone():
    application = Application(
        pk=12,
        role="Data <engineer>",
        stage=Application.Stage.SCREENING,
        company=Company(name="A&B"),
    )
    application.interview_count = 2
    application.next_interview_at = datetime(2025, 3, 10, 8, 30, tzinfo=UTC)
    with timezone.override(ZoneInfo("Europe/Berlin")):
        html = application_rows_html([application])
    assert '<a href="/applications/12/">Data &lt;engineer&gt;</a>' in html
    assert "<td>A&amp;B</td>" in html
    assert "Mon 10 Mar, 09:30" in html


def test_no_rows_say_so():
    assert "Nothing here yet." in application_rows_html([])


def test_a_contact_row_shows_title_company_and_a_pluralized_count():
    one = Contact(pk=5, name="Ana <L>", job_title="CTO", company=Company(pk=1, name="A&B"))
    one.interview_count = 1
    two = Contact(pk=6, name="Bo", job_title="")
    two.interview_count = 0
    html = contact_rows_html([one, two])
    assert '<a href="/contacts/5/"' in html
    assert '<div class="fw-semibold">Ana &lt;L&gt;</div>' in html
    assert '<div class="small text-body-secondary">CTO · A&amp;B</div>' in html
    assert ">1 interview</span>" in html
    assert '<div class="small text-body-secondary"></div>' in html
    assert ">0 interviews</span>" in html


# The application page's interview loop as a template, before it was written in Python.
_TIMELINE_TEMPLATE = Template(
    """{% load interview_notes row_links %}{% for summary in timeline %}
      <section class="timeline-item" id="interview-{{ summary.interview.pk }}">
        <div class="d-flex flex-wrap justify-content-between gap-2 mb-2">
          <div>
            <a class="fw-semibold" href="{{ summary.interview.get_absolute_url }}">"""
    """{{ summary.interview.starts_at|date:"l j F Y, H:i" }}\u2013"""
    """{{ summary.interview.ends_at|date:"H:i T" }}</a>
            <span class="badge bg-body-secondary text-body border">"""
    """{{ summary.interview.get_format_display }}</span>
            {% if summary.interview.starts_at > now %}"""
    """<span class="badge text-bg-info">upcoming</span>{% endif %}
            {% if summary.interview.location %}<div class="small text-body-secondary text-break">"""
    """{{ summary.interview.location }}</div>{% endif %}
          </div>
          <div class="small text-nowrap">
            <a href="{% id_url 'interviews:interview_edit' summary.interview.pk %}">Edit</a> ·
            <a href="{% id_url 'interviews:interview_delete' summary.interview.pk %}" """
    """class="link-danger">Delete</a>
          </div>
        </div>
        {% interview_people summary compose_link="follow_up" %}
      </section>
      {% endfor %}"""
)


@pytest.mark.django_db
def test_the_interview_timeline_is_the_template_loop_it_replaces_with_every_value_escaped():
    application = ApplicationFactory()
    now = timezone.now()
    upcoming = InterviewFactory(
        application=application,
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
        format=Interview.Format.ONSITE,
        location="Room <script>alert(\"x\")</script> & 'B'",
    )
    InterviewFactory(
        application=application,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=1),
        location="",
    )
    person = ContactFactory(user=application.user, name="<b>Ana</b>")
    upcoming.interviewers.add(person)
    NoteFactory(interview=upcoming, contact=person, kind=Note.Kind.TOPIC, text="<i>x</i>")
    NoteFactory(
        interview=upcoming,
        contact=None,
        kind=Note.Kind.ANSWER_TO_FIX,
        text="I said <u>",
        question='"Why?" <q>',
        better_answer="<em>because</em>",
    )
    people = application_people(
        user_id=application.user_id,
        application_id=application.pk,
        company_id=application.company_id,
    )
    timeline = application_timeline(application_id=application.pk, interviewers=people.interviewers)
    # The loop drew the interviews and notes the ORM read; ours draws the rows read in SQL.
    models = [
        interview_summarize(interview=interview)
        for interview in application.interviews.order_by("-starts_at", "-pk")
    ]
    with timezone.override(ZoneInfo("America/New_York")):
        ours = interview_timeline_html(timeline, now=now)
        theirs = _TIMELINE_TEMPLATE.render(Context({"timeline": models, "now": now}))
    assert ours == theirs
    assert ours.count('<span class="badge text-bg-info">upcoming</span>') == 1
    assert "Room &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;B&#x27;" in ours
    assert "<script>" not in ours and "<b>Ana" not in ours
    assert "&quot;Why?&quot; &lt;q&gt;" in ours and "&lt;em&gt;because&lt;/em&gt;" in ours
