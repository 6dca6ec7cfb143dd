"""``outreach.0005_draft_send_attempts``: a draft caught SENDING gets the time of its claim.

The test rolls the database back to before the migration, saves drafts through the
historical model (as the old app did), migrates forward and reads them with the current
model. It leaves the database migrated to the latest state, whatever happens.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from outreach.models import Draft
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("outreach", "0004_outreach_received_while_inactive")]
CLAIMED_AT = datetime(2025, 3, 4, 15, 30, tzinfo=UTC)


def _migrate(executor: MigrationExecutor, targets) -> None:
    executor.migrate(targets)
    executor.loader.build_graph()


def test_a_draft_stuck_sending_gets_its_claim_time_and_others_none():
    application = ApplicationFactory()
    contact = ContactFactory(user=application.user, company=application.company)
    executor = MigrationExecutor(connection)
    try:
        _migrate(executor, BEFORE)
        old_draft = executor.loader.project_state(BEFORE).apps.get_model("outreach", "Draft")
        ids = {}
        for state in ("sending", "idle", "uncertain"):
            row = old_draft.objects.create(
                user_id=application.user_id,
                application_id=application.pk,
                contact_id=contact.pk,
                occasion="thank_you",
                subject=state,
                send_state=state,
            )
            old_draft.objects.filter(pk=row.pk).update(updated_at=CLAIMED_AT)
            ids[state] = row.pk
    finally:
        latest = MigrationExecutor(connection)
        _migrate(latest, latest.loader.graph.leaf_nodes())
    stuck = Draft.objects.get(pk=ids["sending"])
    assert stuck.send_started_at == CLAIMED_AT and stuck.send_attempts == 0
    assert stuck.is_interrupted
    assert Draft.objects.get(pk=ids["idle"]).send_started_at is None
    assert Draft.objects.get(pk=ids["uncertain"]).send_started_at is None
    assert Draft.objects.count() == 3
