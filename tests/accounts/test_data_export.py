"""Everything out: the zip holds every row of the user and nobody else's, in open formats.

The builds here run the service the worker runs (``data_export_build``) in the test's own
process; tests/browser/test_data_export_and_leaving.py runs it in a real Celery worker.
"""

from __future__ import annotations

import email
import json
import zipfile
from datetime import UTC, timedelta
from email import policy
from zoneinfo import ZoneInfo

import pytest
import time_machine
import vobject
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.data_export import (
    data_export_build,
    data_export_request,
    data_exports_expire,
)
from accounts.models import DataExport, User
from accounts.user_data import (
    excluded_models,
    export_files,
    owned_models,
    paths_to_user,
    unaccounted_models,
)
from accounts.user_files import user_folder
from interviews.models import Contact, Interview
from outreach.models import Outreach
from reminders.models import Reminder
from tests.accounts.user_graph import everything_of, models_without_rows_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def seeker() -> User:
    return UserFactory(email="ada@seeker.example", full_name="Ada Lovelace")


@pytest.fixture
def bystander() -> User:
    return UserFactory(email="bo@seeker.example", full_name="Bo Bystander")


def _zip(export: DataExport) -> zipfile.ZipFile:
    path = user_folder(user_id=export.user_id) / "exports" / export.file_name
    return zipfile.ZipFile(path)


# --- Nothing forgotten ----------------------------------------------------------------------


def test_every_model_that_can_belong_to_a_user_is_exported_or_excluded_with_a_reason():
    # A model added later with a foreign key path to the user fails here until its app
    # registers it in accounts.user_data (exported) or says why not (excluded).
    assert unaccounted_models() == []
    assert all(reason.strip() for reason in excluded_models().values())


def test_each_registered_owner_path_is_a_real_path_to_the_user():
    for entry in owned_models():
        assert entry.owner in paths_to_user(entry.model), entry.label


def test_a_model_with_a_path_to_the_user_and_no_registration_is_reported(monkeypatch):
    from accounts import user_data

    trimmed = {k: v for k, v in user_data._registry.owned.items() if k != "interviews.note"}
    monkeypatch.setattr(user_data._registry, "owned", trimmed)
    assert unaccounted_models() == ["interviews.note"]


# --- What the zip holds ---------------------------------------------------------------------


def test_the_zip_holds_every_row_of_the_user_in_every_model_and_none_of_anyone_else(
    seeker, bystander
):
    everything_of(bystander)
    export = everything_of(seeker)
    assert models_without_rows_of(seeker) == []  # the graph fills every model
    assert export.state == DataExport.State.READY
    with _zip(export) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        for entry in owned_models():
            rows = json.loads(archive.read(f"data/{entry.label}.json"))
            expected = set(entry.rows_of(seeker.pk).values_list("pk", flat=True))
            assert expected, entry.label
            assert {row["pk"] for row in rows} == expected, entry.label
            assert all(row["model"] == entry.label for row in rows)
            assert manifest["rows"][entry.label] == len(expected)
        readme = archive.read("README.txt").decode()
    assert {"README.txt", "manifest.json", "contacts.vcf", "calendar.ics"} <= names
    assert manifest["files"] == [f.name for f in export_files()]
    assert "ada@seeker.example" in readme


def test_the_exported_user_row_leaves_out_the_password_and_the_secret_addresses(seeker):
    export = everything_of(seeker)
    with _zip(export) as archive:
        (row,) = json.loads(archive.read("data/accounts.user.json"))
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert row["fields"]["email"] == "ada@seeker.example"
    assert row["fields"]["timezone"] == "Europe/Berlin"
    for secret in ("password", "calendar_token", "inbound_token"):
        assert secret not in row["fields"]
    assert seeker.password.encode() not in everything
    assert seeker.calendar_token.encode() not in everything
    assert seeker.inbound_token.encode() not in everything


def test_interviewers_are_exported_with_their_interview(seeker):
    export = everything_of(seeker)
    with _zip(export) as archive:
        rows = json.loads(archive.read("data/interviews.interview.json"))
    exported = {row["pk"]: sorted(row["fields"]["interviewers"]) for row in rows}
    for interview in Interview.objects.filter(application__user=seeker):
        assert exported[interview.pk] == sorted(c.pk for c in interview.interviewers.all())


