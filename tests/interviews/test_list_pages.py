"""The application and contact lists of a long search come a page of 50 at a time."""

from __future__ import annotations

import pytest
from django.urls import reverse

from followup_site.paging import LIST_PAGE_SIZE
from interviews.models import Application
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = pytest.mark.django_db

APPLICATIONS = reverse("interviews:application_list")
CONTACTS = reverse("interviews:contact_list")


def test_the_contact_list_shows_50_a_page_with_a_link_to_the_next(user, logged_in_client):
    for n in range(LIST_PAGE_SIZE + 1):
        ContactFactory(user=user, name=f"Person {n:03}")

    first = logged_in_client.get(CONTACTS)
    second = logged_in_client.get(CONTACTS, {"page": "2"})

    assert len(first.context["contacts"]) == LIST_PAGE_SIZE
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    assert [c.name for c in second.context["contacts"]] == [f"Person {LIST_PAGE_SIZE:03}"]
    assert 'href="?page=1"' in second.content.decode()


def test_a_short_list_has_no_pager(user, logged_in_client):
    ContactFactory(user=user)

    assert "Page 1 of" not in logged_in_client.get(CONTACTS).content.decode()


def test_the_application_list_keeps_its_stage_filter_from_page_to_page(user, logged_in_client):
    for n in range(LIST_PAGE_SIZE + 2):
        ApplicationFactory(user=user, role=f"Offer {n}", stage=Application.Stage.OFFER)
    ApplicationFactory(user=user, role="Just applied", stage=Application.Stage.APPLIED)

    first = logged_in_client.get(APPLICATIONS, {"stage": "offer"})
    second = logged_in_client.get(APPLICATIONS, {"stage": "offer", "page": "2"})

    assert len(first.context["applications"]) == LIST_PAGE_SIZE
    assert 'href="?stage=offer&amp;page=2"' in first.content.decode()
    assert len(second.context["applications"]) == 2
    assert "Just applied" not in second.content.decode()
    # The pager's count rides on the rows' query: the list's total, of the stage shown.
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("url", [APPLICATIONS, CONTACTS])
@pytest.mark.parametrize("page", ["0", "-1", "two", "²", "9" * 40])
def test_a_malformed_page_is_a_clear_400(logged_in_client, url, page):
    response = logged_in_client.get(url, {"page": page})

    assert response.status_code == 400
    assert response.content.decode() == "The page must be a whole number from 1."


@pytest.mark.parametrize("url", [APPLICATIONS, CONTACTS])
def test_a_page_past_the_last_is_not_found_but_an_empty_list_has_its_first(logged_in_client, url):
    assert logged_in_client.get(url).status_code == 200
    assert logged_in_client.get(url, {"page": "1"}).status_code == 200
    assert logged_in_client.get(url, {"page": "2"}).status_code == 404


@pytest.mark.parametrize("url", [APPLICATIONS, CONTACTS])
def test_a_page_whose_offset_no_database_holds_is_not_found(user, logged_in_client, url):
    ApplicationFactory(user=user)
    ContactFactory(user=user)

    assert logged_in_client.get(url, {"page": "9" * 18}).status_code == 404
