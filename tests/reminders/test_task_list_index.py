"""The task list's and the application panel's open tasks are read from the partial indexes.

Their statements are prepared (followup_site.raw_sql.planned_cursor): PostgreSQL keeps one
generic plan for any values, which can use a partial index only when the statement repeats
its condition in constants. The task list reads each group's first tasks from the open tasks
by (user, due_at, id) and the recently done from the done tasks by (user, completed_at, id)
(reminders/0011); the panel, its application's open tasks by (application, due_at, id)
(reminders/0009) or, as SQLite prefers, the user's. SQLite, given the states in constants,
uses the same indexes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from reminders.models import Reminder
from reminders.task_list_query import application_task_rows, task_list_rows
from tests.factories import ApplicationFactory, ReminderFactory, UserFactory
from tests.planning import index_plan

pytestmark = pytest.mark.django_db

OPEN_DUE = "reminder_user_open_due_idx"
DONE = "reminder_user_done_idx"
APPLICATION_OPEN_DUE = "reminder_app_open_due_idx"
# The indexes that lead with the user. In a test's few rows PostgreSQL can find any of them
# as cheap as the partial one and picks either (the suite's earlier tests change the table's
# size); on the bench user's 3,000 tasks its generic plans read the partial indexes. So on
# PostgreSQL these tests ask only that the user's tasks be read by such an index, never by
# the all-users index of states; SQLite's choice is steady and is checked exactly.
USER_LEADING = (
    OPEN_DUE,
    "reminder_user_open_idx",
    "reminders_reminder_user_id_d7529c48",
    "reminder_occurrence_unique_per_user",
)


def _assert_open_tasks_read_by_user(plan: str) -> None:
    if connection.vendor == "postgresql":
        assert any(index in plan for index in USER_LEADING), plan
        assert "reminder_due_idx" not in plan, plan
        assert "Seq Scan on reminders_reminder" not in plan, plan
    else:
        assert OPEN_DUE in plan, plan


def _index_conditions(name: str) -> set[str]:
    index = next(i for i in Reminder._meta.indexes if i.name == name)
    (lookup, states) = index.condition.children[0]
    assert lookup == "state__in"
    return set(states)


def test_the_indexes_cover_the_states_the_reads_write_in():
    assert _index_conditions(OPEN_DUE) == set(Reminder.OPEN_STATES)
    assert _index_conditions(APPLICATION_OPEN_DUE) == set(Reminder.OPEN_STATES)
    assert _index_conditions(DONE) == {Reminder.State.DONE, Reminder.State.SKIPPED}


def _statements(read) -> list[tuple[str, dict]]:
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        read()
    return statements


def _busy_user():
    user = UserFactory()
    now = timezone.now()
    application = ApplicationFactory(user=user)
    for days in range(-5, 6):
        ReminderFactory(user=user, application=application, due_at=now + timedelta(days=days))
    for days in (1, 2, 3):
        ReminderFactory(
            user=user,
            application=application,
            state=Reminder.State.DONE,
            completed_at=now - timedelta(days=days),
        )
    ReminderFactory.create_batch(20, due_at=now)  # other users' open tasks
    return user, application, now


def test_the_task_list_reads_each_group_from_the_open_and_done_indexes():
    user, _, now = _busy_user()
    (statement,) = _statements(
        lambda: task_list_rows(
            user_id=user.pk,
            now=now,
            end_of_today=now + timedelta(hours=3),
            first=3,
            done_since=now - timedelta(days=7),
            done_limit=5,
        )
    )

    plan = index_plan(*statement, table="reminders_reminder")

    _assert_open_tasks_read_by_user(plan)
    assert DONE in plan, plan


def test_a_group_of_the_task_list_is_read_from_the_open_index():
    user, _, now = _busy_user()
    (statement,) = _statements(
        lambda: task_list_rows(
            user_id=user.pk,
            now=now,
            end_of_today=now + timedelta(hours=3),
            group="upcoming",
            start=2,
            stop=4,
        )
    )

    plan = index_plan(*statement, table="reminders_reminder")

    _assert_open_tasks_read_by_user(plan)
    assert DONE not in plan, plan


def test_the_panel_reads_its_applications_open_tasks_from_the_index():
    user, application, _ = _busy_user()
    (statement,) = _statements(
        lambda: application_task_rows(user_id=user.pk, application=application)
    )

    plan = index_plan(*statement, table="reminders_reminder")

    if connection.vendor == "postgresql":
        assert APPLICATION_OPEN_DUE in plan or any(i in plan for i in USER_LEADING), plan
        assert "reminder_due_idx" not in plan, plan
    else:
        # Either open-tasks index serves it (SQLite takes the user's, already in due order);
        # the states' plain index, or a scan, would not.
        assert APPLICATION_OPEN_DUE in plan or OPEN_DUE in plan, plan
        assert "reminder_user_open_idx" not in plan, plan
