"""The outreach timeline as CSV: the user's rows, oldest first, in their zone, safe cells."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from interviews.models import Application
from outreach.models import Outreach
from tests.factories import ApplicationFactory, ContactFactory, OutreachFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("outreach:timeline_export")


def rows_of(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_timeline_export_lists_the_users_outreach_oldest_first(client_for):
    seeker = UserFactory(timezone="America/New_York")
    application = ApplicationFactory(user=seeker, role="SRE", company__name="Acme")
    anna = ContactFactory(user=seeker, name="Anna Berg", email="anna@acme.example")
    sent = datetime(2025, 3, 4, 15, 0, tzinfo=UTC)
    OutreachFactory(
        user=seeker,
        application=application,
        contact=anna,
        purpose=Outreach.Purpose.THANK_YOU,
        subject='=HYPERLINK("http://evil.example")',
        body="@you thanks",
        occurred_at=sent,
        delivery=Outreach.Delivery.DELIVERED,
    )
    OutreachFactory(
        user=seeker,
        application=application,
        contact=anna,
        direction=Outreach.Direction.INCOMING,
        purpose=Outreach.Purpose.REPLY,
        subject="Re: thanks",
        occurred_at=sent + timedelta(days=1),
    )
    OutreachFactory(user=UserFactory(), subject="Not mine")

    response = client_for(seeker).get(URL)

    assert response["Content-Disposition"] == 'attachment; filename="followup-outreach.csv"'
    rows = rows_of(response)
    assert [(r["When"], r["Direction"], r["Subject"]) for r in rows] == [
        ("2025-03-04 10:00-05:00", "Sent by you", '\'=HYPERLINK("http://evil.example")'),
        ("2025-03-05 10:00-05:00", "Reply from them", "Re: thanks"),
    ]
    first = rows[0]
    assert (first["Company"], first["Role"], first["Person"]) == ("Acme", "SRE", "Anna Berg")
    assert (first["Purpose"], first["Message"], first["Delivery"]) == (
        "Thank-you",
        "'@you thanks",
        "Delivered",
    )


@pytest.mark.parametrize("count", [1, 50])
def test_the_timeline_export_takes_the_same_queries_for_1_and_50_rows(
    logged_in_client, user, django_assert_num_queries, session_queries, count
):
    application = ApplicationFactory(user=user, stage=Application.Stage.INTERVIEWING)
    for _ in range(count):
        OutreachFactory(user=user, application=application, contact=ContactFactory(user=user))
    with django_assert_num_queries(2 + session_queries):
        rows = rows_of(logged_in_client.get(URL))
    assert len(rows) == count
