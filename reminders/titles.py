"""What a task is called on the pages, in emails and in the calendar feed.

Rule-made tasks store no sentence: the title is rendered here from the task's kind and the
person it is about, when it is shown, so that it follows a renamed contact and can be
translated. A task the user wrote keeps their own words.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Titles name the task, not the application: every page shows the application next to the
# title, and the email subject adds it (templates/emails/reminder_subject.txt).
_TITLES = {
    "thank_you": "Thank %(name)s for the interview",
    "follow_up": "Follow up with %(name)s",
    "phone_call": "Call %(name)s: no reply to your email yet",
    "check_in": "Check in with %(name)s",
    "close_suggestion": "No answer to your last messages: time to close it?",
}


def task_title(*, kind: str, contact_name: str | None, custom_title: str = "") -> str:
    """The title of a task of ``kind`` about ``contact_name`` (None: nobody in particular)."""
    if custom_title:
        return custom_title
    return task_title_in(
        get_language(), kind=kind, contact_name=contact_name, custom_title=custom_title
    )


def task_title_in(
    language: str | None, *, kind: str, contact_name: str | None, custom_title: str = ""
) -> str:
    """:func:`task_title` in ``language``, the active one, looked up once by the caller: a
    page of many tasks (the dashboard's cards) would otherwise read it once a task."""
    if custom_title:
        return custom_title
    template = _TITLES.get(kind)
    if template is None:
        return _translated("Your own reminder", language)
    name = contact_name or _translated(
        "your interviewer" if kind == "thank_you" else "the company", language
    )
    return _translated(template, language) % {"name": name}


@lru_cache(maxsize=64)
def _translated(message: str, language: str | None) -> str:
    """``message`` in ``language``, the active one: a list page titles hundreds of tasks,
    and each gettext call looks the language's catalogue up again (some 10 µs)."""
    return _(message)
