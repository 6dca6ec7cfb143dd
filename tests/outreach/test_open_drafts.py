"""A task's, a contact's and an application's page show their drafts not sent yet."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.models import Draft
from tests.factories import ApplicationFactory, ContactFactory, ReminderFactory, UserFactory
from tests.outreach.support import draft_of

pytestmark = pytest.mark.django_db


def resume_link(draft: Draft) -> str:
    return f'href="{reverse("outreach:draft_edit", args=[draft.pk])}"'


def open_draft_ids(response) -> list[int]:
    return [draft.pk for draft in response.context["open_drafts"]]


def test_a_task_page_shows_the_tasks_own_drafts_not_sent_yet(scene, scene_client):
    mine = draft_of(
        scene.user,
        application=scene.application,
        contact=scene.contact,
        reminder=scene.thank_you,
        send_state=Draft.SendState.UNCERTAIN,
    )
    sent = draft_of(
        scene.user,
        application=scene.application,
        contact=scene.contact,
        reminder=scene.thank_you,
        send_state=Draft.SendState.SENT,
    )
    other_task = ReminderFactory(user=scene.user, application=scene.application)
    draft_of(scene.user, application=scene.application, contact=scene.contact, reminder=other_task)

    response = scene_client.get(reverse("reminders:task_detail", args=[scene.thank_you.pk]))

    assert open_draft_ids(response) == [mine.pk]
    html = response.content.decode()
    assert 'id="open-drafts"' in html and resume_link(mine) in html
    assert "Check: did it go out?" in html
    assert resume_link(sent) not in html


def test_an_application_page_shows_its_drafts_to_anyone(scene, scene_client):
    colleague = ContactFactory(user=scene.user, company=scene.application.company)
    to_ana = draft_of(scene.user, application=scene.application, contact=scene.contact)
    to_colleague = draft_of(
        scene.user,
        application=scene.application,
        contact=colleague,
        send_state=Draft.SendState.FAILED,
    )
    draft_of(scene.user, contact=scene.contact)  # another application
    draft_of(
        scene.user,
        application=scene.application,
        contact=scene.contact,
        send_state=Draft.SendState.SENT,
    )

    response = scene_client.get(scene.application.get_absolute_url())

    assert set(open_draft_ids(response)) == {to_ana.pk, to_colleague.pk}
    html = response.content.decode()
    assert resume_link(to_ana) in html and resume_link(to_colleague) in html


def test_a_contact_page_shows_the_drafts_to_that_person_only(scene, scene_client):
    other_application = ApplicationFactory(user=scene.user, company=scene.application.company)
    first = draft_of(scene.user, application=scene.application, contact=scene.contact)
    second = draft_of(scene.user, application=other_application, contact=scene.contact)
    draft_of(scene.user, application=scene.application)  # to someone else
    draft_of(
        scene.user,
        application=scene.application,
        contact=scene.contact,
        send_state=Draft.SendState.SENT,
    )
    # A row naming this contact but owned by another user is never shown.
    draft_of(UserFactory(), application=scene.application, contact=scene.contact)

    response = scene_client.get(scene.contact.get_absolute_url())

    assert set(open_draft_ids(response)) == {first.pk, second.pk}
    html = response.content.decode()
    assert resume_link(first) in html and resume_link(second) in html


def test_without_open_drafts_the_pages_show_no_drafts_section(scene, scene_client):
    draft_of(
        scene.user,
        application=scene.application,
        contact=scene.contact,
        reminder=scene.thank_you,
        send_state=Draft.SendState.SENT,
    )
    for url in (
        reverse("reminders:task_detail", args=[scene.thank_you.pk]),
        scene.application.get_absolute_url(),
        scene.contact.get_absolute_url(),
    ):
        assert 'id="open-drafts"' not in scene_client.get(url).content.decode(), url


@pytest.mark.parametrize("page", ["task", "application", "contact"])
def test_a_page_takes_as_many_queries_for_50_open_drafts_as_for_1(
    scene, scene_client, django_assert_num_queries, page
):
    url = {
        "task": reverse("reminders:task_detail", args=[scene.thank_you.pk]),
        "application": scene.application.get_absolute_url(),
        "contact": scene.contact.get_absolute_url(),
    }[page]

    def add_drafts(count: int) -> None:
        for _ in range(count):
            # Same task, application and person, each draft with its own rows to select.
            draft_of(
                scene.user,
                application=scene.application,
                contact=scene.contact,
                reminder=scene.thank_you,
            )

    add_drafts(1)
    with CaptureQueriesContext(connection) as one_draft:
        assert len(open_draft_ids(scene_client.get(url))) == 1
    add_drafts(49)

    with django_assert_num_queries(len(one_draft)):
        response = scene_client.get(url)

    assert len(open_draft_ids(response)) == 50
