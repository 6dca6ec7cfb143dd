"""The applications and contacts exports: the user's rows only, safe cells, constant queries,
and an applications export that imports back as the same applications."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from interviews import services
from interviews.models import Application, SpreadsheetImport
from tests.factories import ApplicationFactory, ContactFactory, UserFactory
from tests.interviews.spreadsheets import upload

pytestmark = pytest.mark.django_db

APPLICATIONS = reverse("interviews:applications_export")
CONTACTS = reverse("interviews:contacts_export")


def download(client, url: str) -> tuple[object, list[list[str]]]:
    response = client.get(url)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return response, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_applications_export_holds_the_users_rows_with_formulas_neutralised(
    logged_in_client, user
):
    services.application_create(
        user=user,
        company_name="=cmd|'/C calc'!A0",
        role="Backend engineer",
        posting_url="https://jobs.example/1",
        applied_on=date(2025, 3, 4),
        notes="+1 referral from Bo",
    )
    ApplicationFactory(user=UserFactory(), role="Someone else's")

    response, rows = download(logged_in_client, APPLICATIONS)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="followup-applications.csv"'
    assert rows[0] == ["Company", "Role", "Stage", "Date applied", "Job posting", "Notes", "Added"]
    assert [row[:6] for row in rows[1:]] == [
        [
            "'=cmd|'/C calc'!A0",
            "Backend engineer",
            "Applied",
            "2025-03-04",
            "https://jobs.example/1",
            "'+1 referral from Bo",
        ]
    ]


def test_the_contacts_export_holds_the_users_contacts(logged_in_client, user):
    ContactFactory(user=user, name="Dr. Anja Becker", email="anja@acme.example", phone="-5")
    ContactFactory(user=UserFactory(), name="Not mine")
    _, rows = download(logged_in_client, CONTACTS)
    assert rows[0][:3] == ["Name", "Honorific", "First name"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Name"], row["Email"], row["Phone"]) == (
        "Dr. Anja Becker",
        "anja@acme.example",
        "'-5",
    )


@pytest.mark.parametrize("url", [APPLICATIONS, CONTACTS])
@pytest.mark.parametrize("count", [1, 50])
def test_an_export_takes_the_same_queries_for_1_and_50_rows(
    logged_in_client, user, django_assert_num_queries, session_queries, url, count
):
    for index in range(count):
        ApplicationFactory(user=user, role=f"Role {index}")
        ContactFactory(user=user)
    # The session (unless Redis holds it), the user, then one query for every row (with its
    # company).
    with django_assert_num_queries(2 + session_queries):
        _, rows = download(logged_in_client, url)
    assert len(rows) == count + 1


def test_an_applications_export_imports_back_as_the_same_applications(
    logged_in_client, client_for, user
):
    for stage in ("applied", "screening", "interviewing", "offer"):
        services.application_create(
            user=user,
            company_name=f"Company {stage}",
            role=f"Role {stage}, “quoted”",
            stage=stage,
            applied_on=date(2025, 3, 4),
            posting_url="https://jobs.example/x",
            notes="Two\nlines",
        )
    for reason in Application.ClosedReason.values:
        application = services.application_create(
            user=user, company_name="Closed Co", role=f"Role {reason}"
        )
        services.application_close(application=application, reason=reason)
    exported = b"".join(logged_in_client.get(APPLICATIONS).streaming_content)

    def facts(owner):
        return sorted(
            Application.objects.filter(user=owner).values_list(
                "company__name",
                "role",
                "stage",
                "closed_reason",
                "applied_on",
                "posting_url",
                "notes",
            )
        )

    newcomer = UserFactory()
    client = client_for(newcomer)
    response = client.post(reverse("interviews:import_upload"), {"file": upload(exported)})
    job = SpreadsheetImport.objects.get(user=newcomer)
    assert response.url == reverse("interviews:import_mapping", args=[job.pk])
    form = {key: str(index) for key, index in job.mapping.items()} | {"date_order": "dmy"}
    client.post(reverse("interviews:import_mapping", args=[job.pk]), form)
    client.post(reverse("interviews:import_preview", args=[job.pk]))

    assert facts(newcomer) == facts(user)
    assert len(facts(newcomer)) == 8
