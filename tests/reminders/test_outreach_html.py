"""The outreach timeline of the follow-up panel, rendered in Python."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from interviews.models import Contact
from outreach.models import Outreach
from reminders.outreach_html import application_timeline, outreach_timeline_html
from tests.factories import ApplicationFactory, ContactFactory, OutreachFactory, UserFactory


def _outreach(**fields) -> Outreach:
    defaults = {
        "pk": 7,
        "direction": "out",
        "channel": "email",
        "occurred_at": datetime(2025, 3, 10, 8, 30, tzinfo=UTC),
    }
    return Outreach(**(defaults | fields))


def test_an_entry_shows_channel_contact_and_local_time():
    contact = Contact(pk=3, name="Ana <Lima>")
    with timezone.override(ZoneInfo("Europe/Berlin")):
        html = outreach_timeline_html([_outreach(contact=contact, subject="Re: <role>")])
    assert 'id="outreach-7"' in html
    assert "<strong>Email to Ana &lt;Lima&gt;</strong>" in html
    assert "Mon 10 Mar 2025, 09:30" in html
    assert '<div class="small">Re: &lt;role&gt;</div>' in html


def test_a_reply_and_an_uncertain_send_are_marked():
    html = outreach_timeline_html(
        [
            _outreach(pk=1, direction="in"),
            _outreach(pk=2, delivery="uncertain", delivery_detail="timeout"),
        ]
    )
    assert "<strong>Reply</strong>" in html
    assert '<span class="badge text-bg-success">Reply from them</span>' in html
    assert "text-bg-warning" in html
    assert "We could not tell whether this email went out" in html
    assert '<div class="small text-body-secondary text-pre">timeout</div>' in html


def test_a_long_body_is_cut_at_400_characters():
    html = outreach_timeline_html([_outreach(body="x" * 450)])
    assert "x" * 399 + "…" in html
    assert "x" * 400 not in html


HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


@pytest.mark.django_db
def test_the_timeline_read_as_rows_renders_as_its_outreach_does():
    """application_timeline reads plain rows (TimelineRow); every kind of entry renders
    exactly as the Outreach it comes from, every value escaped, newest first."""
    user = UserFactory()
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company, name=HOSTILE)
    entries = [
        {"direction": "in", "channel": "email", "received_while_inactive": True},
        {"channel": "call", "call_outcome": "voicemail", "contact": None},
        {"delivery": "uncertain", "delivery_detail": HOSTILE},
        {"delivery": "bounced", "delivery_detail": HOSTILE, "body": HOSTILE * 40},
        {"delivery": "delivered", "delivery_detail": "250 OK", "channel": "card"},
    ]
    for days, fields in enumerate(entries):
        OutreachFactory(
            **{
                "user": user,
                "application": application,
                "contact": contact,
                "subject": HOSTILE,
                "occurred_at": datetime(2025, 3, 10, 8, 30, tzinfo=UTC) - timedelta(days=days),
            }
            | fields
        )
    OutreachFactory(user=user)  # another application's

    rows = application_timeline(user_id=user.pk, application_id=application.pk)

    outreaches = list(Outreach.objects.filter(application=application).select_related("contact"))
    assert [row.pk for row in rows] == [outreach.pk for outreach in outreaches]
    with timezone.override(ZoneInfo("Europe/Berlin")):
        assert outreach_timeline_html(rows) == outreach_timeline_html(outreaches)
        html = outreach_timeline_html(rows)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;" in html
