"""The dashboard: the Today strip and the board of applications by stage.

Time is frozen in each test; the user lives in Berlin or New York as the test says.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Application
from interviews.note_text import InterviewerDraft
from interviews.services import interview_log
from outreach.models import Draft, Occasion, Outreach
from reminders.models import Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    OutreachFactory,
    ReminderFactory,
    UserFactory,
)
from tests.reminders.story import Story
from tests.reminders.support import BERLIN, NEW_YORK, local, user_in

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
ZONES = pytest.mark.parametrize("zone", [BERLIN, NEW_YORK], ids=["berlin", "new-york"])
NOW = datetime(2025, 6, 2, 10, 0, tzinfo=UTC)  # a Monday: 12:00 in Berlin, 06:00 in New York


def stage_url(application: Application) -> str:
    return reverse("application_stage", args=[application.pk])


def column_of(html: str, application: Application) -> str:
    """The stage of the board column (or "closed") the application's card is in."""
    card = html.index(f'id="application-{application.pk}"')
    before = html[:card]
    closed = before.rfind('class="board-closed-list"')
    column = before.rfind('class="board-list" data-stage="')
    if closed > column:
        return "closed"
    start = column + len('class="board-list" data-stage="')
    return before[start : before.index('"', start)]


# --- Today ----------------------------------------------------------------------------------


@ZONES
def test_a_thank_you_emailed_and_due_tomorrow_is_not_nothing_due(zone, client_for):
    """The story of the issue: Monday 16:00 an interview ends; the thank-you reminder is
    emailed an hour later; at 20:00 the dashboard must not say that nothing is due, but
    count down the 20 hours left until Tuesday 16:00, one click from the composer."""
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker, role="Data engineer")
    ana = ContactFactory(user=seeker, company=application.company, name="Ana Ortiz")
    story = Story(start=local(zone, 2026, 5, 11, 16, 5))
    try:
        interview_log(
            user=seeker,
            application=application,
            starts_at=local(zone, 2026, 5, 11, 15, 0),
            ends_at=local(zone, 2026, 5, 11, 16, 0),
            timezone_name=seeker.timezone,
            interviewers=[InterviewerDraft(contact=ana)],
        )
        story.until(local(zone, 2026, 5, 11, 20, 0))
        assert story.timeline(zone) and "Ana Ortiz" in story.sent[0].body
        thank_you = Reminder.objects.get(application=application, kind=Reminder.Kind.THANK_YOU)
        assert thank_you.state == Reminder.State.NOTIFIED

        html = client_for(seeker).get(DASHBOARD).content.decode()
    finally:
        story.close()

    assert "Nothing due" not in html
    assert 'id="nothing-due"' not in html
    assert html.count('data-today="thank-you"') == 1
    assert "20 h left" in html
    assert "by Tue 12 May, 16:00" in html  # the deadline on the user's own clock
    composer = reverse("reminders:compose_for_reminder", args=[thank_you.pk])
    assert f'href="{composer}"' in html


@ZONES
def test_nothing_due_is_said_only_when_nothing_is_due(zone, client_for):
    seeker = user_in(zone)
    application = ApplicationFactory(user=seeker)
    client = client_for(seeker)
    with time_machine.travel(NOW, tick=False):
        ReminderFactory(user=seeker, application=application, due_at=NOW + timedelta(days=6))
        assert 'id="nothing-due"' in client.get(DASHBOARD).content.decode()

        # Ten minutes before the local midnight: due today, whatever the zone.
        midnight = (NOW.astimezone(zone) + timedelta(days=1)).replace(hour=0, minute=0)
        task = ReminderFactory(
            user=seeker, application=application, due_at=midnight - timedelta(minutes=10)
        )
        html = client.get(DASHBOARD).content.decode()
        assert 'id="nothing-due"' not in html
        assert html.count('data-today="due-today"') == 1
        assert f'href="{reverse("reminders:task_detail", args=[task.pk])}"' in html

        task.state = Reminder.State.DONE
        task.save()
        assert 'id="nothing-due"' in client.get(DASHBOARD).content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_today_strip_escapes_what_users_and_their_contacts_wrote(user, client_for):
    """Titles, company and contact names, roles and subjects come out as text, in every
    kind of entry; more tasks than a group shows link to the task list."""
    hostile = '<script>alert("x")</script>'
    application = ApplicationFactory(user=user, role=f"Role {hostile}")
    application.company.name = f"Acme {hostile} & 'Co'"
    application.company.save()
    ana = ContactFactory(user=user, company=application.company, name=f"Ana {hostile}")
    for minutes in range(1, 8):  # overdue: five shown, "7 overdue in all"
        ReminderFactory(
            user=user,
            application=application,
            title=f"Own {hostile}",
            due_at=NOW - timedelta(minutes=minutes),
        )
    ReminderFactory(
        user=user,
        application=application,
        kind=Reminder.Kind.THANK_YOU,
        contact=ana,
        title="",
        due_at=NOW + timedelta(hours=3),
    )
    ReminderFactory(user=user, application=application, due_at=NOW + timedelta(hours=2))
    OutreachFactory(
        user=user,
        application=application,
        contact=ana,
        direction=Outreach.Direction.INCOMING,
        subject=f"Re: {hostile}",
        occurred_at=NOW - timedelta(hours=1),
    )
    InterviewFactory(
        application=application,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, hours=1),
    )

    html = client_for(user).get(DASHBOARD).content.decode()

    strip = html[html.index('id="today"') : html.index("</section>", html.index('id="today"'))]
    assert "<script>" not in strip
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert strip.count(f"Own {escaped}") == 5
    assert f"Thank Ana {escaped} for the interview" in strip
    assert strip.count(f"Acme {escaped} &amp; &#x27;Co&#x27;") == 9  # 7 tasks, reply, interview
    assert f"Ana {escaped} at Acme" in strip and f"“Re: {escaped}”" in strip
    assert f"Role {escaped} at Acme" in strip
    assert "7 overdue in all: see them" in strip
    assert "3 h left" in strip and 'data-today="due-today"' in strip


