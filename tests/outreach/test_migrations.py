"""A database migrated from the previous main keeps every row when the outreach app takes over.

On the previous main, Outreach, Draft, MessageTemplate and WebhookEvent lived in the reminders
app (tables ``reminders_*``), and so did their content types. These tests roll the test
database back to that state with the migration executor, fill it through the historical
models, migrate forward to the latest migration of every app, and check with the current
models that every row is still there with the same id and values, that the links between
outreach, drafts and tasks still hold, that the tables and indexes now carry the outreach
app's names, and that the content types (and so the permissions on them) moved with the same
primary keys. Rolling back again must keep the rows too: the migrations are reversible.

Every test leaves the database migrated to the latest state, whatever happens, so the tests
that run after them see the schema they expect.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from outreach.models import Draft, MessageTemplate, Outreach, WebhookEvent
from reminders.models import Heartbeat, Reminder

pytestmark = pytest.mark.django_db(transaction=True)

# The latest migration of each affected app on the previous main; outreach did not exist.
PREVIOUS_MAIN = [
    ("accounts", "0002_country_validator_and_email_ci_unique"),
    ("interviews", "0001_initial"),
    ("reminders", "0002_messagetemplate_webhookevent_draft"),
    ("outreach", None),
]
# Model names of the moved models, as content types and table suffixes spell them.
MOVED = ("outreach", "draft", "messagetemplate", "webhookevent")
CURRENT_MODELS = {
    "outreach": Outreach,
    "draft": Draft,
    "messagetemplate": MessageTemplate,
    "webhookevent": WebhookEvent,
}
AT = datetime(2025, 3, 4, 15, 30, tzinfo=UTC)


@dataclass
class OldDatabase:
    """What was written on the previous main's schema, read back from the database."""

    # model name -> {pk: {attname: value}}, every column of every row.
    rows: dict[str, dict[int, dict]] = field(default_factory=dict)
    # moved model name -> pk of its ContentType row (app_label "reminders" before the move).
    content_type_pks: dict[str, int] = field(default_factory=dict)
    # moved model name -> pk of its "view_<model>" Permission row.
    permission_pks: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


def _migrate(executor: MigrationExecutor, targets) -> None:
    executor.migrate(targets)
    # The executor's graph still holds the applied set from before: reload it from the table.
    executor.loader.build_graph()


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    _migrate(executor, executor.loader.graph.leaf_nodes())


def _previous_main_apps(executor: MigrationExecutor):
    """The historical models as they stood on the previous main."""
    nodes = [node for node in PREVIOUS_MAIN if node[1] is not None]
    nodes += executor.loader.graph.leaf_nodes("contenttypes")
    return executor.loader.project_state(nodes).apps


def _rows(model) -> dict[int, dict]:
    return {row["id"]: row for row in model._default_manager.order_by("pk").values()}


def _snapshot(apps) -> dict[str, dict[int, dict]]:
    return {
        name: _rows(apps.get_model("reminders", name)) for name in ("reminder", "heartbeat", *MOVED)
    }


