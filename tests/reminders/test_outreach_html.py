"""The outreach timeline of the follow-up panel, rendered in Python."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from interviews.models import Contact
from outreach.models import Outreach
from reminders.outreach_html import outreach_timeline_html


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
