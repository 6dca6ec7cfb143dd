"""Importing a spreadsheet of applications through its pages: upload, columns, preview, import.

Small files (at most SPREADSHEET_IMPORT_BACKGROUND_ROWS rows) are imported by the request,
in one transaction; tests/interviews/test_spreadsheet_worker.py covers the larger ones.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews import services
from interviews.models import Application, Company, Contact, SpreadsheetImport
from interviews.spreadsheet_import import (
    spreadsheet_import_run,
    spreadsheet_imports_expire,
    spreadsheet_imports_stalled,
)
from reminders.models import Reminder
from tests.factories import CompanyFactory, ContactFactory, UserFactory
from tests.interviews.spreadsheets import (
    REFUSED_ROLE,
    csv_bytes,
    database_refuses_role,
    many_rows,
    upload,
)

pytestmark = pytest.mark.django_db

UPLOAD = reverse("interviews:import_upload")
GOOD_ROWS = [
    "Acme,Backend engineer,Applied,04/03/2025,acme.example/jobs/1,Referred by Bo,"
    "Ann Lee,ann@acme.example,+49 30 1234567",
    "ACME ,Data engineer,phone screen,05/03/2025,,,Ann Lee,ANN@acme.example,",
    "Globex,SRE,Rejected,2025-03-01,,,,,",
]
BAD_ROWS = [
    ",No company,Applied,,,,,,",  # row 5
    "Initech,QA,Maybe,31/02/2025,,,,not-an-email,",  # row 6
]


def mapping_post(job: SpreadsheetImport, **changes: str) -> dict[str, str]:
    data = {key: str(index) for key, index in job.mapping.items()}
    data["date_order"] = job.date_order
    data.update(changes)
    return data


def uploaded(client: Client, data: bytes) -> SpreadsheetImport:
    response = client.post(UPLOAD, {"file": upload(data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return SpreadsheetImport.objects.get(pk=response.url.rstrip("/").split("/")[-2])


def previewed(client: Client, data: bytes, **mapping: str) -> SpreadsheetImport:
    job = uploaded(client, data)
    response = client.post(
        reverse("interviews:import_mapping", args=[job.pk]), mapping_post(job, **mapping)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == reverse("interviews:import_preview", args=[job.pk])
    job.refresh_from_db()
    return job


def test_the_columns_are_guessed_and_shown_with_the_first_rows(logged_in_client):
    job = uploaded(logged_in_client, csv_bytes(GOOD_ROWS))
    assert job.mapping == {
        "company": 0,
        "role": 1,
        "stage": 2,
        "applied_on": 3,
        "posting_url": 4,
        "notes": 5,
        "contact_name": 6,
        "contact_email": 7,
        "contact_phone": 8,
    }
    page = logged_in_client.get(reverse("interviews:import_mapping", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="1" selected>Position</option>' in html
    assert "Referred by Bo" in html


def test_a_clean_file_imports_all_rows_deduplicating_companies_and_contacts(logged_in_client, user):
    CompanyFactory(user=user, name="globex")
    known = ContactFactory(user=user, name="Ann L.", email="Ann@Acme.example", company=None)
    job = previewed(logged_in_client, csv_bytes(GOOD_ROWS))
    assert (job.valid_count, job.errors) == (3, [])

    response = logged_in_client.post(reverse("interviews:import_preview", args=[job.pk]))

    assert response.status_code == 302
    assert response.url == reverse("interviews:import_status", args=[job.pk])
    job.refresh_from_db()
    assert job.state == SpreadsheetImport.State.DONE
    assert job.rows == []
    assert job.summary == {
        "applications": 3,
        "applications_matched": 0,
        "companies": 1,
        "contacts": 0,
        "contacts_matched": 2,
        "skipped": 0,
    }
    assert sorted(Company.objects.filter(user=user).values_list("name", flat=True)) == [
        "Acme",
        "globex",
    ]
    assert list(Contact.objects.filter(user=user)) == [known]
    backend = Application.objects.get(user=user, role="Backend engineer")
    assert (backend.company.name, backend.stage, backend.applied_on) == (
        "Acme",
        Application.Stage.APPLIED,
        date(2025, 3, 4),
    )
    assert (backend.posting_url, backend.notes) == ("https://acme.example/jobs/1", "Referred by Bo")
    data = Application.objects.get(user=user, role="Data engineer")
    assert (data.company, data.stage) == (backend.company, Application.Stage.SCREENING)
    sre = Application.objects.get(user=user, role="SRE")
    assert (sre.stage, sre.closed_reason) == ("closed", "rejected")
    assert sre.closed_at is not None
    status = logged_in_client.get(response.url).content.decode()
    assert "Import finished." in status
    assert "3 applications added" in status
    assert "hx-trigger" not in status


def test_the_same_file_imported_twice_adds_its_applications_once(logged_in_client, user):
    first = previewed(logged_in_client, csv_bytes(GOOD_ROWS))
    logged_in_client.post(reverse("interviews:import_preview", args=[first.pk]))
    before = sorted(Application.objects.filter(user=user).values_list("pk", "stage", "role"))
    Application.objects.filter(user=user, role="Backend engineer").update(
        stage=Application.Stage.OFFER
    )
    # Again, with the role typed differently and one more row: another application to the
    # same role on another date, which is a new application.
    again = [GOOD_ROWS[0].replace("Backend engineer", "backend  Engineer"), *GOOD_ROWS[1:]]
    again.append("Acme,Backend engineer,Applied,01/09/2025,,,,,")
    second = previewed(logged_in_client, csv_bytes(again))

    response = logged_in_client.post(reverse("interviews:import_preview", args=[second.pk]))

    second.refresh_from_db()
    assert second.state == SpreadsheetImport.State.DONE
    assert (second.summary["applications"], second.summary["applications_matched"]) == (1, 3)
    assert (second.summary["companies"], second.summary["contacts"]) == (0, 0)
    after = Application.objects.filter(user=user)
    assert after.count() == len(before) + 1
    # What the user changed since the first import stays as they left it.
    assert after.get(role="Backend engineer", applied_on=date(2025, 3, 4)).stage == "offer"
    assert after.get(applied_on=date(2025, 9, 1)).stage == Application.Stage.APPLIED
    status = logged_in_client.get(response.url).content.decode()
    assert "1 application added" in status
    assert "3 rows named an application you already had, left as it was" in status


def test_new_contacts_are_created_once_per_email_at_the_rows_company(logged_in_client, user):
    rows = [
        "Acme,Dev,,,,,Ann Lee,ann@acme.example,+49 30 1",
        "Acme,Ops,,,,,Ann Lee,ann@ACME.example,",
        "Acme,QA,,,,,Bo Ray,,",
        "Acme,PM,,,,,bo ray,,",
    ]
    job = previewed(logged_in_client, csv_bytes(rows))
    logged_in_client.post(reverse("interviews:import_preview", args=[job.pk]))
    contacts = Contact.objects.filter(user=user).order_by("name")
    assert [(c.name, c.email, c.phone, c.company.name) for c in contacts] == [
        ("Ann Lee", "ann@acme.example", "+49 30 1", "Acme"),
        ("Bo Ray", "", "", "Acme"),
    ]
    assert contacts[0].given_name == "Ann"


def test_errors_are_listed_per_row_and_column_and_block_importing_all(logged_in_client, user):
    job = previewed(logged_in_client, csv_bytes(GOOD_ROWS + BAD_ROWS))
    assert (job.valid_count, job.error_count) == (3, 2)
    unknown_stage = (
        "“Maybe” is not a stage we know; use applied, screening, interviewing, offer, "
        "rejected, withdrawn, no response or accepted."
    )
    assert job.errors == [
        {"row": 5, "column": "Company", "message": "The company is missing."},
        {"row": 6, "column": "Status", "message": unknown_stage},
        {"row": 6, "column": "Date applied", "message": "“31/02/2025” is not a real date."},
        {
            "row": 6,
            "column": "Recruiter email",
            "message": "“not-an-email” is not an email address.",
        },
    ]
    preview = reverse("interviews:import_preview", args=[job.pk])
    html = logged_in_client.get(preview).content.decode()
    assert '<td>5</td><td>Company</td><td class="text-break">The company is missing.</td>' in html
    assert "Import the 3 valid rows" in html
    assert "Import all" not in html

    refused = logged_in_client.post(preview)

    assert refused.status_code == 400
    assert "Some rows have errors" in refused.content.decode()
    assert not Application.objects.filter(user=user).exists()
    job.refresh_from_db()
    assert job.state == SpreadsheetImport.State.PREVIEW

    logged_in_client.post(preview, {"only_valid": "1"})

    assert Application.objects.filter(user=user).count() == 3
    job.refresh_from_db()
    assert (job.state, job.summary["skipped"]) == (SpreadsheetImport.State.DONE, 2)


def test_confirming_twice_imports_once(logged_in_client, user):
    job = previewed(logged_in_client, csv_bytes(GOOD_ROWS))
    preview = reverse("interviews:import_preview", args=[job.pk])
    logged_in_client.post(preview)
    again = logged_in_client.post(preview)
    assert again.status_code == 302
    assert Application.objects.filter(user=user).count() == 3


def test_a_row_the_database_refuses_leaves_nothing_imported(logged_in_client, user):
    rows = [*GOOD_ROWS, f"Umbrella,{REFUSED_ROLE},,,,,Cy Doe,cy@umbrella.example,"]
    job = previewed(logged_in_client, csv_bytes(rows))
    with database_refuses_role():
        response = logged_in_client.post(reverse("interviews:import_preview", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == SpreadsheetImport.State.FAILED
    assert job.failure.startswith("Row 5 could not be imported")
    assert "nothing was imported" in job.failure
    assert not Application.objects.filter(user=user).exists()
    assert not Company.objects.filter(user=user).exists()
    assert not Contact.objects.filter(user=user).exists()
    page = logged_in_client.get(response.url)
    assert "Row 5 could not be imported" in page.content.decode()


def test_a_missing_required_column_is_a_clear_400(logged_in_client, user):
    job = uploaded(logged_in_client, csv_bytes(["Acme,Dev"], header="Employer,Notes"))
    assert job.mapping == {"company": 0, "notes": 1}
    response = logged_in_client.post(
        reverse("interviews:import_mapping", args=[job.pk]), mapping_post(job)
    )
    assert response.status_code == 400
    assert "Choose the column that holds the role." in response.content.decode()
    job.refresh_from_db()
    assert job.state == SpreadsheetImport.State.MAPPING


def test_one_column_cannot_hold_two_fields(logged_in_client):
    job = uploaded(logged_in_client, csv_bytes(GOOD_ROWS))
    response = logged_in_client.post(
        reverse("interviews:import_mapping", args=[job.pk]), mapping_post(job, notes="1")
    )
    assert response.status_code == 400
    assert "already chosen for the role" in response.content.decode()


def test_the_chosen_date_order_reads_the_dates(logged_in_client, user):
    job = previewed(logged_in_client, csv_bytes(GOOD_ROWS[:1]), date_order="mdy")
    logged_in_client.post(reverse("interviews:import_preview", args=[job.pk]))
    assert Application.objects.get(user=user).applied_on == date(2025, 4, 3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"Company,Role\r\n", "no rows of data"),
        (b"PK\x03\x04" + bytes(range(256)) * 4, "Excel workbook"),
        (bytes(range(256)) * 8, "not a text file"),
        (b"Company,Role\r\nA\x81B,C\r\n", "encoding we cannot read"),
        (b'Company,Role\r\nAcme,Dev\r\n"Globex,Ops\r\n', "Row 3: a quote (&quot;) opened there"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_400_and_nothing_kept(
    logged_in_client, user, data, message
):
    response = logged_in_client.post(UPLOAD, {"file": upload(data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SpreadsheetImport.objects.exists()
    assert not Application.objects.exists()


def test_no_file_is_a_400(logged_in_client):
    response = logged_in_client.post(UPLOAD, {})
    assert response.status_code == 400
    assert "Choose a CSV file to upload." in response.content.decode()


def test_too_many_rows_are_refused(logged_in_client, settings):
    settings.SPREADSHEET_IMPORT_MAX_ROWS = 20
    response = logged_in_client.post(UPLOAD, {"file": upload(many_rows(21))})
    assert response.status_code == 400
    assert "more than 20 rows" in response.content.decode()
    assert not SpreadsheetImport.objects.exists()


def test_a_10_mb_file_is_refused_before_its_body_is_read(user, settings):
    """Refused from Content-Length, before the CSRF check reads the body: the client sends
    no CSRF token, and still gets 413 rather than 403."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    big = many_rows(1) + b"x" * (10 * 1024 * 1024)
    response = client.post(UPLOAD, {"file": upload(big)})
    assert response.status_code == 413
    assert "larger than 5.0 MB" in response.content.decode()
    assert not SpreadsheetImport.objects.exists()


