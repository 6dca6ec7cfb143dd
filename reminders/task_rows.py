"""A task's row in a list, and its Done / Snooze / Skip buttons, rendered in Python.

The task list shows some forty rows and an application's panel its open tasks; as template
includes (a row, its badge, its notice, its buttons) each row cost a quarter of a
millisecond, most of the task list's time. These functions write the same markup from the
same fields. Dates are formatted as the template's ``date`` filter does: in the active time
zone (the signed-in user's), through Django's date formats.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from followup_site.row_urls import url_for_id
from reminders.models import Reminder

_KIND_BADGE_CLASSES = {
    Reminder.Kind.THANK_YOU: "text-bg-success",
    Reminder.Kind.PHONE_CALL: "text-bg-warning",
    Reminder.Kind.CLOSE_SUGGESTION: "text-bg-secondary",
    Reminder.Kind.CUSTOM: "bg-body-secondary text-body border",
}
_ROW_DATE = "D j M, H:i T"


def _date(instant: object, format_string: str) -> str:
    """``{{ instant|date:format_string }}``: in the active time zone."""
    return formats.date_format(timezone.localtime(instant), format_string)


def kind_badge_html(reminder: Reminder) -> SafeString:
    """A task's kind as a small coloured label."""
    return format_html(
        '<span class="badge {}">{}</span>',
        _KIND_BADGE_CLASSES.get(reminder.kind, "text-bg-primary"),
        reminder.get_kind_display(),
    )


def failed_notice_html(reminder: Reminder) -> SafeString:
    """Why the reminder email for a task could not be sent, and what to do; "" unless failed."""
    if reminder.state != Reminder.State.FAILED:
        return mark_safe("")
    error = (
        format_html('<span class="d-block text-pre">{}</span>', reminder.last_error)
        if reminder.last_error
        else ""
    )
    return format_html(
        '<div class="alert alert-warning small py-2 mb-2" role="alert">\n'
        "  <strong>We could not email you about this task.</strong>\n"
        "  {}\n"
        "  The task still stands: act on it from here. If this keeps happening, check your "
        "email address in\n"
        '  <a href="{}" class="alert-link">Settings</a>.\n'
        "</div>",
        error,
        reverse("accounts:settings"),
    )


def _csrf_input(csrf_token: object) -> SafeString:
    """``{% csrf_token %}``: the hidden input, or nothing where the view provides no token."""
    if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 - a marker, not a secret
        return mark_safe("")
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token)


def task_actions_html(reminder: Reminder, *, next_path: str, csrf_token: object) -> SafeString:
    """Done / Snooze / Skip buttons for an open task ("" for a closed one); each a small POST
    form that returns to ``next_path`` (if any). ``reminder.snoozes`` lists the snoozes."""
    if not reminder.is_open:
        return mark_safe("")
    hidden = _csrf_input(csrf_token)
    if next_path:
        hidden += format_html('<input type="hidden" name="next" value="{}">', next_path)
    forms = [
        format_html(
            '<form method="post" action="{}">\n    {}\n'
            '    <button type="submit" class="btn btn-sm btn-success">Done</button>\n  </form>',
            url_for_id("reminders:task_done", reminder.pk),
            hidden,
        )
    ]
    snooze_url = url_for_id("reminders:task_snooze", reminder.pk)
    forms.extend(
        format_html(
            '<form method="post" action="{}">\n    {}\n'
            '    <input type="hidden" name="snooze" value="{}">\n'
            '    <button type="submit" class="btn btn-sm btn-outline-secondary">{}</button>\n'
            "  </form>",
            snooze_url,
            hidden,
            choice.key,
            choice.label,
        )
        for choice in getattr(reminder, "snoozes", ())
    )
    forms.append(
        format_html(
            '<form method="post" action="{}">\n    {}\n'
            '    <button type="submit" class="btn btn-sm btn-outline-danger">Skip</button>\n'
            "  </form>",
            url_for_id("reminders:task_skip", reminder.pk),
            hidden,
        )
    )
    return mark_safe(  # noqa: S308 - each form is built by format_html
        '<div class="d-flex flex-wrap gap-2">\n  ' + "\n  ".join(forms) + "\n</div>"
    )


def task_row_html(
    reminder: Reminder, *, next_path: str, csrf_token: object, overdue: bool = False
) -> SafeString:
    """One task in a list: its kind and state, title, due (or done) time, application and
    contact, email line (``reminder.email_line``, if set), failure notice and buttons."""
    badges = [kind_badge_html(reminder)]
    if reminder.state == Reminder.State.SNOOZED:
        badges.append(
            mark_safe('<span class="badge bg-body-secondary text-body border">Snoozed</span>')
        )
    if reminder.state == Reminder.State.DONE:
        badges.append(mark_safe('<span class="badge text-bg-success">Done</span>'))
    elif reminder.state == Reminder.State.SKIPPED:
        badges.append(mark_safe('<span class="badge text-bg-secondary">Skipped</span>'))
    if reminder.completed_at and not reminder.is_open:
        when = format_html(
            "{} {}", reminder.get_state_display(), _date(reminder.completed_at, _ROW_DATE)
        )
    else:
        local_due = timezone.localtime(reminder.due_at)
        when = format_html(
            'Due <time datetime="{}">{}</time>',
            local_due.isoformat(),
            formats.date_format(local_due, _ROW_DATE),
        )
    about = []
    application = reminder.application if reminder.application_id is not None else None
    contact = reminder.contact if reminder.contact_id is not None else None
    if application is not None:
        about.append(
            format_html(
                '<a class="link-secondary" href="{}">{} at {}</a>',
                url_for_id("application_detail", application.pk),
                application.role,
                application.company.name,
            )
        )
    if contact is not None:
        about.append(
            format_html("{}with {}", " · " if application is not None else "", contact.name)
        )
    email_line = getattr(reminder, "email_line", "")
    return format_html(
        '\n<div class="list-group-item py-3" id="task-{}">\n'
        '  <div class="d-flex flex-wrap justify-content-between gap-2 mb-1">\n'
        "    <div>\n      {}\n"
        '      <a class="fw-semibold ms-1" href="{}">{}</a>\n'
        "    </div>\n"
        '    <small class="{}">\n      {}\n    </small>\n'
        "  </div>\n"
        '  <div class="small text-body-secondary mb-2">\n    {}\n  </div>\n'
        "  {}{}{}\n"
        "</div>",
        reminder.pk,
        mark_safe("\n      ".join(badges)),  # noqa: S308 - built by format_html above
        url_for_id("reminders:task_detail", reminder.pk),
        reminder.title,
        "text-danger fw-semibold" if overdue else "text-body-secondary",
        when,
        mark_safe("\n    ".join(about)),  # noqa: S308 - built by format_html above
        format_html(
            '<div class="small text-body-secondary mb-2" data-email-line>{}</div>\n  ',
            email_line,
        )
        if email_line
        else "",
        failed_notice_html(reminder),
        task_actions_html(reminder, next_path=next_path, csrf_token=csrf_token),
    )
