"""The contact page's hand-written reads, on either database, and what the page makes of
them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from interviews import contact_query
from outreach.models import Draft, Occasion
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> \"quoted\" & more"


def test_another_users_contact_is_not_found(user, other_user):
    with pytest.raises(Http404):
        contact_query.contact_page_get(user_id=user.pk, pk=ContactFactory(user=other_user).pk)


def test_the_contact_comes_with_its_company_name_and_whether_drafts_wait(user):
    contact = ContactFactory(user=user, name="Ana Lima")
    alone = ContactFactory(user=user, company=None)
    application = ApplicationFactory(user=user)
    draft = Draft.objects.create(
        user=user, application=application, contact=contact, occasion=Occasion.CHECK_IN
    )

    found = contact_query.contact_page_get(user_id=user.pk, pk=contact.pk)
    assert (found.name, found.first_name, found.company_name) == (
        "Ana Lima",
        "Ana",
        contact.company.name,
    )
    assert found.has_open_drafts is True

    draft.send_state = Draft.SendState.SENT
    draft.save()
    assert contact_query.contact_page_get(user_id=user.pk, pk=contact.pk).has_open_drafts is False
    bare = contact_query.contact_page_get(user_id=user.pk, pk=alone.pk)
    assert (bare.company_name, bare.has_open_drafts) == ("", False)


def test_a_contacts_interviews_come_newest_first(user):
    contact = ContactFactory(user=user)
    now = timezone.now().replace(microsecond=0)
    older = InterviewFactory(application=ApplicationFactory(user=user), starts_at=now)
    newer = InterviewFactory(
        application=ApplicationFactory(user=user, role="Data engineer"),
        starts_at=now + timedelta(days=1),
    )
    InterviewFactory(application=ApplicationFactory(user=user))  # without them
    for interview in (older, newer):
        interview.interviewers.add(contact)

    interviews = contact_query.contact_interviews(contact=contact)

    assert [i.pk for i in interviews] == [newer.pk, older.pk]
    assert interviews[0].starts_at == newer.starts_at
    assert (interviews[0].role, interviews[0].company_name) == (
        "Data engineer",
        newer.application.company.name,
    )
    assert interviews[0].get_format_display() == newer.get_format_display()
    assert interviews[0].get_absolute_url() == newer.get_absolute_url()


def test_a_contacts_notes_are_grouped_by_kind_across_interviews(user):
    contact = ContactFactory(user=user)
    for kind in ("interest", "topic", "interest"):
        NoteFactory(
            interview=InterviewFactory(application=ApplicationFactory(user=user)),
            contact=contact,
            kind=kind,
            follow_up_not_before=date(2025, 3, 14),
        )
    NoteFactory(interview=InterviewFactory(application=ApplicationFactory(user=user)))

    groups = contact_query.contact_note_groups(contact=contact)

    assert [(g.kind, len(g.notes)) for g in groups] == [("topic", 1), ("interest", 2)]
    assert groups[1].notes[0].follow_up_not_before == date(2025, 3, 14)


def test_the_contact_page_escapes_what_the_user_typed(user, logged_in_client):
    company = CompanyFactory(user=user, name=HOSTILE)
    contact = ContactFactory(user=user, company=company, name=HOSTILE, job_title=HOSTILE)
    interview = InterviewFactory(application=ApplicationFactory(user=user, company=company))
    interview.interviewers.add(contact)
    NoteFactory(interview=interview, contact=contact, text=HOSTILE)

    content = logged_in_client.get(contact.get_absolute_url()).content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &quot;quoted&quot; &amp; more" in (
        content
    )


def test_the_contact_page_lists_the_drafts_to_them_only_while_some_wait(user, logged_in_client):
    contact = ContactFactory(user=user)
    url = contact.get_absolute_url()
    assert "Drafts not sent yet" not in logged_in_client.get(url).content.decode()

    Draft.objects.create(
        user=user,
        application=ApplicationFactory(user=user),
        contact=contact,
        occasion=Occasion.CHECK_IN,
        subject="Checking in",
    )
    content = logged_in_client.get(url).content.decode()
    assert "Drafts not sent yet" in content
    assert "Checking in" in content
