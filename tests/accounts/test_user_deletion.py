"""A user can be deleted with everything they own, and nothing of anyone else's goes with it.

The admin relies on it today and the account-deletion flow of a later issue will too. A
company stays protected while its own applications exist (deleting it alone is refused),
but when its user goes, the user's applications go in the same cascade.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import RestrictedError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from interviews.models import Application, Company, Contact, Interview, Note
from outreach.models import Draft, MessageTemplate, Occasion, Outreach
from outreach.services.timeline import outreach_record
from reminders.models import Reminder
from reminders.services.plan_apply import plan_apply
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OWNED = (Company, Application, Interview, Contact, Note, Reminder, Outreach, Draft, MessageTemplate)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in OWNED}


def full_graph(user: User) -> None:
    """Everything a seeker accumulates, linked every way the models allow.

    Two companies (one with an application closed after an interview, one with a contact
    met at no interview), interviews with interviewers and notes, the tasks the rules made
    (a phone call triggered by an unanswered email among them) plus one of the user's own,
    outreach both ways, drafts in every send state, and a template of their own.
    """
    now = timezone.now()
    acme = CompanyFactory(user=user, name="Acme Robotics")
    globex = CompanyFactory(user=user, name="Globex")
    open_application = ApplicationFactory(user=user, company=acme, role="Backend engineer")
    closed_application = ApplicationFactory(
        user=user,
        company=globex,
        role="Platform engineer",
        stage=Application.Stage.CLOSED,
        closed_reason=Application.ClosedReason.REJECTED,
        closed_at=now - timedelta(days=3),
    )
    ana = ContactFactory(user=user, company=acme, name="Ana Ortiz", email="ana@acme.example")
    bo = ContactFactory(user=user, company=globex, name="Bo Lind", email="bo@globex.example")
    ContactFactory(user=user, company=globex, name="Cy Recruiter")
    first = InterviewFactory(
        application=open_application,
        starts_at=now - timedelta(days=12, hours=2),
        ends_at=now - timedelta(days=12, hours=1),
    )
    first.interviewers.add(ana)
    second = InterviewFactory(
        application=closed_application,
        starts_at=now - timedelta(days=20, hours=2),
        ends_at=now - timedelta(days=20, hours=1),
    )
    second.interviewers.add(bo)
    NoteFactory(interview=first, contact=ana, kind=Note.Kind.TOPIC, text="Event sourcing")
    NoteFactory(interview=first, contact=None, kind=Note.Kind.SKILL, text="Postgres tuning")
    NoteFactory(interview=second, contact=bo, kind=Note.Kind.ANSWER_TO_FIX, text="Sharding")
    sent = outreach_record(
        user=user,
        application=open_application,
        contact=ana,
        direction=Outreach.Direction.OUTGOING,
        purpose=Outreach.Purpose.FOLLOW_UP,
        channel=Outreach.Channel.EMAIL,
        occurred_at=now - timedelta(days=10),
        subject="Following up?",
        body="Could we talk about the next step?",
        delivery=Outreach.Delivery.SENT,
        esp_message_id="esp-1",
    )
    outreach_record(
        user=user,
        application=closed_application,
        contact=bo,
        direction=Outreach.Direction.INCOMING,
        purpose=Outreach.Purpose.REPLY,
        channel=Outreach.Channel.EMAIL,
        occurred_at=now - timedelta(days=4),
        subject="Re: thanks",
    )
    plan_apply(application=open_application)
    call = Reminder.objects.get(user=user, trigger_outreach=sent)
    ReminderFactory(user=user, application=open_application, title="Bring the portfolio")
    template = MessageTemplate.objects.create(
        user=user, name="My thank-you", occasion=Occasion.THANK_YOU, body="Thanks!"
    )
    for state in Draft.SendState.values:
        Draft.objects.create(
            user=user,
            application=open_application,
            contact=ana,
            reminder=call,
            interview=first,
            occasion=Occasion.TOPIC_FOLLOW_UP,
            template_key=template.key,
            subject=f"A draft {state}",
            body="Hello",
            send_state=state,
            outreach=sent if state == Draft.SendState.SENT else None,
        )
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Company),
        object_id=str(acme.pk),
        object_repr=str(acme),
        action_flag=ADDITION,
    )


@pytest.fixture
def seeker() -> User:
    user = UserFactory(email="leaving@seeker.example")
    full_graph(user)
    return user


@pytest.fixture
def bystander() -> User:
    """Another user with a graph of their own, which must come through untouched."""
    user = UserFactory(email="staying@seeker.example")
    full_graph(user)
    return user


def test_the_graph_reaches_every_model_a_user_owns(seeker):
    # Guards the tests below: a graph missing a model would prove nothing about it.
    assert all(model.objects.filter(**_owner(model, seeker)).exists() for model in OWNED)
    assert Reminder.objects.filter(user=seeker, trigger_outreach__isnull=False).exists()


def _owner(model, user: User) -> dict:
    if model is Interview:
        return {"application__user": user}
    if model is Note:
        return {"interview__application__user": user}
    return {"user": user}


def test_deleting_a_user_deletes_everything_they_own_and_nothing_else(seeker, bystander):
    theirs = _counts()
    seeker_pk = seeker.pk
    seeker.delete()
    assert not User.objects.filter(pk=seeker_pk).exists()
    for model in OWNED:
        assert not model.objects.filter(**_owner(model, User(pk=seeker_pk))).exists(), model
    # The bystander owns exactly half of every table: their half is all that is left.
    assert _counts() == {name: count // 2 for name, count in theirs.items()}
    assert not LogEntry.objects.filter(user_id=seeker_pk).exists()
    bystander_ana = Contact.objects.get(user=bystander, name="Ana Ortiz")
    assert bystander_ana.interviews.count() == 1
    assert Draft.objects.filter(user=bystander, outreach__isnull=False).count() == 1


def test_a_company_alone_is_still_kept_while_it_has_applications(seeker):
    acme = Company.objects.get(user=seeker, name="Acme Robotics")
    with pytest.raises(RestrictedError):
        acme.delete()
    assert Application.objects.filter(company=acme).exists()
    # Without applications it goes, and its contacts stay without a company.
    Application.objects.filter(company=acme).delete()
    acme.delete()
    assert Contact.objects.get(user=seeker, name="Ana Ortiz").company is None


@pytest.fixture
def admin_client(client_for):
    return client_for(UserFactory(email="admin@followup.example", is_staff=True, is_superuser=True))


def test_the_admin_deletes_a_user_with_everything_they_own(admin_client, seeker, bystander):
    url = reverse("admin:accounts_user_delete", args=[seeker.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    # Nothing is listed as protected: the page offers the delete, and names what goes.
    assert "would require deleting the following protected" not in html
    assert "Backend engineer at Acme Robotics" in html
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=seeker.pk).exists()
    assert not Application.objects.filter(user_id=seeker.pk).exists()
    assert Application.objects.filter(user=bystander).count() == 2


def test_the_admin_still_refuses_to_delete_a_company_with_applications(admin_client, seeker):
    acme = Company.objects.get(user=seeker, name="Acme Robotics")
    confirm = admin_client.get(reverse("admin:interviews_company_delete", args=[acme.pk]))
    assert confirm.status_code == 200
    assert "would require deleting the following protected" in confirm.content.decode()
    admin_client.post(reverse("admin:interviews_company_delete", args=[acme.pk]), {"post": "yes"})
    assert Company.objects.filter(pk=acme.pk).exists()