@time_machine.travel(NOW, tick=False)
def test_replies_show_once_since_the_last_visit(client_for):
    seeker = UserFactory(timezone="Europe/Berlin")
    application = ApplicationFactory(user=seeker)
    ana = ContactFactory(user=seeker, name="Ana Ortiz")
    client = client_for(seeker)
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        OutreachFactory(
            user=seeker,
            application=application,
            contact=ana,
            direction=Outreach.Direction.INCOMING,
            subject="Re: our talk",
            occurred_at=NOW - timedelta(days=2),
        )

    # A first visit shows the last week's replies, and marks the visit.
    html = client.get(DASHBOARD).content.decode()
    assert html.count('data-today="reply"') == 1 and "Re: our talk" in html
    seeker.refresh_from_db()
    assert seeker.dashboard_seen_at == NOW

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        html = client.get(DASHBOARD).content.decode()
        assert 'data-today="reply"' not in html
        assert "No new replies since your last visit" in html
    with time_machine.travel(NOW + timedelta(minutes=90), tick=False):
        OutreachFactory(
            user=seeker,
            application=application,
            contact=ana,
            direction=Outreach.Direction.INCOMING,
            subject="Re: next steps",
            occurred_at=NOW + timedelta(hours=1),
        )
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        html = client.get(DASHBOARD).content.decode()
    assert html.count('data-today="reply"') == 1
    assert "Re: next steps" in html and "Re: our talk" not in html


def test_a_reply_stays_new_through_the_visit_on_every_device_and_goes_with_it(client_for):
    """A visit lasts while the user comes back within half an hour: reloads, a task opened
    and the phone after the laptop all keep the replies that were new when it began."""
    seeker = UserFactory(timezone="Europe/Berlin")
    application = ApplicationFactory(user=seeker)
    laptop, phone = client_for(seeker), client_for(seeker)

    def replies(client, at: datetime) -> list[str]:
        with time_machine.travel(at, tick=False):
            html = client.get(DASHBOARD).content.decode()
        return re.findall(r'data-today="reply".*?“(.*?)”', html, re.S)

    assert replies(laptop, NOW - timedelta(days=1)) == []  # yesterday's visit
    with time_machine.travel(NOW - timedelta(hours=8), tick=False):
        OutreachFactory(
            user=seeker,
            application=application,
            direction=Outreach.Direction.INCOMING,
            subject="Re: the offer",
            occurred_at=NOW - timedelta(hours=8),
        )

    # This morning's visit: the reply stays on every look, on both devices.
    for minutes, client in ((0, laptop), (4, laptop), (12, laptop), (20, phone), (25, laptop)):
        assert replies(client, NOW + timedelta(minutes=minutes)) == ["Re: the offer"], minutes
    seeker.refresh_from_db()
    assert seeker.dashboard_seen_at == NOW + timedelta(minutes=25)
    assert seeker.dashboard_replies_since == NOW - timedelta(days=1)

    # Back after 45 minutes away: a new visit, and the reply is no longer new.
    with time_machine.travel(NOW + timedelta(minutes=70), tick=False):
        html = phone.get(DASHBOARD).content.decode()
    assert 'data-today="reply"' not in html
    assert "No new replies since your last visit" in html
    with time_machine.travel(NOW + timedelta(minutes=80), tick=False):
        OutreachFactory(
            user=seeker,
            application=application,
            direction=Outreach.Direction.INCOMING,
            subject="Re: start date",
            occurred_at=NOW + timedelta(minutes=80),
        )
    assert replies(laptop, NOW + timedelta(minutes=85)) == ["Re: start date"]
    assert replies(laptop, NOW + timedelta(minutes=99)) == ["Re: start date"]


