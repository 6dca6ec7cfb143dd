"""Tasks' rows in a list, and a task's Done / Snooze / Skip buttons, rendered in Python.

The task list shows some forty rows and an application's panel its open tasks; as template
includes (a row, its badge, its notice, its buttons) each row cost a quarter of a
millisecond, most of the task list's time. These functions write the same markup from the
same fields, for all the rows of a list at once: what every row shares (links, the CSRF
input, the names of days and months) is worked out once. Dates come out as the template's
``date`` filter writes them: in the active time zone (the signed-in user's).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from followup_site.dates import LocalDates
from followup_site.row_urls import id_url_maker
from followup_site.widgets import esc
from reminders.models import Reminder

_KIND_BADGE_CLASSES = {
    Reminder.Kind.THANK_YOU: "text-bg-success",
    Reminder.Kind.PHONE_CALL: "text-bg-warning",
    Reminder.Kind.CLOSE_SUGGESTION: "text-bg-secondary",
    Reminder.Kind.CUSTOM: "bg-body-secondary text-body border",
}


class RowDates(LocalDates):
    """``{{ instant|date:"D j M, H:i T" }}`` for many instants, in the active time zone."""

    def __call__(self, local: datetime) -> str:
        return (
            f"{self.D(local)} {local.day} {self.M(local)}, "
            f"{local.hour:02d}:{local.minute:02d} {self.T(local)}"
        )


class _Shared:
    """What every row of one list shares."""

    def __init__(self, *, next_path: str, csrf_token: object) -> None:
        self.task_url = id_url_maker("reminders:task_detail")
        self.done_url = id_url_maker("reminders:task_done")
        self.snooze_url = id_url_maker("reminders:task_snooze")
        self.skip_url = id_url_maker("reminders:task_skip")
        self.application_url = id_url_maker("application_detail")
        self.hidden = _csrf_input(csrf_token)
        if next_path:
            self.hidden += f'<input type="hidden" name="next" value="{esc(next_path)}">'
        self._settings_url = ""

    @cached_property
    def dates(self) -> RowDates:
        return RowDates()

    @property
    def settings_url(self) -> str:
        if not self._settings_url:
            self._settings_url = reverse("accounts:settings")
        return self._settings_url


def _badge(kind: str, label: str) -> str:
    css = _KIND_BADGE_CLASSES.get(kind, "text-bg-primary")
    return f'<span class="badge {css}">{esc(label)}</span>'


# Each kind's label, written once: a row looks its kind up instead of writing it again.
_KIND_BADGES = {kind: _badge(kind, label) for kind, label in Reminder.Kind.choices}


def kind_badge_html(reminder: Reminder) -> SafeString:
    """A task's kind as a small coloured label."""
    return mark_safe(_kind_badge(reminder.kind))  # noqa: S308 - written by _badge, escaped


def _kind_badge(kind: str) -> str:
    return _KIND_BADGES.get(kind) or _badge(kind, kind)


def failed_notice_html(reminder: Reminder, settings_url: str | None = None) -> SafeString:
    """Why the reminder email for a task could not be sent, and what to do; "" unless failed."""
    if reminder.state != Reminder.State.FAILED:
        return mark_safe("")
    error = (
        f'<span class="d-block text-pre">{esc(reminder.last_error)}</span>'
        if reminder.last_error
        else ""
    )
    return mark_safe(  # noqa: S308 - every value in it is escaped by _e
        '<div class="alert alert-warning small py-2 mb-2" role="alert">\n'
        "  <strong>We could not email you about this task.</strong>\n"
        f"  {error}\n"
        "  The task still stands: act on it from here. If this keeps happening, check your "
        "email address in\n"
        f'  <a href="{esc(settings_url or reverse("accounts:settings"))}" class="alert-link">'
        "Settings</a>.\n"
        "</div>"
    )


def _csrf_input(csrf_token: object) -> str:
    """``{% csrf_token %}``: the hidden input, or nothing where the view provides no token."""
    if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 - a marker, not a secret
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'


def task_actions_html(reminder: Reminder, *, next_path: str, csrf_token: object) -> SafeString:
    """Done / Snooze / Skip buttons for an open task ("" for a closed one); each a small POST
    form that returns to ``next_path`` (if any). ``reminder.snoozes`` lists the snoozes."""
    return mark_safe(  # noqa: S308 - built by _actions, which escapes every value
        _actions(reminder, _Shared(next_path=next_path, csrf_token=csrf_token))
    )