def test_the_contacts_are_vcards_an_address_book_reads(seeker):
    export = everything_of(seeker)
    Contact.objects.filter(user=seeker, name="Ana Ortiz").update(
        phone="+49 30 1234567", job_title="CTO; founder", notes="Met at PyCon, Berlin"
    )
    export = data_export_build(export_id=data_export_request(user=seeker).pk)
    with _zip(export) as archive:
        text = archive.read("contacts.vcf").decode()
    cards = list(vobject.readComponents(text))
    assert len(cards) == Contact.objects.filter(user=seeker).count() == 3
    ana = next(card for card in cards if card.fn.value == "Ana Ortiz")
    assert ana.email.value == "ana@acme.example"
    assert ana.org.value == ["Acme Robotics"]
    assert ana.title.value == "CTO; founder"
    assert ana.tel.value == "+49 30 1234567"
    assert ana.n.value.family == "Ortiz" and ana.n.value.given == "Ana"
    assert ana.note.value == "Met at PyCon, Berlin"


def test_the_calendar_holds_every_interview_and_every_task(seeker):
    export = everything_of(seeker)
    with _zip(export) as archive:
        calendar = Calendar.from_ical(archive.read("calendar.ics"))
    events = calendar.walk("VEVENT")
    todos = calendar.walk("VTODO")
    interviews = Interview.objects.filter(application__user=seeker)
    assert len(events) == interviews.count() == 2
    assert {e["uid"] for e in events} == {f"interview-{i.pk}@followup" for i in interviews}
    for event in events:
        interview = interviews.get(pk=int(str(event["uid"]).split("-")[1].split("@")[0]))
        assert event.decoded("dtstart") == interview.starts_at.replace(microsecond=0)
        assert not event.walk("VALARM")
    reminders = Reminder.objects.filter(user=seeker)
    assert len(todos) == reminders.count() > 1
    done = reminders.first()
    by_uid = {str(t["uid"]): t for t in todos}
    assert by_uid[f"reminder-{done.pk}@followup"].decoded("due") == done.due_at.replace(
        microsecond=0
    )


def test_every_email_on_the_timeline_is_an_eml_with_its_headers(seeker):
    export = everything_of(seeker)
    sent = Outreach.objects.get(user=seeker, direction=Outreach.Direction.OUTGOING)
    received = Outreach.objects.get(user=seeker, direction=Outreach.Direction.INCOMING)
    with _zip(export) as archive:
        emls = {name: archive.read(name) for name in archive.namelist() if name.endswith(".eml")}
    assert len(emls) == 2
    (sent_name,) = [n for n in emls if n.endswith(f"_sent_{sent.pk}.eml")]
    (received_name,) = [n for n in emls if n.endswith(f"_received_{received.pk}.eml")]
    assert b"\r\n" in emls[sent_name]  # RFC 5322 line ends
    out = email.message_from_bytes(emls[sent_name], policy=policy.default)
    assert out["Subject"] == "Following up?"
    assert out["To"].addresses[0].addr_spec == "ana@acme.example"
    # Sent through the app: from the app's address in the user's name, replies to the user.
    assert out["Reply-To"].addresses[0].addr_spec == "ada@seeker.example"
    assert out["From"].addresses[0].display_name == "Ada Lovelace"
    assert out["Date"].datetime == sent.occurred_at.replace(microsecond=0)
    assert out.get_content().strip() == "Could we talk about the next step?"
    reply = email.message_from_bytes(emls[received_name], policy=policy.default)
    assert reply["From"].addresses[0].addr_spec == "bo@globex.example"
    assert reply["To"].addresses[0].addr_spec == "ada@seeker.example"
    assert reply["Subject"] == "Re: thanks"


def test_text_typed_into_a_subject_cannot_add_a_header_to_an_eml(seeker):
    everything_of(seeker)
    Outreach.objects.filter(user=seeker, direction=Outreach.Direction.OUTGOING).update(
        subject="Hello\r\nBcc: everyone@example.com"
    )
    export = data_export_build(export_id=data_export_request(user=seeker).pk)
    with _zip(export) as archive:
        (name,) = [n for n in archive.namelist() if "_sent_" in n]
        message = email.message_from_bytes(archive.read(name), policy=policy.default)
    assert message["Bcc"] is None
    assert message["Subject"] == "Hello Bcc: everyone@example.com"