@time_machine.travel(NOW, tick=False)
def test_the_next_interview_opens_its_application(user, logged_in_client):
    later = ApplicationFactory(user=user, role="Later role")
    sooner = ApplicationFactory(user=user, role="Sooner role")
    for application, days in ((later, 5), (sooner, 2)):
        InterviewFactory(
            application=application,
            starts_at=NOW + timedelta(days=days),
            ends_at=NOW + timedelta(days=days, hours=1),
        )

    html = logged_in_client.get(DASHBOARD).content.decode()

    entry = html[html.index('data-today="next-interview"') :]
    entry = entry[: entry.index("</li>")]
    assert sooner.get_absolute_url() in entry and "Sooner role" in entry


@time_machine.travel(NOW, tick=False)
def test_the_notices_list_recent_bounces_and_inactive_replies_escaped(user, logged_in_client):
    """Bounced or complained-of emails of the last 30 days, and replies kept while the account
    was inactive, newest first, every value escaped; older bounces, replies already seen and
    other users' rows stay out."""
    application = ApplicationFactory(user=user, role='Data <i>"engineer"</i>')
    contact = ContactFactory(user=user, name="Ana <script>x</script>", email="a&b@x.example")

    def outreach(subject, days, **fields):
        fields.setdefault("direction", Outreach.Direction.OUTGOING)
        return OutreachFactory(
            user=fields.pop("owner", user),
            application=fields.pop("application", application),
            contact=fields.pop("contact", contact),
            subject=subject,
            occurred_at=NOW - timedelta(days=days),
            **fields,
        )

    outreach('<b>"Thanks"</b>', 1, delivery=Outreach.Delivery.BOUNCED)
    outreach("Spam?", 2, contact=None, delivery=Outreach.Delivery.COMPLAINED)
    outreach("Too old", 31, delivery=Outreach.Delivery.BOUNCED)
    outreach("Arrived", 1, delivery=Outreach.Delivery.DELIVERED)
    kept = outreach(
        "Re: <em>us</em>", 3, direction=Outreach.Direction.INCOMING, received_while_inactive=True
    )
    outreach("Seen", 1, direction=Outreach.Direction.INCOMING)
    stranger = ApplicationFactory()
    outreach(
        "Not yours",
        1,
        owner=stranger.user,
        application=stranger,
        contact=None,
        delivery=Outreach.Delivery.BOUNCED,
    )

    html = logged_in_client.get(DASHBOARD).content.decode()

    notices = html[html.index('id="bounced-emails"') : html.index('id="order-label"')]
    assert "<script>" not in notices and "<b>" not in notices and "<em>" not in notices
    assert notices.index("&lt;b&gt;&quot;Thanks&quot;&lt;/b&gt;") < notices.index("Spam?")
    assert "Ana &lt;script&gt;x&lt;/script&gt; (a&amp;b@x.example)" in notices
    assert "an interviewer" in notices  # the complaint has no contact
    assert "Re: &lt;em&gt;us&lt;/em&gt;" in notices
    assert "Data &lt;i&gt;&quot;engineer&quot;&lt;/i&gt;" in notices
    assert f"{application.get_absolute_url()}#outreach-{kept.pk}" in notices
    assert contact.get_absolute_url() in notices
    for absent in ("Too old", "Arrived", "Seen", "Not yours"):
        assert absent not in notices