def _fill_previous_main(apps) -> OldDatabase:
    """One user's data through every moved model, with every link between them set."""
    User = apps.get_model("accounts", "User")
    Company = apps.get_model("interviews", "Company")
    Application = apps.get_model("interviews", "Application")
    Contact = apps.get_model("interviews", "Contact")
    Interview = apps.get_model("interviews", "Interview")
    OldReminder = apps.get_model("reminders", "Reminder")
    OldHeartbeat = apps.get_model("reminders", "Heartbeat")
    OldOutreach = apps.get_model("reminders", "Outreach")
    OldDraft = apps.get_model("reminders", "Draft")
    OldTemplate = apps.get_model("reminders", "MessageTemplate")
    OldWebhookEvent = apps.get_model("reminders", "WebhookEvent")
    OldContentType = apps.get_model("contenttypes", "ContentType")
    OldPermission = apps.get_model("auth", "Permission")

    user = User.objects.create(email="robin@seeker.example", password="!", full_name="Robin")
    company = Company.objects.create(user=user, name="Acme Robotics")
    application = Application.objects.create(
        user=user, company=company, role="Backend engineer", stage="interviewing"
    )
    contact = Contact.objects.create(
        user=user, company=company, name="Ana Ortiz", email="ana@acme.example"
    )
    interview = Interview.objects.create(
        application=application,
        starts_at=AT - timedelta(hours=3),
        ends_at=AT - timedelta(hours=2),
        timezone="Europe/Berlin",
    )
    thank_you = OldReminder.objects.create(
        user=user,
        kind="thank_you",
        state="done",
        application=application,
        interview=interview,
        contact=contact,
        title="Thank Ana Ortiz",
        note="Mention the event-sourcing talk",
        due_at=AT + timedelta(hours=21),
        notify_at=AT + timedelta(hours=1),
        occurrence=f"thank_you:{interview.pk}",
        completed_at=AT + timedelta(hours=5),
    )
    email = OldOutreach.objects.create(
        user=user,
        application=application,
        contact=contact,
        reminder=thank_you,
        direction="out",
        channel="email",
        subject="Thank you for today",
        body="Hi Ana, thank you for the conversation.",
        occurred_at=AT + timedelta(hours=5),
        delivery="delivered",
        delivery_detail="250 OK",
        esp_message_id="<esp-1@mail.example>",
    )
    reply = OldOutreach.objects.create(
        user=user,
        application=application,
        contact=None,
        reminder=None,
        direction="in",
        channel="other",
        occurred_at=AT + timedelta(days=2),
    )
    call = OldReminder.objects.create(
        user=user,
        kind="phone_call",
        application=application,
        contact=contact,
        trigger_outreach=email,
        title="Call Ana Ortiz",
        due_at=AT + timedelta(days=4),
        occurrence=f"phone_call:{email.pk}",
        attempts=2,
        last_error="SMTP timeout",
    )
    custom = OldReminder.objects.create(
        user=user,
        kind="custom",
        application=application,
        title="Send Ana the portfolio link",
        due_at=AT + timedelta(days=6),
        occurrence="custom:portfolio",
    )
    OldHeartbeat.objects.create(name="sweep", at=AT)
    template = OldTemplate.objects.create(
        user=user,
        name="Warm thanks",
        occasion="thank_you",
        subject="Thanks, {{ first_name }}",
        body="It was good to talk about {{ topic }}.",
    )
    sent_draft = OldDraft.objects.create(
        user=user,
        application=application,
        contact=contact,
        reminder=thank_you,
        interview=interview,
        template_key=f"user:{template.pk}",
        occasion="thank_you",
        subject=email.subject,
        body=email.body,
        outreach=email,
        send_state="sent",
    )
    open_draft = OldDraft.objects.create(
        user=user,
        application=application,
        contact=contact,
        reminder=call,
        occasion="call_recap",
        body="Notes for the recap",
        send_state="failed",
        send_error="Refused by the ESP",
    )
    webhook = OldWebhookEvent.objects.create(esp="postmark", event_id="evt-1", kind="delivered")

    old = OldDatabase()
    for model in MOVED:
        content_type, _ = OldContentType.objects.get_or_create(app_label="reminders", model=model)
        permission, _ = OldPermission.objects.get_or_create(
            content_type=content_type,
            codename=f"view_{model}",
            defaults={"name": f"Can view {model}"},
        )
        old.content_type_pks[model] = content_type.pk
        old.permission_pks[model] = permission.pk
    old.rows = _snapshot(apps)
    old.ids = {
        "thank_you": thank_you.pk,
        "call": call.pk,
        "custom": custom.pk,
        "email": email.pk,
        "reply": reply.pk,
        "template": template.pk,
        "sent_draft": sent_draft.pk,
        "open_draft": open_draft.pk,
        "webhook": webhook.pk,
    }
    return old


