"""The pages for contacts from business cards and vCards, and the vCard export."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviews.models import Company, Contact
from tests.factories import CompanyFactory, ContactFactory
from tests.interviews.card_images import ANJA, jpeg, png
from tests.interviews.test_vcards import V3_FOLDED, V4

pytestmark = pytest.mark.django_db

CARD_URL = reverse("interviews:contact_from_card")
IMPORT_URL = reverse("interviews:contact_import")
CONFIRM_URL = reverse("interviews:contact_import_confirm")


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Business cards ---------------------------------------------------------------------


def test_the_contacts_page_offers_the_camera_for_a_card(logged_in_client):
    content = logged_in_client.get(reverse("interviews:contact_list")).content.decode()
    assert "Add from a business card" in content
    tag = re.search(r'<input type="file" name="image"[^>]*>', content).group(0)
    assert 'accept="image/*"' in tag and 'capture="environment"' in tag
    assert 'enctype="multipart/form-data"' in content


def test_a_card_photo_prefills_the_contact_form_and_saves_nothing(logged_in_client, user):
    user.country = "DE"
    user.save()
    response = logged_in_client.post(CARD_URL, {"image": upload("card.jpg", jpeg(ANJA.image()))})
    assert response.status_code == 200
    content = response.content.decode()
    form = response.context["form"]
    assert form.initial["name"] == "Anja Becker"
    assert form.initial["phone"] == "+493012345678"
    assert form.initial["company_name"] == "Acme Robotics GmbH"
    assert 'value="anja.becker@acme-robotics.de"' in content
    assert f'action="{reverse("interviews:contact_create")}"' in content
    assert "check every field" in content
    assert 'src="data:image/jpeg;base64,' in content
    assert Contact.objects.count() == 0
    assert Company.objects.count() == 0


def test_saving_the_prefilled_form_creates_the_contact(logged_in_client, user):
    response = logged_in_client.post(CARD_URL, {"image": upload("card.png", png(ANJA.image()))})
    initial = response.context["form"].initial
    posted = {key: initial.get(key, "") for key in response.context["form"].fields}
    posted["salutation_style"] = "first_name"
    saved = logged_in_client.post(reverse("interviews:contact_create"), posted)
    assert saved.status_code == 302
    contact = Contact.objects.get(user=user)
    assert (contact.given_name, contact.family_name, contact.company.name) == (
        "Anja",
        "Becker",
        "Acme Robotics GmbH",
    )


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (b"just some text, not a photo", 415, "not an image we can read"),
        (jpeg(ANJA.image())[:5000], 400, "damaged or cut off"),
    ],
)
def test_bad_card_files_answer_4xx_with_a_message_and_save_nothing(
    logged_in_client, data, status, message
):
    response = logged_in_client.post(CARD_URL, {"image": upload("card.jpg", data)})
    assert response.status_code == status
    assert message in response.content.decode()
    assert Contact.objects.count() == 0


def test_a_card_file_over_the_size_limit_is_refused_before_it_is_read(logged_in_client, settings):
    settings.CARD_IMAGE_MAX_BYTES = 100_000
    big = upload("card.jpg", b"\xff\xd8" + b"\0" * 300_000)
    response = logged_in_client.post(CARD_URL, {"image": big})
    assert response.status_code == 413
    assert "too large: the most we take is 97 KB" in response.content.decode()


def test_a_card_file_just_over_the_limit_is_refused_by_its_own_size(logged_in_client, settings):
    settings.CARD_IMAGE_MAX_BYTES = 10_000  # the body allows some overhead; the file does not
    response = logged_in_client.post(CARD_URL, {"image": upload("card.png", png(ANJA.image()))})
    assert response.status_code == 413


def test_no_file_is_a_400_with_the_form_error(logged_in_client):
    response = logged_in_client.post(CARD_URL, {})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_a_card_without_tesseract_says_so(logged_in_client, settings):
    settings.TESSERACT_CMD = "/nonexistent/tesseract"
    response = logged_in_client.post(CARD_URL, {"image": upload("card.png", png(ANJA.image()))})
    assert response.status_code == 503
    assert "Tesseract OCR is not installed" in response.content.decode()


def test_reading_a_card_needs_a_post_and_a_log_in(client, logged_in_client):
    assert logged_in_client.get(CARD_URL).status_code == 405
    assert client.post(CARD_URL).status_code == 302


def test_reading_a_card_checks_the_csrf_token(user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = strict.post(CARD_URL, {"image": upload("card.png", png(ANJA.image()))})
    assert response.status_code == 403


# --- vCard import -----------------------------------------------------------------------


def preview(client, text: str | bytes, name: str = "contacts.vcf"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(IMPORT_URL, {"file": upload(name, data, "text/vcard")})


def confirm_data(response, **choices: str) -> dict[str, str]:
    form = response.context["confirm_form"]
    data = {"payload": form.initial["payload"]}
    for name, field in form.fields.items():
        if name.startswith("merge_"):
            data[name] = choices.get(name, field.initial)
    return data


def test_importing_a_file_shows_a_preview_then_creates_every_contact(logged_in_client, user):
    user.country = "DE"
    user.save()
    response = preview(logged_in_client, V3_FOLDED + V4)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dr. Anja Becker" in content and "Zoë Ångström" in content
    assert "New contact" in content
    assert Contact.objects.count() == 0  # a preview saves nothing
    done = logged_in_client.post(CONFIRM_URL, confirm_data(response))
    assert done.status_code == 302
    assert sorted(Contact.objects.filter(user=user).values_list("name", flat=True)) == [
        "Dr. Anja Becker",
        "Zoë Ångström",
    ]
    anja = Contact.objects.get(family_name="Becker")
    assert anja.company.name == "Acme Robotics GmbH"
    assert anja.phone == "+4915123456789"  # 0151... read in the user's country


def test_a_known_email_offers_a_merge_that_fills_only_empty_fields(logged_in_client, user):
    user.country = "DE"
    user.save()
    known = ContactFactory(
        user=user,
        company=None,
        name="Anja B.",
        email="Anja.Becker@acme.example",
        job_title="Platform lead",
        phone="",
    )
    response = preview(logged_in_client, V3_FOLDED)
    content = response.content.decode()
    assert "Already a contact" in content
    assert "Fill in the details they are missing" in content
    logged_in_client.post(CONFIRM_URL, confirm_data(response, merge_0="fill"))
    known.refresh_from_db()
    assert Contact.objects.filter(user=user).count() == 1  # never a duplicate
    assert known.name == "Anja B."  # what it had stays
    assert known.job_title == "Platform lead"
    assert known.phone == "+4915123456789"  # what it lacked is filled in
    assert known.company.name == "Acme Robotics GmbH"


def test_keeping_the_known_contact_changes_nothing(logged_in_client, user):
    known = ContactFactory(user=user, email="anja.becker@acme.example", phone="")
    response = preview(logged_in_client, V3_FOLDED + V4)
    done = logged_in_client.post(CONFIRM_URL, confirm_data(response, merge_0="keep"), follow=True)
    assert "Imported 1 new contact, left 1 as it was." in done.content.decode()
    known.refresh_from_db()
    assert known.phone == ""
    assert Contact.objects.filter(user=user).count() == 2


def test_another_users_contact_with_the_same_email_is_not_matched(
    logged_in_client, user, other_user
):
    ContactFactory(user=other_user, email="anja.becker@acme.example")
    response = preview(logged_in_client, V3_FOLDED)
    assert "Already a contact" not in response.content.decode()
    logged_in_client.post(CONFIRM_URL, confirm_data(response))
    assert Contact.objects.filter(user=user).count() == 1
    assert Contact.objects.filter(user=other_user).count() == 1


def test_a_contact_added_since_the_preview_is_offered_again_not_duplicated(logged_in_client, user):
    response = preview(logged_in_client, V3_FOLDED)
    ContactFactory(user=user, email="anja.becker@acme.example")
    again = logged_in_client.post(CONFIRM_URL, confirm_data(response))
    assert again.status_code == 409
    assert "changed since the preview" in again.content.decode()
    assert Contact.objects.filter(user=user).count() == 1


def test_the_same_person_twice_in_one_file_becomes_one_contact(logged_in_client, user):
    twice = V3_FOLDED + V3_FOLDED.replace("Dr. Anja Becker", "Anja Becker")
    response = preview(logged_in_client, twice)
    assert "2 cards with this email, combined" in response.content.decode()
    logged_in_client.post(CONFIRM_URL, confirm_data(response))
    assert Contact.objects.filter(user=user).count() == 1


def test_a_preview_made_for_another_user_cannot_be_confirmed(
    logged_in_client, other_user, client_for
):
    response = preview(client_for(other_user), V3_FOLDED)
    refused = logged_in_client.post(CONFIRM_URL, confirm_data(response))
    assert refused.status_code == 400
    assert Contact.objects.count() == 0


def test_a_tampered_or_foreign_payload_is_refused(logged_in_client, user):
    response = logged_in_client.post(CONFIRM_URL, {"payload": "not-signed"})
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    forged = signing.dumps({"cards": [{"name": "X"}], "skipped": []}, salt="other")
    assert logged_in_client.post(CONFIRM_URL, {"payload": forged}).status_code == 400
    assert Contact.objects.count() == 0


def test_an_import_that_fails_half_way_saves_nothing(logged_in_client, user, monkeypatch):
    # The second contact's company cannot be created: the first must go too.
    from interviews import services

    response = preview(logged_in_client, V3_FOLDED + V4.replace("FN:Zoë", "ORG:Boom\nFN:Zoë"))
    original = services.company_get_or_create

    def failing(*, user, name):
        if name == "Boom":
            raise RuntimeError("database went away")
        return original(user=user, name=name)

    monkeypatch.setattr(services, "company_get_or_create", failing)
    with pytest.raises(RuntimeError):
        logged_in_client.post(CONFIRM_URL, confirm_data(response))
    assert Contact.objects.count() == 0
    assert Company.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"BEGIN:VCARD\nVERSION:3.0\nFN:Anja\n", "Nothing was imported. The file is not a valid"),
        (V4.encode("latin-1"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n binary", "not UTF-8"),
        (b"name,email\nAnja,anja@example.com\n", "no BEGIN:VCARD"),
        (b"BEGIN:VCARD\nVERSION:3.0\nORG:Acme\nEND:VCARD\n", "Nothing to import"),
    ],
)
def test_bad_vcard_files_answer_400_and_import_nothing(logged_in_client, data, message):
    response = preview(logged_in_client, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Contact.objects.count() == 0


def test_too_many_cards_and_too_big_files_are_refused(logged_in_client, settings):
    settings.VCARD_IMPORT_MAX_CARDS = 1
    response = preview(logged_in_client, V3_FOLDED + V4)
    assert response.status_code == 400
    assert "more than 1 contacts" in response.content.decode()
    settings.VCARD_IMPORT_MAX_BYTES = 1000
    response = preview(logged_in_client, V3_FOLDED * 500)
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert Contact.objects.count() == 0


# --- vCard export -----------------------------------------------------------------------


def test_one_contact_exports_as_a_vcard_file(logged_in_client, user):
    contact = ContactFactory(user=user, name="Dr. Anja Becker", email="anja@acme.example")
    response = logged_in_client.get(reverse("interviews:contact_vcard", args=[contact.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dr-anja-becker.vcf"'
    assert "FN:Dr. Anja Becker" in response.content.decode()


def test_another_users_contact_cannot_be_exported(logged_in_client, other_user):
    stranger = ContactFactory(user=other_user)
    response = logged_in_client.get(reverse("interviews:contact_vcard", args=[stranger.pk]))
    assert response.status_code == 404


def test_all_contacts_export_and_import_back_into_another_account(
    logged_in_client, user, other_user, client_for
):
    ContactFactory(
        user=user,
        name="Dr. Anja Becker",
        greeting_name="",
        company=CompanyFactory(user=user, name="Acme; Robotics"),
        phone="+493012345678",
        profile_url="https://acme.example/anja",
        interests="Sailing",
        notes="Met at the meetup,\nasked about shards",
        salutation_style="formal",
    )
    ContactFactory(user=user, name="Zoë Ångström", company=None, job_title="")
    ContactFactory(user=other_user, name="Not Mine")
    response = logged_in_client.get(reverse("interviews:contact_vcards"))
    assert re.fullmatch(
        r'attachment; filename="followup-contacts-\d{4}-\d{2}-\d{2}.vcf"',
        response["Content-Disposition"],
    )
    text = response.content.decode()
    assert text.count("BEGIN:VCARD") == 2 and "Not Mine" not in text

    def details(contacts) -> dict[str, tuple]:
        fields = ["name", "job_title", "email", "phone", "profile_url", "interests", "notes",
                  "salutation_style"]  # fmt: skip
        return {
            c.name: (
                [getattr(c, f) for f in fields],
                c.name_parts,
                c.company.name if c.company else "",
            )
            for c in contacts.select_related("company")
        }

    mine = details(Contact.objects.filter(user=user))
    # Into the other account, which has none of these people yet.
    other = client_for(other_user)
    imported = preview(other, response.content, name="export.vcf")
    other.post(CONFIRM_URL, confirm_data(imported))
    assert details(Contact.objects.filter(user=other_user).exclude(name="Not Mine")) == mine


@pytest.mark.parametrize("rows", [1, 50])
def test_exporting_all_contacts_takes_the_same_queries_for_1_or_50(
    logged_in_client, user, rows, django_assert_num_queries, session_queries
):
    ContactFactory.create_batch(rows, user=user)
    # Session, user, then one query for every contact with its company.
    with django_assert_num_queries(2 + session_queries):
        response = logged_in_client.get(reverse("interviews:contact_vcards"))
    assert response.content.decode().count("BEGIN:VCARD") == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_the_import_preview_takes_the_same_queries_for_1_or_50_cards(
    logged_in_client, user, rows, django_assert_num_queries, session_queries
):
    text = "".join(
        V4.replace("zoe@", f"zoe{n}@").replace("FN:Zoë", f"FN:Zoë{n}") for n in range(rows)
    )
    ContactFactory(user=user, email="zoe0@fjord.example")
    with django_assert_num_queries(2 + session_queries):
        response = preview(logged_in_client, text)
    assert response.status_code == 200
    assert response.content.decode().count("New contact") == rows - 1
