"""A user adds a contact from a photographed business card and imports a .vcf, in Chromium."""

from __future__ import annotations

import pytest

from interviews.models import Contact
from tests.browser.support import log_in, watch_csp_violations
from tests.factories import UserFactory
from tests.interviews.card_images import ANJA, jpeg
from tests.interviews.test_vcards import V3_FOLDED, V4

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def fits_the_phone(page) -> None:
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    small = page.evaluate(
        """() => [...document.querySelectorAll('main button, main a.btn, main input[type=file]')]
            .filter((el) => el.offsetParent !== null)
            .map((el) => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
            .filter(([, height]) => height < 44)"""
    )
    assert small == []


def test_a_card_photo_becomes_a_checked_contact_and_a_vcf_imports(page, screenshot):
    violations = watch_csp_violations(page.context)
    user = UserFactory(country="DE")
    log_in(page, user)
    page.goto("/contacts/")
    page.get_by_role("heading", name="Add from a business card").wait_for()
    fits_the_phone(page)
    screenshot(page, "contacts-card-upload-phone")
    page.set_viewport_size(DESKTOP)

    # A file that is not a photo is refused with a message, and nothing is saved.
    page.set_input_files(
        "input[name=image]",
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a photo at all"},
    )
    page.get_by_text("That file is not an image we can read").wait_for()
    screenshot(page, "contacts-card-not-an-image")

    # Choosing the photo starts reading it (static/js/card_upload.js): no second tap.
    page.set_input_files(
        "input[name=image]",
        {"name": "card.jpg", "mimeType": "image/jpeg", "buffer": jpeg(ANJA.image())},
    )
    page.get_by_role("heading", name="Check the card's contact").wait_for()
    assert page.input_value("[name=name]") == "Anja Becker"
    assert page.input_value("[name=given_name]") == "Anja"
    assert page.input_value("[name=family_name]") == "Becker"
    assert page.input_value("[name=job_title]") == "Head of Platform"
    assert page.input_value("[name=company_name]") == "Acme Robotics GmbH"
    assert page.input_value("[name=email]") == "anja.becker@acme-robotics.de"
    assert page.input_value("[name=phone]") == "+493012345678"
    assert page.input_value("[name=profile_url]") == "https://www.acme-robotics.de"
    assert page.locator("img.card-reading-image").evaluate("img => img.naturalWidth") > 0
    assert Contact.objects.count() == 0  # nothing saved yet
    screenshot(page, "contact-from-card")
    fits_the_phone(page)
    screenshot(page, "contact-from-card-phone")
    page.set_viewport_size(DESKTOP)

    page.fill("[name=job_title]", "Head of Platform Engineering")  # the user corrects a field
    page.get_by_role("button", name="Save contact").click()
    page.get_by_role("heading", name="Anja Becker").wait_for()
    contact = Contact.objects.get(user=user)
    assert contact.job_title == "Head of Platform Engineering"
    assert contact.phone == "+493012345678"
    assert contact.company.name == "Acme Robotics GmbH"

    # The same person in a .vcf is offered as a merge, never added twice.
    page.goto("/contacts/")
    page.get_by_role("link", name="Import vCards").click()
    page.set_input_files(
        "input[name=file]",
        {
            "name": "contacts.vcf",
            "mimeType": "text/vcard",
            "buffer": (V3_FOLDED.replace("@acme.example", "@acme-robotics.de") + V4).encode(),
        },
    )
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("heading", name="Check before importing").wait_for()
    assert page.get_by_text("Already a contact").count() == 1
    assert page.get_by_text("New contact").count() == 1
    fits_the_phone(page)
    screenshot(page, "contact-import-preview-phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "contact-import-preview")
    page.get_by_label("Fill in the details they are missing from this card").check()
    page.get_by_role("button", name="Import 2 contacts").click()
    page.get_by_text("Imported 1 new contact, filled in 1 you already had.").wait_for()
    assert Contact.objects.filter(user=user).count() == 2
    contact.refresh_from_db()
    assert contact.notes.startswith("Met at the Berlin meetup")
    assert contact.job_title == "Head of Platform Engineering"  # kept

    # Everything goes out again as one .vcf (its content is checked in test_card_views).
    with page.expect_download() as download:
        page.get_by_role("link", name="Export all (.vcf)").click()
    assert download.value.suggested_filename.startswith("followup-contacts-")
    assert violations == []