# --- Asking, building, expiring -------------------------------------------------------------


def test_asking_again_while_an_export_is_built_starts_no_second_one(
    seeker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = data_export_request(user=seeker)
        again = data_export_request(user=seeker)
    assert again.pk == first.pk
    assert len(callbacks) == 1
    assert DataExport.objects.filter(user=seeker).count() == 1


def test_a_new_export_replaces_the_old_one_and_its_file(seeker):
    old = everything_of(seeker)
    old_file = user_folder(user_id=seeker.pk) / "exports" / old.file_name
    assert old_file.exists()
    new = data_export_request(user=seeker)
    assert not old_file.exists()
    assert list(DataExport.objects.filter(user=seeker)) == [new]


def test_a_build_claimed_by_another_worker_is_not_built_twice(seeker):
    export = data_export_request(user=seeker)
    assert data_export_build(export_id=export.pk) is not None
    assert data_export_build(export_id=export.pk) is None  # a redelivered task
    assert len(list((user_folder(user_id=seeker.pk) / "exports").iterdir())) == 1


def test_a_build_whose_worker_died_is_taken_over_later(seeker):
    export = data_export_request(user=seeker)
    DataExport.objects.filter(pk=export.pk).update(
        state=DataExport.State.BUILDING, started_at=timezone.now() - timedelta(minutes=5)
    )
    assert data_export_build(export_id=export.pk) is None
    DataExport.objects.filter(pk=export.pk).update(
        started_at=timezone.now() - timedelta(minutes=31)
    )
    assert data_export_build(export_id=export.pk).state == DataExport.State.READY


def test_a_build_for_a_deleted_account_does_nothing(seeker):
    export = data_export_request(user=seeker)
    seeker.delete()
    assert data_export_build(export_id=export.pk) is None
    assert not user_folder(user_id=export.user_id).exists()


def test_a_failing_writer_marks_the_export_failed_and_leaves_no_file(seeker, monkeypatch):
    from accounts import user_data

    def broken(user_id: int):
        raise RuntimeError("the disk is full")
        yield  # pragma: no cover

    files = dict(user_data._registry.files)
    files["broken"] = user_data.ExportFile(name="broken", description="", write=broken)
    monkeypatch.setattr(user_data._registry, "files", files)
    export = data_export_request(user=seeker)
    assert data_export_build(export_id=export.pk) is None
    export.refresh_from_db()
    assert export.state == DataExport.State.FAILED
    assert "the disk is full" in export.error
    assert list((user_folder(user_id=seeker.pk) / "exports").iterdir()) == []


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK], ids=["Berlin", "New York"])
def test_an_export_is_downloadable_until_its_expiry_then_its_file_is_deleted(
    settings, client_for, zone
):
    settings.DATA_EXPORT_TTL_HOURS = 24
    seeker = UserFactory(timezone=zone.key)
    client = client_for(seeker)
    built_at = timezone.datetime(2026, 3, 28, 22, 30, tzinfo=zone)  # DST starts overnight
    with time_machine.travel(built_at, tick=False):
        export = data_export_build(export_id=data_export_request(user=seeker).pk)
    # 24 hours of real time: across the DST change that is 23:30 on the wall clock in Berlin.
    assert export.expires_at == built_at.astimezone(UTC) + timedelta(hours=24)
    path = user_folder(user_id=seeker.pk) / "exports" / export.file_name
    url = reverse("accounts:data_export_download", args=[export.pk])

    with time_machine.travel(export.expires_at - timedelta(minutes=1), tick=False):
        page = client.get(reverse("accounts:settings"))
        assert client.get(url).status_code == 200
        assert data_exports_expire() == 0
    local_expiry = export.expires_at.astimezone(zone).strftime("%-d %b %Y, %H:%M")
    assert local_expiry in page.content.decode()

    with time_machine.travel(export.expires_at, tick=False):
        gone = client.get(url)
        assert gone.status_code == 410
        assert "This export has expired" in gone.content.decode()
        assert data_exports_expire() == 1
    assert not path.exists()
    export.refresh_from_db()
    assert export.state == DataExport.State.EXPIRED
    assert client.get(url).status_code == 410


