"""A NUL byte anywhere in a request answers 400 with its reason, and nothing is saved."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from interviews.models import Contact

pytestmark = pytest.mark.django_db


def test_a_nul_byte_in_the_calendar_address_answers_400(user, client):
    """On PostgreSQL the token lookup itself failed: this answered 500."""
    feed = reverse("reminders:calendar_feed", args=[user.calendar_token])
    response = client.get(feed.replace(".ics", "%00.ics"))
    assert response.status_code == 400
    assert "NUL character (%00) in its address" in response.content.decode()
    assert client.get(feed).status_code == 200


def test_a_nul_byte_in_the_query_string_answers_400(logged_in_client):
    response = logged_in_client.get("/applications/?q=acme%00")
    assert response.status_code == 400
    assert "in its query string" in response.content.decode()


def test_a_nul_byte_in_a_form_field_answers_400_and_saves_nothing(logged_in_client):
    response = logged_in_client.post(
        reverse("interviews:contact_create"),
        {"name": "Ana Ortiz", "email": "ana@acme.example", "interests": "Sailing\x00"},
    )
    assert response.status_code == 400
    assert "in its form fields" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_nul_byte_in_a_field_name_answers_400(logged_in_client):
    response = logged_in_client.post(reverse("interviews:contact_create"), {"na\x00me": "x"})
    assert response.status_code == 400


def test_a_cookie_with_a_nul_byte_is_dropped_not_fatal(user):
    client = Client(raise_request_exception=False)
    response = client.get(
        "/", HTTP_COOKIE="sessionid=abcdefgh\x00ijklmnopqrstuvwx; csrftoken=x\x00y"
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
