"""A task's row, buttons, kind label and failure notice, rendered in Python
(reminders/task_rows.py): ``{% task_row reminder %}``, ``{% task_actions reminder %}``,
``{% kind_badge reminder %}`` and ``{% failed_notice reminder %}``.

The row and the buttons read ``next`` (the path to return to after a button, if any) and the
CSRF token from the template context, as the includes they replace did; the row also reads
``overdue`` (bool)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from reminders import task_rows
from reminders.models import Reminder

register = template.Library()


@register.simple_tag(takes_context=True)
def task_row(context: template.Context, reminder: Reminder) -> SafeString:
    return task_rows.task_row_html(
        reminder,
        next_path=context.get("next") or "",
        csrf_token=context.get("csrf_token"),
        overdue=bool(context.get("overdue")),
    )


@register.simple_tag(takes_context=True)
def task_actions(context: template.Context, reminder: Reminder) -> SafeString:
    return task_rows.task_actions_html(
        reminder, next_path=context.get("next") or "", csrf_token=context.get("csrf_token")
    )


@register.simple_tag
def kind_badge(reminder: Reminder) -> SafeString:
    return task_rows.kind_badge_html(reminder)


@register.simple_tag
def failed_notice(reminder: Reminder) -> SafeString:
    return task_rows.failed_notice_html(reminder)
