"""Ids read from a query string or a form, where no URL converter checked them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from followup_site.ids import id_or_none
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory

pytestmark = pytest.mark.django_db

# Digits int() refuses, Arabic-Indic digits Django's field refuses, and a number no bigint holds.
JUNK = ["²", "٣", "9" * 25]


@pytest.mark.parametrize("junk", JUNK)
def test_an_id_in_other_digits_or_too_long_answers_4xx_not_500(client_for, user, junk):
    application = ApplicationFactory(user=user)
    interview = InterviewFactory(application=application)
    contact = ContactFactory(user=user)
    client = client_for(user)

    # No such person: the page asks whom to write to.
    url = reverse("outreach:compose_for_interview", args=[interview.pk]) + f"?contact={junk}"
    assert client.get(url).status_code == 404
    # No such application or template: the composer falls back to its defaults.
    for url in (
        reverse("outreach:compose_for_contact", args=[contact.pk]) + f"?application={junk}",
        reverse("outreach:compose_for_contact", args=[contact.pk]) + f"?template=user:{junk}",
    ):
        assert client.get(url).status_code in (200, 302), url
    response = client.post(
        reverse("reminders:outreach_log", args=[application.pk]),
        {"what": "email", "reminder": junk},
    )
    assert response.status_code < 500


def test_id_or_none_takes_only_plain_decimal_numbers_that_fit():
    assert id_or_none("42") == 42
    assert id_or_none(" 42") is None
    assert id_or_none("-1") is None
    assert id_or_none("") is None
    assert id_or_none(None) is None
    assert id_or_none("9" * 18) == int("9" * 18)
    for junk in JUNK:
        assert id_or_none(junk) is None