# --- Cards ----------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_a_card_says_how_long_since_contact_how_long_waiting_drafts_and_bounces(
    user, logged_in_client
):
    silent = ApplicationFactory(user=user, stage="screening")
    answered = ApplicationFactory(user=user, stage="applied")
    contact = ContactFactory(user=user)
    OutreachFactory(
        user=user,
        application=silent,
        contact=contact,
        delivery=Outreach.Delivery.BOUNCED,
        occurred_at=NOW - timedelta(days=5),
    )
    OutreachFactory(user=user, application=answered, occurred_at=NOW - timedelta(days=9))
    OutreachFactory(
        user=user,
        application=answered,
        direction=Outreach.Direction.INCOMING,
        occurred_at=NOW - timedelta(days=3),
    )
    for state in (Draft.SendState.IDLE, Draft.SendState.FAILED, Draft.SendState.SENT):
        Draft.objects.create(
            user=user,
            application=silent,
            contact=contact,
            occasion=Occasion.THANK_YOU,
            send_state=state,
        )

    html = logged_in_client.get(DASHBOARD).content.decode()

    silent_card = html[html.index(f'id="application-{silent.pk}"') :].split("</article>")[0]
    answered_card = html[html.index(f'id="application-{answered.pk}"') :].split("</article>")[0]
    assert "Last contact 5 days ago" in silent_card
    assert "Waiting for a reply: 5 days" in silent_card
    assert "2 open drafts" in silent_card
    assert "data-bounced" in silent_card
    assert "Last contact 3 days ago" in answered_card
    assert "data-waiting" not in answered_card
    assert "data-drafts" not in answered_card and "data-bounced" not in answered_card
    assert column_of(html, silent) == "screening"
    assert column_of(html, answered) == "applied"


def card_of(html: str, application: Application) -> str:
    return html[html.index(f'id="application-{application.pk}"') :].split("</article>")[0]


@ZONES
def test_an_interview_ahead_is_on_its_card_and_a_next_step_in_the_boards_order(zone, client_for):
    seeker = user_in(zone)
    # Thursday 5 June, 10:00 on the user's own clock, three days ahead.
    thursday = local(zone, 2025, 6, 5, 10, 0)
    only_interview = ApplicationFactory(user=seeker, stage="screening", company__name="Wayne")
    InterviewFactory(
        application=only_interview, starts_at=thursday, ends_at=thursday + timedelta(hours=1)
    )
    # Its first interview is over; the next one is after its follow-up.
    both = ApplicationFactory(user=seeker, stage="screening", company__name="Both")
    InterviewFactory(
        application=both,
        starts_at=NOW - timedelta(days=2),
        ends_at=NOW - timedelta(days=2) + timedelta(hours=1),
    )
    InterviewFactory(
        application=both,
        starts_at=thursday + timedelta(days=7),
        ends_at=thursday + timedelta(days=7, hours=1),
    )
    ReminderFactory(
        user=seeker, application=both, title="Follow up", due_at=NOW + timedelta(days=1)
    )
    check_in = ApplicationFactory(user=seeker, stage="screening", company__name="Later")
    ReminderFactory(user=seeker, application=check_in, due_at=NOW + timedelta(days=30))
    overdue = ApplicationFactory(user=seeker, stage="screening", company__name="Overdue")
    ReminderFactory(user=seeker, application=overdue, due_at=NOW - timedelta(hours=2))
    idle = ApplicationFactory(user=seeker, stage="screening", company__name="Idle")
    closed = ApplicationFactory(
        user=seeker, stage="closed", closed_reason="withdrawn", company__name="Closed"
    )
    InterviewFactory(application=closed, starts_at=thursday, ends_at=thursday + timedelta(hours=1))

    with time_machine.travel(NOW, tick=False):
        client = client_for(seeker)
        html = client.get(DASHBOARD).content.decode()
        closed_html = client.get(reverse("board_column", args=["closed"])).content.decode()

    card = card_of(html, only_interview)
    assert '<span class="d-block" data-interview-ahead>Interview Thu 5 Jun, 10:00</span>' in card
    assert "Nothing planned" not in card
    card = card_of(html, both)
    assert "Follow up" in card
    assert "data-interview-ahead>Interview Thu 12 Jun, 10:00</span>" in card
    assert "Nothing planned" in card_of(html, idle)
    assert "data-interview-ahead" not in card_of(html, idle) + card_of(html, check_in)
    # A closed application's interview is no plan of the user's.
    assert "data-interview-ahead" not in card_of(closed_html, closed)
    # By next step: the overdue task, tomorrow's follow-up, Thursday's interview, the
    # check-in next month, then the application with nothing planned.
    expected = [overdue, both, only_interview, check_in, idle]
    assert sorted(expected, key=lambda a: html.index(f'id="application-{a.pk}"')) == expected


