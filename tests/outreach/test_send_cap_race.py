"""Two drafts sent at the same moment cannot both take the daily cap's last place."""

from __future__ import annotations

import threading
import time

import pytest
from django.core import mail
from django.db import connection

from outreach.models import Draft, Outreach
from outreach.services import delivery
from outreach.services.delivery import SendRefused, draft_send
from tests.factories import ApplicationFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_tabs_sending_at_the_last_free_place_send_one(settings, monkeypatch):
    settings.DAILY_SEND_LIMIT = 1
    user = UserFactory()
    drafts = []
    for company in ("Acme", "Initech"):
        application = ApplicationFactory(user=user, company__name=company)
        contact = ContactFactory(
            user=user, company=application.company, email=f"hr@{company.lower()}.example"
        )
        drafts.append(
            Draft.objects.create(
                user=user, application=application, contact=contact, subject="Hi", body="Hello"
            )
        )

    # Hold each request a moment after it has checked the cap, as a slow request would, so
    # that without the per-user lock the second check runs before the first claim.
    checked = delivery.app_send_refusal

    def slow_check(**kwargs):
        refusal = checked(**kwargs)
        time.sleep(0.3)
        return refusal

    monkeypatch.setattr(delivery, "app_send_refusal", slow_check)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def send(draft: Draft) -> None:
        try:
            start.wait(timeout=30)
            outcomes.append(draft_send(draft=draft).send_state)
        except SendRefused as refusal:
            outcomes.append(" ".join(refusal.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(mail.outbox) == 1
    assert Outreach.objects.filter(delivery=Outreach.Delivery.SENT).count() == 1
    assert sorted(outcomes, key=len) == [
        Draft.SendState.SENT,
        "You have sent 1 message through Followup in the last 24 hours, the most it sends "
        "for one person in a day. Open this one in your own mail program, or send it through "
        "Followup tomorrow; your draft stays saved.",
    ]
    assert sorted(Draft.objects.values_list("send_state", flat=True)) == sorted(
        [Draft.SendState.SENT, Draft.SendState.IDLE]
    )
