"""A logged interview with one interviewer and notes, the scene most composer tests start from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Application, Contact, Interview, Note
from reminders.models import Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    ReminderFactory,
    UserFactory,
)


@dataclass
class Scene:
    user: object
    application: Application
    contact: Contact
    interview: Interview
    thank_you: Reminder


@pytest.fixture
def scene(db) -> Scene:
    user = UserFactory(full_name="Robin Fischer", email="robin@seeker.example")
    application = ApplicationFactory(
        user=user, company__name="Acme Robotics", role="Backend engineer"
    )
    contact = ContactFactory(
        user=user,
        company=application.company,
        name="Ana Ortiz",
        email="ana@acme.example",
        phone="+49 30 1234567",
        interests="Sailing and sourdough baking",
    )
    interview = InterviewFactory(
        application=application,
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=2),
    )
    interview.interviewers.add(contact)
    NoteFactory(
        interview=interview,
        contact=contact,
        kind=Note.Kind.TOPIC,
        text="Event sourcing for the order service",
        link="https://example.org/event-sourcing",
    )
    NoteFactory(interview=interview, contact=contact, kind=Note.Kind.SKILL, text="Postgres tuning")
    NoteFactory(interview=interview, contact=contact, kind=Note.Kind.INTEREST, text="Sailing")
    thank_you = ReminderFactory(
        user=user,
        application=application,
        interview=interview,
        contact=contact,
        kind=Reminder.Kind.THANK_YOU,
        title="Thank Ana Ortiz",
        due_at=interview.ends_at + timedelta(hours=24),
    )
    return Scene(user, application, contact, interview, thank_you)


@pytest.fixture
def scene_client(scene, client_for):
    return client_for(scene.user)
