"""A user with a row in every model that can belong to a user, for the export and deletion tests.

``full_graph`` (tests/accounts/test_user_deletion.py) links companies, applications,
contacts, interviews, notes, tasks, outreach both ways, drafts and a template; this adds
what it leaves out (a used email-action link, a data export with its file) and the rows
that name the user without a foreign key (the digest mark, sessions, log-in records, an
admin log entry about one of the user's rows).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.data_export import data_export_build, data_export_request
from accounts.models import DataExport, User
from accounts.user_data import models_with_a_path_to_the_user, paths_to_user
from interviews.models import Company, Interview, Invitation, SpreadsheetImport
from reminders.models import Heartbeat, Reminder, UsedActionLink
from tests.accounts.test_user_deletion import full_graph
from tests.factories import UserFactory


def everything_of(user: User, *, staff: User | None = None) -> DataExport:
    """Fill every model for ``user``; returns a built (READY) data export of theirs."""
    full_graph(user)
    group, _ = Group.objects.get_or_create(name="Coaches")
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="view_company"))
    reminder = Reminder.objects.filter(user=user).first()
    UsedActionLink.objects.create(link_id=f"link-{user.pk}", reminder=reminder, action="done")
    Heartbeat.objects.create(name=f"digest:{user.pk}", at=timezone.now())
    interview = Interview.objects.filter(application__user=user).first()
    Invitation.objects.create(
        user=user,
        uid=f"invite-{user.pk}@calendar.example",
        state=Invitation.State.IMPORTED,
        interview=interview,
        summary="Interview",
        starts_at=interview.starts_at,
    )
    SpreadsheetImport.objects.create(
        user=user,
        file_name="applications.csv",
        encoding="utf-8",
        header=["Company", "Role"],
        rows=[["Acme", "Engineer"]],
        expires_at=timezone.now() + timedelta(hours=24),
    )
    # A session of the user on another device, and failed log-ins under their address.
    Client().force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    Client().post(reverse("accounts:login"), {"username": user.email, "password": "wrong!"})
    if staff is not None:
        company = Company.objects.filter(user=user).first()
        LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(Company),
            object_id=str(company.pk),
            object_repr=str(company),
            action_flag=CHANGE,
        )
    export = data_export_request(user=user)
    return data_export_build(export_id=export.pk)


def models_without_rows_of(user: User) -> list[str]:
    """The models that can hold the user's rows but hold none: the graph must fill them."""
    empty = []
    for model in models_with_a_path_to_the_user():
        paths = paths_to_user(model)
        rows = model._default_manager.none()
        for path in paths:
            lookup = "pk" if path == "" else f"{path}_id"
            rows = rows | model._default_manager.filter(**{lookup: user.pk})
        if not rows.exists():
            empty.append(model._meta.label_lower)
    return empty


def staff_user() -> User:
    return UserFactory(email="staff@followup.example", is_staff=True, is_superuser=True)
