"""A zip bomb given to any importer is refused unread: none of them unpacks an archive.

The bomb is 20 MB of zeros in a 20 KB zip (named as the file each importer expects, as
someone renaming an .xlsx might); every importer answers 4xx with a message saying what it
expected, and nothing is saved. The image importer's own bomb, a small PNG that unpacks into
gigapixels, is tested in tests/interviews/test_cards.py.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviews.models import Application, Contact, Interview, Invitation, SpreadsheetImport

pytestmark = pytest.mark.django_db


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sheet1.xml", b"\0" * 20_000_000)
    return buffer.getvalue()


IMPORTERS = [
    ("interviews:import_upload", "file", "applications.csv", "text/csv"),
    ("interviews:contact_import", "file", "contacts.vcf", "text/vcard"),
    ("interviews:invitation_import", "file", "invite.ics", "text/calendar"),
    ("interviews:contact_from_card", "image", "card.jpg", "image/jpeg"),
]


@pytest.mark.parametrize(("url", "field", "name", "content_type"), IMPORTERS)
def test_a_zip_bomb_is_refused_with_a_4xx_and_nothing_saved(
    logged_in_client, url, field, name, content_type
):
    bomb = _zip_bomb()
    assert len(bomb) < 100_000

    response = logged_in_client.post(
        reverse(url), {field: SimpleUploadedFile(name, bomb, content_type)}
    )

    assert 400 <= response.status_code < 500, response.status_code
    assert response.content.strip()  # a message, not an empty answer
    for model in (Application, Contact, Interview, Invitation, SpreadsheetImport):
        assert not model.objects.exists(), model
