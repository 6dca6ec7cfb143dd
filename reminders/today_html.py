"""The Today strip's entries as HTML, rendered in Python.

Through the template engine the strip's loops (up to twenty entries, each a link, a badge,
a title and a date through the ``date`` filter, plus a ``{% url %}`` per reply and per "see
them" link) cost more than the queries that read them. Here each entry is one f-string,
every value escaped (``followup_site.widgets.esc``, which leaves text with nothing to
escape as it is); the task list's link is reversed once. The frame around them, which says
when nothing is due, stays in templates/reminders/includes/today_strip.html.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from followup_site.row_urls import id_url_maker
from followup_site.widgets import esc
from reminders.board import LocalText, TaskLinks, TodayStrip, TodayTask
from reminders.titles import task_title_in

# How many characters of a reply's subject the strip shows (the ``truncatechars`` it had).
_SUBJECT_CHARS = 80


def _task(
    task: TodayTask, *, language: str | None, link: str, kind: str, badge: str, tail: str
) -> str:
    """One task: a link to it with ``badge`` (already HTML) and, after its title (in
    ``language``, the active one) and company, ``tail`` (already HTML)."""
    company = _fact(task.company_name) if task.company_name else ""
    title = task_title_in(
        language, kind=task.kind, contact_name=task.contact_name, custom_title=task.custom_title
    )
    return f"""<li data-today="{kind}">
  <a class="today-link" href="{esc(link)}">
    {badge}
    <span class="text-break">{esc(title)}</span>{company}{tail}
  </a>
</li>"""


def _more(count: int, shown: int, what: str, tasks_url: str) -> str:
    """The link to the task list when a group has more tasks than it shows."""
    if count <= shown:
        return ""
    link = f'<a class="today-link" href="{tasks_url}">{int(count)} {what} in all: see them</a>'
    return f"<li>{link}</li>"


def _fact(text: str) -> str:
    """A small grey fact after a task's title: its company, or "· was due Mon 2 Jun, 12:00"
    and the like."""
    return f'\n    <span class="text-body-secondary small">· {esc(text)}</span>'


def _thank_you_badge(hours_left: int) -> str:
    css = "text-bg-danger" if hours_left < 6 else "text-bg-warning"
    left = "under 1 h left" if hours_left < 1 else f"{int(hours_left)} h left"
    return f'<span class="badge {css}">{left}</span>'


def today_items_html(today: TodayStrip) -> SafeString:
    """The strip's list entries: overdue tasks, thank-yous counting down, tasks due today
    (each group with a link to the rest), new replies and the next interview."""
    tasks_url = esc(reverse("reminders:task_list"))
    application_url = id_url_maker("application_detail")
    local_text = LocalText(timezone.get_current_timezone())
    task_links = TaskLinks()
    language = get_language()
    items = [
        _task(
            task,
            language=language,
            link=task_links(task),
            kind="overdue",
            badge='<span class="badge text-bg-danger">Overdue</span>',
            tail=_fact(f"was due {task.due_text}"),
        )
        for task in today.overdue
    ]
    items.append(_more(today.overdue_count, len(today.overdue), "overdue", tasks_url))
    items.extend(
        _task(
            task,
            language=language,
            link=task_links(task),
            kind="thank-you",
            badge=_thank_you_badge(task.hours_left),
            tail=_fact(f"by {task.due_text}"),
        )
        for task in today.thank_yous
    )
    items.append(
        _more(today.thank_you_count, len(today.thank_yous), "thank-yous waiting", tasks_url)
    )
    items.extend(
        _task(
            task,
            language=language,
            link=task_links(task),
            kind="due-today",
            badge=f'<span class="badge text-bg-primary">Today {esc(task.due_time)}</span>',
            tail="",
        )
        for task in today.due_today
    )
    items.append(_more(today.due_today_count, len(today.due_today), "due today", tasks_url))
    for reply in today.replies:
        subject = Truncator(reply.subject or "(no subject)").chars(_SUBJECT_CHARS)
        url = f"{application_url(reply.application_id)}#outreach-{int(reply.pk)}"
        items.append(f"""<li data-today="reply">
  <a class="today-link" href="{esc(url)}">
    <span class="badge text-bg-success">Reply</span>
    <span class="text-break">{esc(reply.contact_name or "Someone")} at \
{esc(reply.company_name)}: “{esc(subject)}”</span>
    <span class="text-body-secondary small">· {esc(local_text(reply.occurred_at))}</span>
  </a>
</li>""")
    interview = today.next_interview
    if interview is not None:
        items.append(f"""<li data-today="next-interview">
  <a class="today-link" href="{esc(application_url(interview.application_id))}">
    <span class="badge text-bg-info">Next interview</span>
    <span>{esc(local_text(interview.starts_at))}</span>
    <span class="text-break text-body-secondary small">· {esc(interview.role)} at \
{esc(interview.company_name)}</span>
  </a>
</li>""")
    # Safe: every value written above is a number, a constant or escaped here.
    return mark_safe("\n".join(item for item in items if item))  # noqa: S308