def _actions(reminder: Reminder, shared: _Shared) -> str:
    if not reminder.is_open:
        return ""
    hidden = shared.hidden
    forms = [
        f'<form method="post" action="{esc(shared.done_url(reminder.pk))}">\n'
        f"    {hidden}\n"
        '    <button type="submit" class="btn btn-sm btn-success">Done</button>\n  </form>'
    ]
    snooze_url = esc(shared.snooze_url(reminder.pk))
    forms.extend(
        f'<form method="post" action="{snooze_url}">\n    {hidden}\n'
        f'    <input type="hidden" name="snooze" value="{esc(choice.key)}">\n'
        '    <button type="submit" class="btn btn-sm btn-outline-secondary">'
        f"{esc(choice.label)}</button>\n  </form>"
        for choice in getattr(reminder, "snoozes", ())
    )
    forms.append(
        f'<form method="post" action="{esc(shared.skip_url(reminder.pk))}">\n'
        f"    {hidden}\n"
        '    <button type="submit" class="btn btn-sm btn-outline-danger">Skip</button>\n  </form>'
    )
    return '<div class="d-flex flex-wrap gap-2">\n  ' + "\n  ".join(forms) + "\n</div>"


def task_rows_html(
    reminders: Iterable[Reminder], *, next_path: str, csrf_token: object, overdue: bool = False
) -> SafeString:
    """Tasks in a list, each with its kind and state, title, due (or done) time, application
    and contact, email line (``reminder.email_line``, if set), failure notice and buttons
    (returning to ``next_path``). ``overdue`` marks the due times of all of them in red."""
    shared = _Shared(next_path=next_path, csrf_token=csrf_token)
    return mark_safe(  # noqa: S308 - built by _row, which escapes every value
        "".join(_row(reminder, shared, overdue=overdue) for reminder in reminders)
    )


def _row(reminder: Reminder, shared: _Shared, *, overdue: bool) -> str:
    badges = [_kind_badge(reminder.kind)]
    if reminder.state == Reminder.State.SNOOZED:
        badges.append('<span class="badge bg-body-secondary text-body border">Snoozed</span>')
    if reminder.state == Reminder.State.DONE:
        badges.append('<span class="badge text-bg-success">Done</span>')
    elif reminder.state == Reminder.State.SKIPPED:
        badges.append('<span class="badge text-bg-secondary">Skipped</span>')
    dates = shared.dates
    if reminder.completed_at and not reminder.is_open:
        completed = dates(dates.local(reminder.completed_at))
        when = f"{esc(reminder.get_state_display())} {esc(completed)}"
    else:
        local_due = dates.local(reminder.due_at)
        when = f'Due <time datetime="{esc(local_due.isoformat())}">{esc(dates(local_due))}</time>'
    about = []
    application = reminder.application if reminder.application_id is not None else None
    contact = reminder.contact if reminder.contact_id is not None else None
    if application is not None:
        about.append(
            f'<a class="link-secondary" href="{esc(shared.application_url(application.pk))}">'
            f"{esc(application.role)} at {esc(application.company.name)}</a>"
        )
    if contact is not None:
        about.append(f"{' · ' if application is not None else ''}with {esc(contact.name)}")
    email_line = getattr(reminder, "email_line", "")
    email_line_html = (
        f'<div class="small text-body-secondary mb-2" data-email-line>{esc(email_line)}</div>\n  '
        if email_line
        else ""
    )
    failed = (
        failed_notice_html(reminder, shared.settings_url)
        if reminder.state == Reminder.State.FAILED
        else ""
    )
    small_class = "text-danger fw-semibold" if overdue else "text-body-secondary"
    return (
        f'\n<div class="list-group-item py-3" id="task-{reminder.pk:d}">\n'
        '  <div class="d-flex flex-wrap justify-content-between gap-2 mb-1">\n'
        "    <div>\n      " + "\n      ".join(badges) + "\n"
        f'      <a class="fw-semibold ms-1" href="{esc(shared.task_url(reminder.pk))}">'
        f"{esc(reminder.title)}</a>\n"
        "    </div>\n"
        f'    <small class="{small_class}">\n      {when}\n    </small>\n'
        "  </div>\n"
        '  <div class="small text-body-secondary mb-2">\n    '
        + "\n    ".join(about)
        + "\n  </div>\n"
        f"  {email_line_html}{failed}{_actions(reminder, shared)}\n"
        "</div>"
    )