@time_machine.travel(NOW, tick=False)
def test_the_board_escapes_what_users_and_their_contacts_wrote(user, logged_in_client):
    """The cards are written in Python (reminders/board_html.py): every name, role and
    title in them is escaped, on the board and in a column loaded alone."""
    hostile = '<script>alert("x")</script>'
    application = ApplicationFactory(
        user=user, stage="applied", role=f"Role {hostile}", company__name=f"Acme {hostile} & 'Co'"
    )
    contact = ContactFactory(user=user, name=f"Ana {hostile}")
    ReminderFactory(
        user=user,
        application=application,
        contact=contact,
        kind=Reminder.Kind.FOLLOW_UP,
        custom_title="",
        due_at=NOW + timedelta(days=2),
    )
    closed = ApplicationFactory(
        user=user, stage="closed", closed_reason="rejected", role=f"Old {hostile}"
    )
    ReminderFactory(
        user=user,
        application=closed,
        kind=Reminder.Kind.CUSTOM,
        custom_title=f"Own {hostile}",
        due_at=NOW + timedelta(days=3),
    )

    board = logged_in_client.get(DASHBOARD).content.decode()
    board = board[board.index('<div id="board"') :]
    applied = logged_in_client.get(reverse("board_column", args=["applied"])).content.decode()
    opened = logged_in_client.get(reverse("board_column", args=["closed"])).content.decode()

    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    for html in (board, applied):
        card = html[html.index(f'id="application-{application.pk}"') :].split("</article>")[0]
        assert "<script>" not in card
        assert f"Acme {escaped} &amp; &#x27;Co&#x27;</a>" in card
        assert f"Role {escaped}</div>" in card
        assert f"Follow up with Ana {escaped}</a>" in card
        assert f"Move Acme {escaped} &amp; &#x27;Co&#x27;, Role {escaped}, to</label>" in card
    closed_card = opened[opened.index(f'id="application-{closed.pk}"') :].split("</article>")[0]
    assert "<script>" not in closed_card
    assert f"Old {escaped}</div>" in closed_card and f"Own {escaped}</a>" in closed_card


@time_machine.travel(NOW, tick=False)
def test_closed_applications_fold_away_under_the_columns_and_load_when_opened(
    user, logged_in_client
):
    closed = ApplicationFactory(user=user, stage="closed", closed_reason="rejected")
    open_one = ApplicationFactory(user=user, stage="offer")

    html = logged_in_client.get(DASHBOARD).content.decode()

    assert '<details class="board-closed' in html
    closed_url = reverse("board_column", args=["closed"])
    # Counted, not rendered: htmx reads the list when the section first opens, and
    # without JavaScript a link leads to the closed applications' list.
    assert 'Closed <span class="badge text-bg-secondary">1</span>' in html
    assert f'data-application="{closed.pk}"' not in html
    assert f'hx-get="{closed_url}?order=next" hx-trigger="toggle once"' in html
    assert f'href="{reverse("interviews:application_list")}?stage=closed"' in html
    assert column_of(html, open_one) == "offer"
    for stage in ("applied", "screening", "interviewing", "offer"):
        assert f'class="board-list" data-stage="{stage}"' in html

    opened = logged_in_client.get(closed_url, headers={"HX-Request": "true"}).content.decode()
    assert opened.lstrip().startswith('<div class="board-closed-body"')
    assert column_of(opened, closed) == "closed"
    assert "Reopen" in opened and "Closed: rejected" in opened
    assert "?stage=closed" not in opened  # all there: no link to the list


@time_machine.travel(NOW, tick=False)
def test_the_board_orders_by_next_action_by_last_activity_or_by_company(user, logged_in_client):
    zeta = ApplicationFactory(user=user, company__name="Zeta")
    alpha = ApplicationFactory(user=user, company__name="alpha")
    mid = ApplicationFactory(user=user, company__name="Mid")
    ReminderFactory(user=user, application=mid, due_at=NOW - timedelta(hours=1))
    ReminderFactory(user=user, application=zeta, due_at=NOW + timedelta(days=1))
    OutreachFactory(user=user, application=alpha, occurred_at=NOW + timedelta(minutes=1))

    def order(query: str) -> list[Application]:
        html = logged_in_client.get(f"{DASHBOARD}{query}").content.decode()
        return sorted([zeta, alpha, mid], key=lambda a: html.index(f'id="application-{a.pk}"'))

    assert order("") == [mid, zeta, alpha]
    assert order("?order=next") == [mid, zeta, alpha]
    assert order("?order=company") == [alpha, mid, zeta]
    assert order("?order=activity")[0] == alpha
    assert order("?order=sideways") == [mid, zeta, alpha]
    # The order is kept by every card's stage form.
    html = logged_in_client.get(f"{DASHBOARD}?order=company").content.decode()
    assert html.count('name="order" value="company"') == 3


# --- Stage changes --------------------------------------------------------------------------


