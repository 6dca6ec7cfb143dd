"""Tasks' rows, a task's buttons, kind label and failure notice, rendered in Python
(reminders/task_rows.py): ``{% task_rows tasks %}``, ``{% task_actions reminder %}``,
``{% kind_badge reminder %}`` and ``{% failed_notice reminder %}``.

The rows and the buttons read ``next`` (the path to return to after a button, if any) and
the CSRF token from the template context, as the includes they replace did; the rows also
read ``overdue`` (bool)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from reminders import task_rows as rows
from reminders.models import Reminder

register = template.Library()


@register.simple_tag(takes_context=True)
def task_rows(context: template.Context, reminders: Iterable[Reminder]) -> SafeString:
    return rows.task_rows_html(
        reminders,
        next_path=context.get("next") or "",
        csrf_token=context.get("csrf_token"),
        overdue=bool(context.get("overdue")),
    )


@register.simple_tag(takes_context=True)
def task_actions(context: template.Context, reminder: Reminder) -> SafeString:
    return rows.task_actions_html(
        reminder, next_path=context.get("next") or "", csrf_token=context.get("csrf_token")
    )


@register.simple_tag
def kind_badge(reminder: Reminder) -> SafeString:
    return rows.kind_badge_html(reminder)


@register.simple_tag
def failed_notice(reminder: Reminder) -> SafeString:
    return rows.failed_notice_html(reminder)
