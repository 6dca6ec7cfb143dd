"""The drafts page: every message started and not sent yet, and the way back to it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.models import Draft, Occasion
from tests.factories import ApplicationFactory, ContactFactory, UserFactory
from tests.outreach.support import draft_of

pytestmark = pytest.mark.django_db

# 03:30 UTC on 10 March 2025 is 23:30 on Sunday 9 March in New York (EDT, UTC-4).
NOW = datetime(2025, 3, 10, 3, 30, tzinfo=UTC)
DRAFTS = reverse("outreach:draft_list")


@pytest.fixture
def new_yorker():
    return UserFactory(timezone="America/New_York")


def row_ids(response) -> list[int]:
    return [draft.pk for draft in response.context["drafts"]]


def test_the_drafts_page_lists_what_is_not_sent_yet_last_saved_first(new_yorker, client_for):
    idle = draft_of(new_yorker, saved_at=NOW - timedelta(days=2))
    failed = draft_of(new_yorker, send_state=Draft.SendState.FAILED, saved_at=NOW - timedelta(1))
    uncertain = draft_of(new_yorker, send_state=Draft.SendState.UNCERTAIN, saved_at=NOW)
    sent = draft_of(new_yorker, send_state=Draft.SendState.SENT, saved_at=NOW)
    someone_elses = draft_of(UserFactory(), saved_at=NOW)

    response = client_for(new_yorker).get(DRAFTS)

    assert response.status_code == 200
    assert row_ids(response) == [uncertain.pk, failed.pk, idle.pk]
    html = response.content.decode()
    assert f'id="draft-{sent.pk}"' not in html and sent.subject not in html
    assert f'id="draft-{someone_elses.pk}"' not in html


@time_machine.travel(NOW, tick=False)
def test_a_row_shows_whom_which_application_what_occasion_and_when_in_the_users_zone(
    new_yorker, client_for
):
    application = ApplicationFactory(user=new_yorker, company__name="Acme", role="SRE")
    ana = ContactFactory(user=new_yorker, name="Ana Ortiz", email="ana@acme.example")
    draft = draft_of(
        new_yorker,
        application=application,
        contact=ana,
        occasion=Occasion.CHECK_IN,
        subject="Checking in <b>now</b>",
    )
    card = draft_of(
        new_yorker,
        application=application,
        contact=ana,
        occasion=Occasion.CARD,
        subject="",
        body="Dear Ana,\nThank you for the tour of the lab.",
        saved_at=NOW - timedelta(hours=1),
    )

    html = client_for(new_yorker).get(DRAFTS).content.decode()

    row = html[html.index(f'id="draft-{draft.pk}"') : html.index(f'id="draft-{card.pk}"')]
    assert "Ana Ortiz &lt;ana@acme.example&gt;" in row
    assert "SRE at Acme" in row and application.get_absolute_url() in row
    assert "Checking in &lt;b&gt;now&lt;/b&gt;" in row
    assert "Monthly check-in" in row
    assert "Sun 9 Mar, 23:30 EDT" in row
    assert f'href="{reverse("outreach:draft_edit", args=[draft.pk])}"' in row
    # Without a subject (a card), the row opens with the first words of the text.
    assert "Dear Ana, Thank you for the tour of the lab." in html.replace("\n", " ")


def test_a_send_to_check_is_marked_and_counted_above_the_list(user, logged_in_client):
    uncertain = draft_of(user, send_state=Draft.SendState.UNCERTAIN)
    draft_of(user, send_state=Draft.SendState.FAILED, send_error="Mailbox unavailable")

    response = logged_in_client.get(DRAFTS)

    html = response.content.decode()
    assert "One message needs checking" in html
    row = html[html.index(f'id="draft-{uncertain.pk}"') :]
    assert 'data-send-state="uncertain"' in row[:200]
    assert "Check: did it go out?" in row and ">Check it<" in row
    assert "Not sent: failed" in html and "Mailbox unavailable" in html


def test_every_text_the_user_or_mail_service_wrote_is_escaped_in_a_row(user, logged_in_client):
    hostile = "<script>alert('x')</script> & \"q\""
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;"
    application = ApplicationFactory(user=user, company__name=hostile, role=hostile)
    contact = ContactFactory(user=user, name=hostile, email="a&b@example.com")
    draft_of(user, application=application, contact=contact, subject=hostile)
    draft_of(user, application=application, contact=contact, subject="", body=hostile)
    draft_of(
        user,
        application=application,
        contact=contact,
        subject="Hello",
        send_state=Draft.SendState.FAILED,
        send_error=hostile,
    )

    html = logged_in_client.get(DRAFTS).content.decode()

    assert "<script>alert" not in html
    # The subject, the text, the mail service's error, and in each of the three rows the
    # person (twice), the role and the company.
    assert html.count(escaped) == 3 + 3 * 4
    assert "a&amp;b@example.com" in html


def test_with_no_drafts_the_page_says_what_drafts_are_and_how_they_appear(logged_in_client):
    response = logged_in_client.get(DRAFTS)
    html = response.content.decode()
    assert 'id="no-drafts"' in html
    assert "saved as you type" in html and "Write the email" in html


def test_the_navigation_leads_to_the_drafts_page(logged_in_client):
    html = logged_in_client.get(reverse("dashboard")).content.decode()
    assert f'href="{DRAFTS}">Drafts</a>' in html


def test_the_drafts_page_needs_a_login(client):
    response = client.get(DRAFTS)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_drafts_page_takes_as_many_queries_for_50_drafts_as_for_1(
    user, logged_in_client, django_assert_num_queries
):
    draft_of(user, send_state=Draft.SendState.UNCERTAIN)
    with CaptureQueriesContext(connection) as one_row:
        assert len(row_ids(logged_in_client.get(DRAFTS))) == 1
    for index in range(49):
        draft_of(user, send_state=[Draft.SendState.IDLE, Draft.SendState.FAILED][index % 2])

    with django_assert_num_queries(len(one_row)):
        response = logged_in_client.get(DRAFTS)

    assert len(row_ids(response)) == 50


def test_another_users_draft_is_404_at_every_address(user, logged_in_client):
    theirs = draft_of(UserFactory(), send_state=Draft.SendState.UNCERTAIN)
    for name in ("draft_edit", "draft_eml"):
        assert (
            logged_in_client.get(reverse(f"outreach:{name}", args=[theirs.pk])).status_code == 404
        )
    for name in ("draft_edit", "draft_uncertain", "draft_delete"):
        url = reverse(f"outreach:{name}", args=[theirs.pk])
        assert logged_in_client.post(url, {"went_out": "yes"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.send_state == Draft.SendState.UNCERTAIN