def thank_you_pending(user) -> Application:
    """An application whose interview ended an hour ago: its thank-you task is open."""
    application = ApplicationFactory(user=user, stage="screening")
    interview_log(
        user=user,
        application=application,
        starts_at=NOW - timedelta(hours=2),
        ends_at=NOW - timedelta(hours=1),
        timezone_name=user.timezone,
        interviewers=[InterviewerDraft(contact=ContactFactory(user=user))],
    )
    application.refresh_from_db()
    assert Reminder.objects.filter(
        application=application, kind=Reminder.Kind.THANK_YOU, state__in=Reminder.OPEN_STATES
    ).exists()
    return application


@time_machine.travel(NOW, tick=False)
def test_the_plain_form_moves_a_card_and_returns_to_the_board_in_its_order(user, logged_in_client):
    application = ApplicationFactory(user=user)

    response = logged_in_client.post(
        stage_url(application), {"stage": "screening", "order": "company"}
    )

    assert response.status_code == 302
    assert response.url == f"{DASHBOARD}?order=company#application-{application.pk}"
    application.refresh_from_db()
    assert application.stage == Application.Stage.SCREENING
    html = logged_in_client.get(response.url).content.decode()
    assert column_of(html, application) == "screening"
    assert "Moved “" in html


@time_machine.travel(NOW, tick=False)
def test_an_htmx_move_answers_with_the_board_alone(user, logged_in_client):
    application = ApplicationFactory(user=user)

    response = logged_in_client.post(
        stage_url(application), {"stage": "offer"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    assert "<html" not in html
    assert column_of(html, application) == "offer"
    assert f'data-moved="{application.pk}"' in html
    assert 'id="board-status"' in html and 'hx-swap-oob="true"' in html


@time_machine.travel(NOW, tick=False)
def test_closing_from_the_board_cancels_pending_tasks_and_reopening_replans(user, logged_in_client):
    application = thank_you_pending(user)

    response = logged_in_client.post(stage_url(application), {"stage": "closed:no_response"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.stage, application.closed_reason) == ("closed", "no_response")
    assert not Reminder.objects.filter(
        application=application, state__in=Reminder.OPEN_STATES
    ).exists()

    response = logged_in_client.post(stage_url(application), {"stage": "interviewing"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.stage, application.closed_reason, application.closed_at) == (
        "interviewing",
        "",
        None,
    )
    # Reopened, the rules plan again; the thank-you still ahead of its deadline comes back.
    assert Reminder.objects.filter(
        application=application, kind=Reminder.Kind.THANK_YOU, state__in=Reminder.OPEN_STATES
    ).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"stage": "archived"}, "“archived” is not a stage"),
        ({"stage": "closed"}, "“closed” is not a stage"),
        ({"stage": "closed:bored"}, "is not a stage"),
        ({"stage": ""}, "Choose a stage"),
        ({}, "Choose a stage"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_a_bad_stage_is_refused_with_a_clear_message_and_changes_nothing(
    user, logged_in_client, data, message
):
    application = thank_you_pending(user)

    for headers in ({}, {"HX-Request": "true"}):
        response = logged_in_client.post(stage_url(application), data, headers=headers)
        assert response.status_code == 400
        assert message in response.content.decode()

    application.refresh_from_db()
    assert application.stage == "interviewing"
    assert Reminder.objects.filter(application=application, state__in=Reminder.OPEN_STATES).exists()


@time_machine.travel(NOW, tick=False)
def test_closing_a_closed_application_again_is_refused(user, logged_in_client):
    application = ApplicationFactory(user=user, stage="closed", closed_reason="rejected")

    response = logged_in_client.post(stage_url(application), {"stage": "closed:withdrawn"})

    assert response.status_code == 400
    assert "already closed" in response.content.decode()
    application.refresh_from_db()
    assert application.closed_reason == "rejected"


def test_another_users_application_cannot_be_moved(user, logged_in_client):
    theirs = ApplicationFactory(stage="applied")

    response = logged_in_client.post(stage_url(theirs), {"stage": "offer"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.stage == "applied"


def test_a_stage_change_is_a_post_by_a_signed_in_user(user, logged_in_client, client):
    application = ApplicationFactory(user=user, stage="applied")

    assert logged_in_client.get(stage_url(application)).status_code == 405
    response = client.post(stage_url(application), {"stage": "offer"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    application.refresh_from_db()
    assert application.stage == "applied"


# --- Query count ----------------------------------------------------------------------------


def busy_application(user, n: int) -> Application:
    """An application with two interviews, an interviewer, an overdue task, a thank-you still
    running, two drafts, a bounced email, a reply and an email still unanswered."""
    application = ApplicationFactory(
        user=user,
        role=f"Role {n}",
        stage=["applied", "screening", "interviewing", "offer"][n % 4],
    )
    contact = ContactFactory(user=user, company=application.company)
    for days in (-2, 3):
        interview = InterviewFactory(
            application=application,
            starts_at=NOW + timedelta(days=days),
            ends_at=NOW + timedelta(days=days, hours=1),
        )
        interview.interviewers.add(contact)
    ReminderFactory(user=user, application=application, due_at=NOW - timedelta(hours=2))
    ReminderFactory(
        user=user,
        application=application,
        contact=contact,
        kind=Reminder.Kind.THANK_YOU,
        state=Reminder.State.NOTIFIED,
        due_at=NOW + timedelta(hours=20),
    )
    ReminderFactory(user=user, application=application, due_at=NOW + timedelta(days=4))
    for _ in range(2):
        Draft.objects.create(
            user=user, application=application, contact=contact, occasion=Occasion.THANK_YOU
        )
    OutreachFactory(
        user=user,
        application=application,
        contact=contact,
        delivery=Outreach.Delivery.BOUNCED,
        occurred_at=NOW - timedelta(days=1),
    )
    OutreachFactory(
        user=user,
        application=application,
        contact=contact,
        direction=Outreach.Direction.INCOMING,
        occurred_at=NOW - timedelta(hours=1),
    )
    return application


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_and_a_move_make_as_many_queries_for_50_applications_as_for_1(
    user, client_for, django_assert_num_queries, settings
):
    settings.BOARD_COLUMN_CARDS = 50  # every card on the page, each with its facts
    client = client_for(user)
    first = busy_application(user, 0)
    client.get(DASHBOARD)  # warm the session
    with CaptureQueriesContext(connection) as one:
        response = client.get(DASHBOARD)
    # Counted at once: the captured slice indexes a log that the next request resets.
    dashboard_queries = len(one)
    assert response.status_code == 200
    # The first moves re-plan the made-up tasks away; measure the same move each time.
    for stage in ("interviewing", "screening"):
        client.post(stage_url(first), {"stage": stage}, headers={"HX-Request": "true"})
    with CaptureQueriesContext(connection) as one_move:
        client.post(stage_url(first), {"stage": "offer"}, headers={"HX-Request": "true"})
    move_queries = len(one_move)
    client.post(stage_url(first), {"stage": "screening"}, headers={"HX-Request": "true"})
    for n in range(1, 50):
        busy_application(user, n)

    with django_assert_num_queries(dashboard_queries):
        response = client.get(DASHBOARD)
    html = response.content.decode()
    assert html.count("data-application=") == 50
    assert html.count("2 open drafts") == 50
    assert html.count("data-bounced") == 50
    assert "50 overdue in all" in html
    # (The move re-planned the first application, whose made-up thank-you the rules drop.)
    assert html.count('data-today="thank-you"') == 5 and "thank-yous waiting in all" in html
    with django_assert_num_queries(move_queries):
        response = client.post(stage_url(first), {"stage": "offer"}, headers={"HX-Request": "true"})
    assert response.content.decode().count("data-application=") == 50


# --- First cards, "Show all", the closed ones -----------------------------------------------


def applied_in_due_order(user, count: int) -> list[Application]:
    """``count`` applications in Applied, each with a task due an hour after the last."""
    made = []
    for n in range(count):
        application = ApplicationFactory(user=user, stage="applied", role=f"Applied {n}")
        ReminderFactory(user=user, application=application, due_at=NOW + timedelta(hours=n + 1))
        made.append(application)
    return made


def cards_in(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-application="(\d+)"', html)]


@time_machine.travel(NOW, tick=False)
def test_a_column_shows_its_first_cards_and_counts_them_all(user, logged_in_client, settings):
    settings.BOARD_COLUMN_CARDS = 2
    applied = applied_in_due_order(user, 5)
    screening = ApplicationFactory(user=user, stage="screening")

    html = logged_in_client.get(DASHBOARD).content.decode()

    assert cards_in(html) == [applied[0].pk, applied[1].pk, screening.pk]
    assert 'Applied <span class="badge text-bg-secondary">5</span>' in html
    column_url = reverse("board_column", args=["applied"])
    show_all = html[html.index('class="btn btn-link board-more"') :].split("</a>")[0]
    assert f'href="{reverse("interviews:application_list")}?stage=applied"' in show_all
    assert f'hx-get="{column_url}?order=next"' in show_all
    assert 'hx-target="closest .board-column"' in show_all
    assert "Show all 5" in show_all
    assert html.count("board-more") == 1  # none under Screening, whose one card is there
    assert "data-shown" not in html


@time_machine.travel(NOW, tick=False)
def test_show_all_loads_the_whole_column_in_the_boards_order(user, logged_in_client, settings):
    settings.BOARD_COLUMN_CARDS = 2
    applied = applied_in_due_order(user, 5)
    ApplicationFactory(user=user, stage="screening")
    ApplicationFactory(stage="applied")  # someone else's
    column_url = reverse("board_column", args=["applied"])

    response = logged_in_client.get(f"{column_url}?order=next", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section class="board-column" id="board-column-applied"')
    assert 'data-shown="all"' in html
    assert cards_in(html) == [application.pk for application in applied]
    assert "board-more" not in html
    # Each card keeps its stage form, in the board's order.
    assert html.count('class="board-move"') == 5
    company = logged_in_client.get(f"{column_url}?order=company").content.decode()
    assert company.count('name="order" value="company"') == 5
    # Without JavaScript, the link lists the stage's applications on their own page.
    listed = logged_in_client.get(f"{reverse('interviews:application_list')}?stage=applied")
    assert all(application.role in listed.content.decode() for application in applied)


def test_a_column_is_a_stage_and_needs_a_signed_in_user(logged_in_client, client):
    assert logged_in_client.get(reverse("board_column", args=["archived"])).status_code == 404
    response = client.get(reverse("board_column", args=["applied"]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert logged_in_client.post(reverse("board_column", args=["applied"])).status_code == 405


@time_machine.travel(NOW, tick=False)
def test_a_move_keeps_the_columns_shown_as_they_were_and_shows_the_moved_card(
    user, logged_in_client, settings
):
    settings.BOARD_COLUMN_CARDS = 2
    applied = applied_in_due_order(user, 4)
    closed = ApplicationFactory(user=user, stage="closed", closed_reason="rejected")
    # Due last of all: in Screening it comes after the first two.
    moved = ApplicationFactory(user=user, stage="offer")
    screening = applied_in_due_order(user, 0)
    for n in range(3):
        app = ApplicationFactory(user=user, stage="screening")
        ReminderFactory(user=user, application=app, due_at=NOW + timedelta(minutes=n + 1))
        screening.append(app)

    response = logged_in_client.post(
        stage_url(moved),
        {"stage": "screening", "shown": "applied closed"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    # Applied and Closed were shown in full, and stay so; Screening shows its first two
    # and, last, the card just moved there.
    assert cards_in(html) == [
        *[application.pk for application in applied],
        screening[0].pk,
        screening[1].pk,
        moved.pk,
        closed.pk,
    ]
    assert column_of(html, moved) == "screening"
    assert 'Screening <span class="badge text-bg-secondary">4</span>' in html
    assert html.count('data-shown="all"') == 2

    # Closing a card while the closed ones are folded shows it there, alone, until opened.
    response = logged_in_client.post(
        stage_url(applied[0]), {"stage": "closed:withdrawn"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert column_of(html, applied[0]) == "closed"
    assert f'data-application="{closed.pk}"' not in html
    assert 'Closed <span class="badge text-bg-secondary">2</span>' in html


@time_machine.travel(NOW, tick=False)
def test_the_board_and_its_columns_take_as_many_queries_for_50_applications_as_for_1(
    user, client_for, settings
):
    """With columns of three cards, so that most of the 50 are counted and not shown."""
    settings.BOARD_COLUMN_CARDS = 3
    client = client_for(user)
    first = busy_application(user, 0)
    ApplicationFactory(user=user, stage="closed", closed_reason="rejected")
    paths = [
        DASHBOARD,
        f"{DASHBOARD}?order=activity",
        f"{DASHBOARD}?order=company",
        reverse("board_column", args=["applied"]),
        reverse("board_column", args=["closed"]),
    ]
    client.get(DASHBOARD)  # warm the session

    def counts() -> list[int]:
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            client.post(
                stage_url(first),
                {"stage": "offer", "shown": "applied"},
                headers={"HX-Request": "true"},
            )
        found.append(len(queries))
        client.post(stage_url(first), {"stage": "applied"}, headers={"HX-Request": "true"})
        return found

    counts()  # the first moves re-plan the made-up tasks away
    one = counts()
    for n in range(1, 50):
        busy_application(user, n)
        ApplicationFactory(user=user, stage="closed", closed_reason="rejected")

    assert counts() == one
    html = client.get(DASHBOARD).content.decode()
    assert html.count("data-application=") == 3 * 4  # three in each of four columns
    assert 'Closed <span class="badge text-bg-secondary">50</span>' in html
    column = client.get(reverse("board_column", args=["applied"])).content.decode()
    assert column.count("data-application=") == 13
