"""Interview notes as the application, interview and contact pages show them, rendered in
Python: the notes grouped by kind, and an interview's people with the notes about each.

As template includes (a group, a note, a person; a dozen conditions a note) these were
the larger part of the application page's markup time. These functions write the same
markup from the same fields. Dates come out as the template's ``date`` filter writes them:
in the active time zone (the signed-in user's).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from django.utils import formats, timezone
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

from followup_site.row_urls import id_url_maker
from followup_site.widgets import esc
from interviews.selectors import InterviewSummary, NoteGroup

# Django's urlize splits a text into words at these and treats each piece on its own; a piece
# becomes a link only if it holds an address ("@"), starts (after punctuation) with http:// or
# https:// or www., or names a .com, .edu, .gov, .int, .mil, .net or .org host (its
# simple_url_re, simple_url_2_re and is_email_simple). Every other piece comes out escaped;
# ordinary words with a full stop or a colon ("roadmap.", "1205:") are most of a note's.
_WORD_SPLIT = re.compile(r"""([\s<>"']+)""")
_MAYBE_LINK = re.compile(r"@|://|www\.|\.(?:com|edu|gov|int|mil|net|org)", re.IGNORECASE)


def urlized(text: str) -> str:
    """``{{ text|urlize }}`` (links made ``rel="nofollow"``), at a fraction of its cost: the
    pieces that cannot be links are escaped here, the others go through Django's urlize.
    A text with no piece that could be a link (most notes) is escaped whole, as its pieces
    and the separators between them would be one by one."""
    if not _MAYBE_LINK.search(text):
        return html.escape(text)
    return "".join(
        urlize(piece, nofollow=True, autoescape=True)
        if _MAYBE_LINK.search(piece)
        else html.escape(piece)
        for piece in _WORD_SPLIT.split(text)
    )


class _Links:
    """The routes every note of a page links to, each resolved once."""

    def __init__(self) -> None:
        self.note_edit = id_url_maker("interviews:note_edit")
        self.note_delete = id_url_maker("interviews:note_delete")


def note_groups_html(
    groups: Iterable[NoteGroup], *, show_source: bool = False, show_note_actions: bool = False
) -> SafeString:
    """Notes grouped by kind. ``show_source`` adds each note's interview (company and date);
    ``show_note_actions`` its edit and delete links."""
    return mark_safe(  # noqa: S308 - built by _groups, which escapes every value
        _groups(
            groups, links=_Links(), show_source=show_source, show_note_actions=show_note_actions
        )
    )


def _groups(
    groups: Iterable[NoteGroup], *, links: _Links, show_source: bool, show_note_actions: bool
) -> str:
    parts = []
    for group in groups:
        parts.append(
            '\n<div class="mb-2">\n'
            f'  <div class="small fw-semibold text-body-secondary">{esc(group.label)}</div>\n'
            '  <ul class="list-unstyled mb-0 ms-2">\n    '
        )
        for note in group.notes:
            parts.append(
                _note(
                    note, links=links, show_source=show_source, show_note_actions=show_note_actions
                )
            )
        parts.append("\n  </ul>\n</div>\n")
    return "".join(parts)


def _note(note: object, *, links: _Links, show_source: bool, show_note_actions: bool) -> str:
    # The text is pre-wrapped: every space inside it shows, so it is written exactly.
    text = [urlized(note.text)]
    if note.follow_up_not_before:
        not_before = formats.date_format(note.follow_up_not_before, "j M Y")
        text.append(f' <span class="badge text-bg-warning">not before {esc(not_before)}</span>')
    if note.link and note.link not in note.text:
        text.append(
            f' <a href="{esc(note.link)}" rel="noopener noreferrer" target="_blank">link</a>'
        )
    if show_source:
        interview = note.interview
        started = formats.date_format(timezone.localtime(interview.starts_at), "j M Y")
        text.append(
            ' <span class="small text-body-secondary">· '
            f'<a href="{esc(interview.get_absolute_url())}">'
            f"{esc(interview.application.company)}, {esc(started)}</a></span>"
        )
    body = [f'<span class="text-pre">{"".join(text)}</span>']
    if note.is_answer_to_fix:
        body.append(
            '<div class="small text-body-secondary">Just for you: the correction email uses '
            "only what follows.</div>"
        )
        if note.question:
            body.append(
                '<div class="small"><span class="text-body-secondary">Their question:</span> '
                f"{esc(note.question)}</div>"
            )
        if note.better_answer:
            body.append(
                '<div class="small"><span class="text-body-secondary">What you would say now:'
                f'</span> <span class="text-pre">{esc(note.better_answer)}</span></div>'
            )
        if show_note_actions and not note.question and not note.better_answer:
            body.append(
                f'<div class="small"><a href="{esc(links.note_edit(note.pk))}">Add their '
                "question and what you would say now</a> for a short correction email.</div>"
            )
    actions = (
        '\n      <span class="text-nowrap small">\n'
        f'        <a href="{esc(links.note_edit(note.pk))}" aria-label="Edit note">Edit</a> ·\n'
        f'        <a href="{esc(links.note_delete(note.pk))}" class="link-danger" '
        'aria-label="Delete note">Delete</a>\n'
        "      </span>"
        if show_note_actions
        else ""
    )
    return (
        '\n    <li class="d-flex gap-2 align-items-start search-target" '
        f'id="note-{esc(note.pk)}">\n'
        '      <div class="flex-grow-1 note-body">\n        '
        + "\n        ".join(body)
        + f"\n      </div>{actions}\n    </li>"
    )


def interview_people_html(
    summary: InterviewSummary, *, compose_link: str = "", show_note_actions: bool = False
) -> SafeString:
    """One interview's interviewers, each with their notes grouped by kind, then the notes
    about no one in particular. ``compose_link``: "thank_you" (the interview page) or
    "follow_up" (the application page) adds a button to write to each person."""
    links = _Links()
    contact_url = id_url_maker("interviews:contact_detail")
    interview = summary.interview
    if compose_link == "thank_you":
        thank_you = id_url_maker("outreach:compose_for_interview")(interview.pk)
    elif compose_link == "follow_up":
        follow_up = id_url_maker("outreach:compose_for_contact")
    parts = []
    for person in summary.interviewers:
        contact = person.contact
        job = (
            f' <span class="text-body-secondary">· {esc(contact.job_title)}</span>'
            if contact.job_title
            else ""
        )
        if compose_link == "thank_you":
            button = (
                f'\n    <a class="btn btn-outline-primary btn-sm" href="{esc(thank_you)}'
                f'?contact={esc(contact.pk)}">Write thank-you</a>'
            )
        elif compose_link == "follow_up":
            button = (
                '\n    <a class="btn btn-outline-primary btn-sm" '
                f'href="{esc(follow_up(contact.pk))}?application={esc(interview.application_id)}">'
                "Write a follow-up</a>"
            )
        else:
            button = ""
        groups = _groups(
            person.groups, links=links, show_source=False, show_note_actions=show_note_actions
        )
        parts.append(
            '\n<div class="border rounded p-2 mb-2 bg-body">\n'
            '  <div class="d-flex flex-wrap justify-content-between align-items-baseline gap-2 '
            'mb-1">\n    <div>\n'
            f'      <a class="fw-semibold" href="{esc(contact_url(contact.pk))}">'
            f"{esc(contact.name)}</a>{job}\n    </div>{button}\n  </div>\n  {groups}\n  "
            + (
                ""
                if person.groups
                else '<div class="small text-body-secondary">No notes about them yet.</div>'
            )
            + "\n</div>\n"
        )
    if summary.other_groups:
        groups = _groups(
            summary.other_groups,
            links=links,
            show_source=False,
            show_note_actions=show_note_actions,
        )
        parts.append(
            '\n<div class="border rounded p-2 mb-2 bg-body">\n'
            '  <div class="fw-semibold mb-1">About the interview</div>\n'
            f"  {groups}\n</div>\n"
        )
    if not summary.interviewers and not summary.other_groups:
        parts.append(
            '\n<p class="small text-body-secondary mb-0">No interviewers or notes recorded.</p>\n'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped by _e