def _reminder_title_was_renamed() -> bool:
    """reminders 0004 renamed ``title`` to ``custom_title`` and emptied it on rule-made tasks."""
    return "title" not in {f.name for f in Reminder._meta.concrete_fields}


def _expected_reminder(old_row: dict) -> dict:
    """An old reminder row as the latest schema should hold it."""
    expected = dict(old_row)
    if _reminder_title_was_renamed():
        title = expected.pop("title")
        expected["custom_title"] = title if old_row["kind"] == "custom" else ""
    return expected


def _expected_after_round_trip(old_row: dict) -> dict:
    """An old reminder row after going to the latest schema and back: emptied titles stay so."""
    expected = dict(old_row)
    if _reminder_title_was_renamed() and old_row["kind"] != "custom":
        expected["title"] = ""
    return expected


@pytest.fixture
def old_database() -> Iterator[OldDatabase]:
    """The test database rolled back to the previous main and filled; migrated forward after."""
    executor = MigrationExecutor(connection)
    try:
        _migrate(executor, PREVIOUS_MAIN)
        yield _fill_previous_main(_previous_main_apps(executor))
    finally:
        _migrate_to_latest()
        ContentType.objects.clear_cache()


def test_rolling_back_to_previous_main_gives_the_old_reminders_tables(old_database):
    # A guard for the other tests: they really start from the previous main's schema.
    tables = set(connection.introspection.table_names())
    assert {f"reminders_{model}" for model in MOVED} <= tables
    assert not {f"outreach_{model}" for model in MOVED} & tables
    assert old_database.rows["outreach"] and old_database.rows["draft"]


def test_upgrade_keeps_every_outreach_row_with_its_id_and_values(old_database):
    _migrate_to_latest()

    for name, model in CURRENT_MODELS.items():
        old = old_database.rows[name]
        # Later migrations add columns (an outreach's purpose); the old ones keep their values.
        kept = {pk: {column: row[column] for column in old[pk]} for pk, row in _rows(model).items()}
        assert kept == old, name


def test_upgrade_gives_each_outreach_the_purpose_its_history_shows(old_database):
    _migrate_to_latest()

    purposes = dict(Outreach.objects.values_list("direction", "purpose"))
    # The email went out from a thank-you draft; the other row is their reply.
    assert purposes == {"out": "thank_you", "in": "reply"}


def test_upgrade_keeps_every_task_and_heartbeat_row_with_its_id_and_values(old_database):
    _migrate_to_latest()

    assert _rows(Reminder) == {
        pk: _expected_reminder(row) for pk, row in old_database.rows["reminder"].items()
    }
    # Heartbeat rows gained a "detail" (the mail pause keeps its error there), empty for old rows.
    assert _rows(Heartbeat) == {
        pk: {**row, "detail": ""} for pk, row in old_database.rows["heartbeat"].items()
    }
    custom = Reminder.objects.get(pk=old_database.ids["custom"])
    assert custom.title == "Send Ana the portfolio link"


def test_upgrade_keeps_the_links_between_outreach_drafts_and_tasks(old_database):
    _migrate_to_latest()
    ids = old_database.ids

    sent_draft = Draft.objects.select_related("outreach", "reminder").get(pk=ids["sent_draft"])
    assert sent_draft.outreach.pk == ids["email"]
    assert sent_draft.reminder.pk == ids["thank_you"]
    assert sent_draft.template_key == f"user:{ids['template']}"

    open_draft = Draft.objects.get(pk=ids["open_draft"])
    assert open_draft.outreach is None
    assert open_draft.reminder.pk == ids["call"]

    email = Outreach.objects.select_related("reminder").get(pk=ids["email"])
    assert email.reminder.pk == ids["thank_you"]
    assert email.draft.pk == ids["sent_draft"]
    assert [r.pk for r in email.triggered_reminders.all()] == [ids["call"]]

    call = Reminder.objects.select_related("trigger_outreach").get(pk=ids["call"])
    assert call.trigger_outreach.pk == ids["email"]

    thank_you = Reminder.objects.get(pk=ids["thank_you"])
    assert [o.pk for o in thank_you.outreaches.all()] == [ids["email"]]
    assert {d.pk for d in thank_you.drafts.all()} == {ids["sent_draft"]}

    reply = Outreach.objects.get(pk=ids["reply"])
    assert reply.reminder is None and reply.contact is None


