"""``{% interview_people summary %}`` and ``{% note_groups groups %}``: an interview's people
with their notes, and notes grouped by kind, rendered in Python (interviews/note_html.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from interviews import note_html
from interviews.selectors import InterviewSummary, NoteGroup

register = template.Library()


@register.simple_tag
def interview_people(
    summary: InterviewSummary, compose_link: str = "", show_note_actions: bool = False
) -> SafeString:
    return note_html.interview_people_html(
        summary, compose_link=compose_link, show_note_actions=show_note_actions
    )


@register.simple_tag
def note_groups(
    groups: Iterable[NoteGroup], show_source: bool = False, show_note_actions: bool = False
) -> SafeString:
    return note_html.note_groups_html(
        groups, show_source=show_source, show_note_actions=show_note_actions
    )
