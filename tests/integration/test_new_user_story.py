"""Issue 12's story, end to end through the pages: a new user types nothing they can bring.

Robin photographs two business cards, imports last month's spreadsheet and the invitation to
the next interview, and has contacts, applications and an interview whose thank-you is
planned when it ends; then takes everything out and deletes the account. Each step is the
real page (the upload, the prefilled form, the column mapping and preview, the invitation's
confirmation, the export, the deletion with the password); the pieces have their own tests
in tests/interviews and tests/accounts.
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.data_export import data_export_build
from accounts.models import DataExport, User
from interviews.models import Application, Contact, Interview, SpreadsheetImport
from reminders.models import Reminder
from reminders.services.plan_apply import interviews_ended_replan
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.interviews.card_images import PLAIN_CARDS, png
from tests.interviews.invitation_files import ROBIN, google_invite
from tests.interviews.spreadsheets import csv_bytes

pytestmark = pytest.mark.django_db

# A week before the invitation's interview (Tuesday 10 March 2026, 10:00 in New York).
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LAST_MONTH = [
    "Acme Robotics,Backend engineer,Applied,02/02/2026,,Applied online,,,",
    "Globex,SRE,Phone screen,09/02/2026,,,Ann Lee,ann@globex.example,+49 30 1234567",
    "Initech,QA lead,Rejected,16/02/2026,,,,,",
]


def _contact_from_card(client, card) -> Contact:
    page = client.post(
        reverse("interviews:contact_from_card"),
        {"image": SimpleUploadedFile("card.png", png(card.image()), "image/png")},
    )
    assert page.status_code == 200, page.content.decode()[:500]
    form = page.context["form"]
    # The user checks the prefilled fields and saves them as they are.
    posted = {name: form.initial.get(name) or "" for name in form.fields}
    posted["salutation_style"] = posted["salutation_style"] or "first_name"
    saved = client.post(reverse("interviews:contact_create"), posted)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    return Contact.objects.get(email=card.expected["email"])


def _spreadsheet(client) -> SpreadsheetImport:
    upload = SimpleUploadedFile("last-month.csv", csv_bytes(LAST_MONTH), "text/csv")
    response = client.post(reverse("interviews:import_upload"), {"file": upload})
    assert response.status_code == 302
    job = SpreadsheetImport.objects.get()
    columns = {key: str(index) for key, index in job.mapping.items()}
    response = client.post(
        reverse("interviews:import_mapping", args=[job.pk]), {**columns, "date_order": "dmy"}
    )
    assert response.url == reverse("interviews:import_preview", args=[job.pk])
    assert client.post(reverse("interviews:import_preview", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    return job


def _invitation(client) -> Interview:
    page = client.post(
        reverse("interviews:invitation_import"),
        {"file": SimpleUploadedFile("invite.ics", google_invite(), "text/calendar")},
    )
    assert page.status_code == 200
    form = page.context["form"]
    # The invitation matched the application the spreadsheet brought.
    acme = Application.objects.get(company__name="Acme Robotics")
    assert form.initial["application"] == acme.pk
    data = {name: form.initial.get(name) or "" for name in form.fields}
    response = client.post(reverse("interviews:invitation_confirm"), data)
    assert response.status_code == 302
    return Interview.objects.get()


def test_cards_spreadsheet_and_invitation_then_everything_out_and_the_account_gone(client):
    robin = UserFactory(email=ROBIN, full_name="Robin Fischer", timezone="Europe/Berlin")
    client.force_login(robin, backend="django.contrib.auth.backends.ModelBackend")

    with time_machine.travel(NOW, tick=False):
        cards = [_contact_from_card(client, card) for card in PLAIN_CARDS[:2]]
        job = _spreadsheet(client)
        interview = _invitation(client)

    # Two people from their cards, as printed.
    for contact, card in zip(cards, PLAIN_CARDS[:2], strict=True):
        assert (contact.given_name, contact.family_name) == (
            card.expected["given_name"],
            card.expected["family_name"],
        )
        assert contact.company.name == card.expected["company_name"]
    # Three applications from the spreadsheet, one closed, the recruiter as a contact.
    assert job.state == SpreadsheetImport.State.DONE
    stages = dict(Application.objects.values_list("company__name", "stage"))
    assert stages == {
        "Acme Robotics": Application.Stage.APPLIED,
        "Globex": Application.Stage.SCREENING,
        "Initech": Application.Stage.CLOSED,
    }
    assert Contact.objects.filter(email="ann@globex.example", company__name="Globex").exists()
    # The interview with the people from the invitation; its thank-yous come once it ends.
    interviewers = sorted(interview.interviewers.values_list("name", flat=True))
    assert interviewers == ["Ana Ortiz", "Tom Weber"]
    with time_machine.travel(interview.ends_at + timedelta(minutes=5), tick=False):
        interviews_ended_replan()
    thank_yous = Reminder.objects.filter(interview=interview, kind=Reminder.Kind.THANK_YOU)
    assert sorted(thank_yous.values_list("contact__name", flat=True)) == interviewers
    assert {r.due_at for r in thank_yous} == {interview.ends_at + timedelta(hours=24)}

    # Everything out: the export holds what came in.
    response = client.post(reverse("accounts:data_export_start"))
    assert response.status_code in (200, 302)
    export = data_export_build(export_id=DataExport.objects.get(user=robin).pk)
    assert export.state == DataExport.State.READY
    download = client.get(reverse("accounts:data_export_download", args=[export.pk]))
    assert download.status_code == 200
    archive = zipfile.ZipFile(_body(download))
    applications = json.loads(archive.read("data/interviews.application.json"))
    assert len(applications) == 3
    vcards = archive.read("contacts.vcf").decode()
    assert all(card.expected["email"] in vcards for card in PLAIN_CARDS[:2])
    assert "Interview: Backend engineer at Acme Robotics" in archive.read("calendar.ics").decode()

    # Leaving: the password again, then nothing of Robin is left.
    response = client.post(reverse("accounts:delete"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(email=ROBIN).exists()
    assert not Application.objects.exists()
    assert not Contact.objects.exists()
    assert not Reminder.objects.exists()
    assert not DataExport.objects.exists()


def _body(response):
    from io import BytesIO

    content = b"".join(response.streaming_content) if response.streaming else response.content
    return BytesIO(content)
