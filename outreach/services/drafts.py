"""Writes of the composer: drafts and the user's own templates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from interviews.models import Application, Contact, Interview, Note
from outreach.merge import merge_fields_unknown, merge_render, one_line
from outreach.models import Draft, MessageTemplate
from outreach.selectors import TemplateChoice, draft_merge_values, template_resolve


def _check_owner(user: User, *objects: object) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "user_id", user.pk) != user.pk:
            raise ValidationError("That is not yours.")


def _merged(draft: Draft, subject: str, body: str) -> tuple[str, str]:
    """Apply merge fields typed into the draft itself; unknown ones are an error."""
    unknown = merge_fields_unknown(subject) + merge_fields_unknown(body)
    if unknown:
        raise ValidationError("Unknown merge field: " + ", ".join(dict.fromkeys(unknown)))
    values = draft_merge_values(
        user=draft.user,
        application=draft.application,
        contact=draft.contact,
        interview=draft.interview,
    )
    return (
        merge_render(subject, values, single_line=True),
        merge_render(body, values),
    )


def draft_fill(
    *,
    user: User,
    application: Application,
    contact: Contact,
    interview: Interview | None,
    template_key: str,
    notes: list[Note] | None = None,
    choices: list[TemplateChoice] | None = None,
) -> tuple[str, str]:
    """Subject and body of a template filled from the notes (nothing is saved).

    A page that already read the notes (``notes_read``) or the user's templates
    (``template_choices``) passes them, not to read them again.
    """
    template = template_resolve(user=user, key=template_key, choices=choices)
    if template is None:
        raise ValidationError("There is no such template.")
    values = draft_merge_values(
        user=user, application=application, contact=contact, interview=interview, notes=notes
    )
    return (
        merge_render(template.subject, values, single_line=True),
        merge_render(template.body, values),
    )


def draft_create(
    *,
    user: User,
    application: Application,
    contact: Contact,
    occasion: str,
    subject: str,
    body: str,
    template_key: str = "",
    reminder: models.Model | None = None,
    interview: Interview | None = None,
) -> Draft:
    _check_owner(user, application, contact, reminder)
    if interview is not None and interview.application_id != application.pk:
        raise ValidationError("That interview belongs to another application.")
    draft = Draft(
        user=user,
        application=application,
        contact=contact,
        reminder=reminder,
        interview=interview,
        occasion=occasion,
        template_key=template_key,
    )
    draft.subject, draft.body = _merged(draft, subject, body)
    draft.full_clean(exclude=["outreach"])
    draft.save()
    return draft


def draft_save(
    *,
    draft: Draft,
    subject: str,
    body: str,
    template_key: str | None = None,
    occasion: str | None = None,
) -> Draft:
    """Save the user's edits. A draft being sent, or already sent, is not changed."""
    if not draft.is_editable:
        raise ValidationError("This message has already gone out; it can no longer be edited.")
    draft.subject, draft.body = _merged(draft, subject, body)
    fields = ["subject", "body"]
    if template_key is not None:
        draft.template_key = template_key
        fields.append("template_key")
    if occasion is not None:
        draft.occasion = occasion
        fields.append("occasion")
    draft.full_clean(exclude=["outreach"])
    # Only while still editable: a send that claimed the row meanwhile wins.
    changes = {name: getattr(draft, name) for name in fields}
    updated = Draft.objects.filter(
        pk=draft.pk, send_state__in=(Draft.SendState.IDLE, Draft.SendState.FAILED)
    ).update(**changes, updated_at=timezone.now())
    if updated != 1:
        raise ValidationError("This message has already gone out; it can no longer be edited.")
    draft.refresh_from_db()
    return draft


def draft_delete(*, draft: Draft) -> None:
    """Delete a draft, unless a send of it is running right now.

    A draft whose send was interrupted may be deleted: the user gives up on knowing. The
    condition is in the DELETE itself, so a send that claims the draft meanwhile wins.
    """
    running = Q(send_state=Draft.SendState.SENDING, send_started_at__isnull=False) & Q(
        send_started_at__gte=timezone.now() - Draft.SEND_INTERRUPTED_AFTER
    )
    deleted, _ = Draft.objects.filter(pk=draft.pk).exclude(running).delete()
    if not deleted:
        raise ValidationError("This message is being sent; it cannot be deleted now.")


# --- The user's templates -------------------------------------------------------------------


def _template_validate(subject: str, body: str) -> None:
    unknown = merge_fields_unknown(subject) + merge_fields_unknown(body)
    if unknown:
        raise ValidationError("Unknown merge field: " + ", ".join(dict.fromkeys(unknown)))


def template_copy(*, user: User, template_key: str) -> MessageTemplate:
    """Copy a built-in (or one's own) template into a new editable row."""
    source = template_resolve(user=user, key=template_key)
    if source is None:
        raise ValidationError("There is no such template.")
    return MessageTemplate.objects.create(
        user=user,
        name=f"{source.name} (my copy)"[:120],
        occasion=source.occasion,
        subject=source.subject,
        body=source.body,
    )


def template_update(
    *, template: MessageTemplate, name: str, occasion: str, subject: str, body: str
) -> MessageTemplate:
    _template_validate(subject, body)
    template.name = name.strip()
    template.occasion = occasion
    template.subject = one_line(subject)
    template.body = body.replace("\r\n", "\n")
    template.full_clean()
    template.save()
    return template


def template_delete(*, template: MessageTemplate) -> None:
    template.delete()
