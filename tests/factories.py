"""factory_boy factories for every model the tests build; one place, shared by all tests."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from interviews.models import Application, Company, Contact, Interview, Note
from outreach.models import Outreach
from reminders.models import Reminder

DEFAULT_PASSWORD = "a-long-and-unusual-passphrase-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"seeker{n}@example.com")
    full_name = factory.Faker("name")
    timezone = "Europe/Berlin"
    # Most tests are about a settled account; the verification tests build unverified ones.
    email_verified_at = factory.LazyFunction(lambda: timezone.now())
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Company {n}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory, user=factory.SelfAttribute("..user"))
    role = "Backend engineer"
    stage = Application.Stage.INTERVIEWING


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory, user=factory.SelfAttribute("..user"))
    name = factory.Faker("name")
    job_title = "Engineering manager"
    email = factory.Sequence(lambda n: f"interviewer{n}@company.example")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    application = factory.SubFactory(ApplicationFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    timezone = "Europe/Berlin"
    format = Interview.Format.VIDEO


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    interview = factory.SubFactory(InterviewFactory)
    kind = Note.Kind.TOPIC
    text = "Their move from a monolith to services"


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    user = factory.SubFactory(UserFactory)
    application = factory.SubFactory(ApplicationFactory, user=factory.SelfAttribute("..user"))
    kind = Reminder.Kind.FOLLOW_UP
    state = Reminder.State.PENDING
    custom_title = factory.LazyAttribute(lambda o: o.title)

    class Params:
        # The task's own words; Reminder.title shows them instead of the rendered title.
        title = factory.Sequence(lambda n: f"Follow up on interview {n}")

    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    notify_at = factory.LazyAttribute(lambda o: o.due_at)
    occurrence = factory.Sequence(lambda n: f"test:{n}")


class OutreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outreach

    user = factory.SubFactory(UserFactory)
    application = factory.SubFactory(ApplicationFactory, user=factory.SelfAttribute("..user"))
    direction = Outreach.Direction.OUTGOING
    channel = Outreach.Channel.EMAIL
    subject = "Thank you for your time"
    occurred_at = factory.LazyFunction(lambda: timezone.now())
