"""The outreach pages moved from /tasks/ to /outreach/: old links in sent emails still work."""

from __future__ import annotations

import pytest

from outreach.models import MessageTemplate, Occasion
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/tasks/compose/interview/7/?contact=3", "/outreach/compose/interview/7/?contact=3"),
        ("/tasks/compose/contact/5/?application=2", "/outreach/compose/contact/5/?application=2"),
        ("/tasks/drafts/11/", "/outreach/drafts/11/"),
        ("/tasks/drafts/11/draft.eml", "/outreach/drafts/11/draft.eml"),
        ("/tasks/templates/", "/outreach/templates/"),
        ("/tasks/templates/4/", "/outreach/templates/4/"),
    ],
)
def test_an_old_composer_address_redirects_permanently_to_outreach(logged_in_client, old, new):
    response = logged_in_client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_a_redirected_link_lands_on_the_users_own_page(logged_in_client, user):
    template = MessageTemplate.objects.create(
        user=user, name="My thanks", occasion=Occasion.THANK_YOU, subject="Thanks", body="Hi"
    )
    page = logged_in_client.get(f"/tasks/templates/{template.pk}/", follow=True)
    assert page.status_code == 200
    assert page.redirect_chain == [(f"/outreach/templates/{template.pk}/", 301)]
    assert "My thanks" in page.content.decode()
    # Another user's object is still a 404 at its new address.
    stranger = ContactFactory()
    response = logged_in_client.get(f"/tasks/compose/contact/{stranger.pk}/", follow=True)
    assert response.status_code == 404


def test_the_task_pages_keep_their_addresses(logged_in_client):
    assert logged_in_client.get("/tasks/").status_code == 200