def test_an_export_nobody_built_is_marked_failed_after_a_day(seeker):
    export = data_export_request(user=seeker)
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        data_exports_expire()
    export.refresh_from_db()
    assert export.state == DataExport.State.FAILED


# --- The pages ------------------------------------------------------------------------------


def test_the_owner_downloads_the_zip_privately(seeker, client_for):
    export = everything_of(seeker)
    response = client_for(seeker).get(reverse("accounts:data_export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    stamp = export.finished_at.strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == (
        f'attachment; filename="followup-export-{stamp}.zip"'
    )
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"
    assert len(body) == export.size_bytes


def test_another_users_export_is_not_found(seeker, bystander, client_for):
    export = everything_of(seeker)
    url = reverse("accounts:data_export_download", args=[export.pk])
    response = client_for(bystander).get(url)
    assert response.status_code == 404
    assert "There is no export at this address for your account." in response.content.decode()
    assert (
        client_for(bystander)
        .get(reverse("accounts:data_export_download", args=[10**9]))
        .status_code
        == 404
    )


def test_an_export_still_being_built_cannot_be_downloaded_yet(seeker, client_for):
    export = data_export_request(user=seeker)
    response = client_for(seeker).get(reverse("accounts:data_export_download", args=[export.pk]))
    assert response.status_code == 409
    assert "still being built" in response.content.decode()


def test_the_download_needs_a_log_in(seeker, client):
    export = everything_of(seeker)
    response = client.get(reverse("accounts:data_export_download", args=[export.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_starting_an_export_is_post_only(seeker, client_for):
    client = client_for(seeker)
    assert client.get(reverse("accounts:data_export_start")).status_code == 405
    assert not DataExport.objects.filter(user=seeker).exists()


def test_the_settings_page_shows_the_export_in_each_state_and_polls_while_it_is_built(
    seeker, client_for
):
    client = client_for(seeker)
    settings_url = reverse("accounts:settings")
    assert "Export all my data" in client.get(settings_url).content.decode()

    response = client.post(reverse("accounts:data_export_start"), follow=True)
    html = response.content.decode()
    assert "Waiting for the worker" in html
    assert f'hx-get="{reverse("accounts:data_export_status")}"' in html
    assert 'hx-trigger="every 2s"' in html

    export = DataExport.objects.get(user=seeker)
    DataExport.objects.filter(pk=export.pk).update(
        state=DataExport.State.BUILDING, progress=40, started_at=timezone.now()
    )
    fragment = client.get(reverse("accounts:data_export_status")).content.decode()
    assert '<progress class="export-progress mb-2" max="100" value="40"' in fragment
    assert "Being built" in fragment
    assert "hx-trigger" in fragment

    DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.QUEUED)
    data_export_build(export_id=export.pk)
    fragment = client.get(reverse("accounts:data_export_status")).content.decode()
    assert "Download the zip" in fragment
    assert "hx-trigger" not in fragment  # ready: the polling stops

    DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.FAILED)
    fragment = client.get(reverse("accounts:data_export_status")).content.decode()
    assert "could not be built" in fragment
    assert "Export all my data" in fragment


def test_an_eml_carries_names_and_subjects_beyond_ascii(seeker):
    everything_of(seeker)
    seeker.full_name = "Zoë Ünal"
    seeker.save()
    Outreach.objects.filter(user=seeker, direction=Outreach.Direction.OUTGOING).update(
        subject="Danke für das Gespräch", body="Grüße aus Köln\nZoë"
    )
    Contact.objects.filter(user=seeker, name="Ana Ortiz").update(name="Ana Ortíz")
    export = data_export_build(export_id=data_export_request(user=seeker).pk)
    with _zip(export) as archive:
        (name,) = [n for n in archive.namelist() if "_sent_" in n]
        raw = archive.read(name)
    assert raw.isascii()  # encoded for transport, as mail is
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Danke für das Gespräch"
    assert message["From"].addresses[0].display_name == "Zoë Ünal"
    assert message["To"].addresses[0].display_name == "Ana Ortíz"
    assert message.get_content().splitlines() == ["Grüße aus Köln", "Zoë"]