def test_upgrade_renames_tables_and_indexes_to_the_outreach_app(old_database):
    _migrate_to_latest()

    tables = set(connection.introspection.table_names())
    for name, model in CURRENT_MODELS.items():
        assert model._meta.db_table == f"outreach_{name}"
        assert f"outreach_{name}" in tables
        assert f"reminders_{name}" not in tables
    assert {"reminders_reminder", "reminders_heartbeat"} <= tables

    with connection.cursor() as cursor:
        outreach_indexes = connection.introspection.get_constraints(cursor, "outreach_outreach")
        draft_indexes = connection.introspection.get_constraints(cursor, "outreach_draft")
    assert "outreach_app_direction_idx" in outreach_indexes
    assert "reminders_o_applica_3b9d70_idx" not in outreach_indexes
    assert "draft_user_task_idx" in draft_indexes
    assert "reminders_d_user_id_e9ec6c_idx" not in draft_indexes


def test_renamed_tables_take_new_rows_after_the_old_ids_and_keep_their_constraints(
    old_database,
):
    _migrate_to_latest()

    new_event = WebhookEvent.objects.create(esp="postmark", event_id="evt-2", kind="bounced")
    assert new_event.pk > old_database.ids["webhook"]
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookEvent.objects.create(esp="postmark", event_id="evt-1", kind="delivered")

    email = Outreach.objects.get(pk=old_database.ids["email"])
    new_outreach = Outreach.objects.create(
        user=email.user,
        application=email.application,
        direction=Outreach.Direction.OUTGOING,
        channel=Outreach.Channel.CARD,
        occurred_at=AT + timedelta(days=9),
    )
    assert new_outreach.pk > max(old_database.rows["outreach"])


def test_upgrade_moves_content_types_and_their_permissions_to_the_outreach_app(old_database):
    _migrate_to_latest()
    ContentType.objects.clear_cache()

    for name, model in CURRENT_MODELS.items():
        content_type = ContentType.objects.get(pk=old_database.content_type_pks[name])
        assert (content_type.app_label, content_type.model) == ("outreach", name)
        assert ContentType.objects.get_for_model(model).pk == content_type.pk
        permission = Permission.objects.get(pk=old_database.permission_pks[name])
        assert permission.content_type_id == content_type.pk
    assert not ContentType.objects.filter(app_label="reminders", model__in=MOVED).exists()


def test_downgrade_to_previous_main_keeps_every_row_and_content_type(old_database):
    _migrate_to_latest()
    executor = MigrationExecutor(connection)
    _migrate(executor, PREVIOUS_MAIN)

    apps = _previous_main_apps(executor)
    rows = _snapshot(apps)
    expected = dict(old_database.rows)
    expected["reminder"] = {
        pk: _expected_after_round_trip(row) for pk, row in old_database.rows["reminder"].items()
    }
    assert rows == expected

    tables = set(connection.introspection.table_names())
    assert {f"reminders_{model}" for model in MOVED} <= tables
    assert not {f"outreach_{model}" for model in MOVED} & tables

    OldContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        content_type = OldContentType.objects.get(pk=old_database.content_type_pks[model])
        assert (content_type.app_label, content_type.model) == ("reminders", model)
    assert not OldContentType.objects.filter(app_label="outreach").exists()

    OldDraft = apps.get_model("reminders", "Draft")
    sent_draft = OldDraft.objects.get(pk=old_database.ids["sent_draft"])
    assert sent_draft.outreach_id == old_database.ids["email"]
    assert sent_draft.outreach.reminder_id == old_database.ids["thank_you"]