def test_a_file_over_the_limit_within_the_envelope_is_still_refused(logged_in_client, settings):
    settings.SPREADSHEET_IMPORT_MAX_BYTES = 1000
    response = logged_in_client.post(UPLOAD, {"file": upload(many_rows(30))})
    assert response.status_code == 413
    assert not SpreadsheetImport.objects.exists()


def test_the_csrf_check_still_guards_the_upload(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(UPLOAD, {"file": upload(csv_bytes(GOOD_ROWS))})
    assert response.status_code == 403
    assert not SpreadsheetImport.objects.exists()


def test_another_users_import_is_a_404(logged_in_client, client_for):
    job = uploaded(logged_in_client, csv_bytes(GOOD_ROWS))
    stranger = client_for(UserFactory())
    for name in ("import_mapping", "import_preview", "import_status", "import_progress"):
        assert stranger.get(reverse(f"interviews:{name}", args=[job.pk])).status_code == 404
    assert stranger.post(reverse("interviews:import_preview", args=[job.pk])).status_code == 404


def test_an_upload_expires_and_is_deleted(logged_in_client, settings):
    settings.SPREADSHEET_IMPORT_KEEP_HOURS = 2
    job = uploaded(logged_in_client, csv_bytes(GOOD_ROWS))
    later = timezone.now() + timedelta(hours=2, minutes=1)
    with time_machine.travel(later, tick=False):
        assert (
            logged_in_client.get(reverse("interviews:import_mapping", args=[job.pk])).status_code
            == 404
        )
        assert spreadsheet_imports_expire() == 1
    assert not SpreadsheetImport.objects.exists()


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Los_Angeles"])
def test_an_imported_application_is_planned_like_a_hand_made_one(client_for, zone):
    """Frozen at 2025-03-10 15:00 UTC; the user's zone is Berlin or Los Angeles. Logging the
    same interview on an imported and on a hand-made application plans the same tasks."""
    with time_machine.travel(datetime(2025, 3, 10, 15, tzinfo=UTC), tick=False):
        seeker = UserFactory(timezone=zone)
        client = client_for(seeker)
        job = previewed(client, csv_bytes(["Acme,Dev,interviewing,2025-03-01,,,,,"]))
        client.post(reverse("interviews:import_preview", args=[job.pk]))
        imported = Application.objects.get(user=seeker)
        hand_made = services.application_create(
            user=seeker,
            company_name="Hand",
            role="Dev",
            stage=Application.Stage.INTERVIEWING,
            applied_on=date(2025, 3, 1),
        )
        starts = datetime(2025, 3, 10, 13, tzinfo=UTC)
        for application in (imported, hand_made):
            services.interview_log(
                user=seeker,
                application=application,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                timezone_name=zone,
            )

        def plan(application):
            return sorted(
                (r.kind, r.state, r.due_at, r.notify_at)
                for r in Reminder.objects.filter(application=application)
            )

        assert plan(imported) == plan(hand_made)
        assert plan(imported), "logging an interview plans tasks"


def test_a_queued_import_whose_message_was_lost_is_found_to_queue_again(
    logged_in_client, user, settings
):
    """No worker runs here, and the test's transaction never commits, so the queued message
    is never sent: as if the broker had lost it. The sweep finds the import after 10 minutes,
    and running it then imports every row once; running it again does nothing."""
    settings.SPREADSHEET_IMPORT_BACKGROUND_ROWS = 2
    job = previewed(logged_in_client, csv_bytes(GOOD_ROWS))
    logged_in_client.post(reverse("interviews:import_preview", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == SpreadsheetImport.State.QUEUED
    queued_at = job.updated_at
    assert spreadsheet_imports_stalled(now=queued_at + timedelta(minutes=9)) == []
    assert spreadsheet_imports_stalled(now=queued_at + timedelta(minutes=11)) == [job.pk]

    assert spreadsheet_import_run(import_id=job.pk) == SpreadsheetImport.State.DONE
    assert spreadsheet_import_run(import_id=job.pk) == "gone"

    assert Application.objects.filter(user=user).count() == 3
    assert spreadsheet_imports_stalled(now=queued_at + timedelta(minutes=11)) == []
