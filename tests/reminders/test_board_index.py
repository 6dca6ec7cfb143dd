"""An application's next action is read from the partial index of its open tasks.

The board asks, for every application on it, for the earliest open task (its card's next
action, and the "next action" order). Migration reminders.0009 indexes open tasks by
(application, due_at, id); without it PostgreSQL, once it had statistics, intersected the
application's tasks with every open task of every user, once per card (30 ms for 200
applications, most of the dashboard's time). The open states are written into the query as
constants, so that SQLite, and PostgreSQL's one plan for any values, can use the index.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from reminders.board import board_applications
from reminders.models import Reminder
from tests.factories import ApplicationFactory, ReminderFactory, UserFactory
from tests.planning import generic_plan, index_plan

pytestmark = pytest.mark.django_db

INDEX = "reminder_app_open_due_idx"


def test_the_index_covers_exactly_the_open_states():
    index = next(i for i in Reminder._meta.indexes if i.name == INDEX)

    (lookup, states) = index.condition.children[0]
    assert lookup == "state__in"
    assert set(states) == set(Reminder.OPEN_STATES)


def test_the_board_reads_each_next_action_from_the_index():
    user = UserFactory()
    now = timezone.now()
    for application in ApplicationFactory.create_batch(30, user=user):
        for days in (1, 2, 3):
            ReminderFactory(user=user, application=application, due_at=now + timedelta(days=days))
    ReminderFactory.create_batch(30, due_at=now)  # other users' open tasks

    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        board_applications(user=user, now=now, order="next")
    sql, params = next((s, p) for s, p in statements if "ranked AS (" in s)
    plan = index_plan(sql, params, table="reminders_reminder")

    assert INDEX in plan, plan
    if connection.vendor == "postgresql":
        assert "reminder_due_idx" not in plan, plan
    else:
        assert not re.search(r"SCAN r\b", plan), plan


def test_each_next_action_is_read_among_its_own_applications_tasks():
    """Every read of the tasks is bounded by the card's application or by the user, never a
    scan of every user's open tasks: in a database of many users that grows with all of them
    (the next action's join by id once hashed them all)."""
    user = UserFactory()
    now = timezone.now()
    for application in ApplicationFactory.create_batch(120, user=user):
        for days in (1, 2, 3):
            ReminderFactory(user=user, application=application, due_at=now + timedelta(days=days))
    # Ten other users' open tasks, three times this user's.
    for other in UserFactory.create_batch(10):
        theirs = ApplicationFactory(user=other)
        Reminder.objects.bulk_create(
            ReminderFactory.build(user=other, application=theirs, due_at=now) for _ in range(108)
        )

    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        board_applications(user=user, now=now, order="next")
    sql, params = next((s, p) for s, p in statements if "ranked AS (" in s)

    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            plan = generic_plan(sql, params)
            transaction.set_rollback(True)
        lines = plan.splitlines()
        for number, line in enumerate(lines):
            if " on reminders_reminder" in line:
                condition = next((later for later in lines[number + 1 :] if "Cond:" in later), "")
                assert "Index" in line, plan
                assert re.search(r"\((application_id|user_id|id) = ", condition), plan
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        assert not re.search(r"SCAN (r|na)\b", plan), plan
