"""One-click actions from reminder emails: confirm on GET, act on POST.

Mail scanners and link previews follow every link in an email, so a GET only shows what
would happen; the change needs the POST of the button on that page. The signed token is the
authority (no log-in from a mail client); it names one reminder, one action and its owner.
A link acts once: a second click, even of a snooze that would still be allowed, changes
nothing and says so.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reminders.links import LINK_MAX_AGE, InvalidLink, LinkClaim, link_read, reminder_task_url
from reminders.models import Reminder, UsedActionLink
from reminders.services.task_actions import reminder_complete, reminder_snooze, snooze_choice

# The snooze each link asks for (reminders.services.task_actions.snooze_choices).
ACTION_SNOOZE = {"snooze_day": "day", "snooze_week": "week", "snooze_deadline": "deadline"}
ACTION_LABELS = {
    "done": "Mark this task as done",
    "snooze_day": "Snooze this task for a day",
    "snooze_week": "Snooze this task for a week",
    "snooze_deadline": "Remind me again shortly before the deadline",
}


def _reminder_for(claim: LinkClaim) -> Reminder | None:
    return (
        Reminder.objects.select_related("user", "application__company", "contact")
        .filter(pk=claim.reminder_id, user_id=claim.user_id)
        .first()
    )


def email_action_perform(*, reminder: Reminder, action: str) -> Reminder:
    """Carry out a link's action with the task services the task list uses."""
    if action == "done":
        return reminder_complete(reminder=reminder)
    choice = snooze_choice(reminder=reminder, key=ACTION_SNOOZE[action])
    return reminder_snooze(
        reminder=reminder, until=choice.until, keep_deadline=choice.keeps_deadline
    )


class LinkAlreadyUsed(Exception):
    """The link has done its action once already."""


def email_action_use(*, reminder: Reminder, claim: LinkClaim) -> Reminder:
    """Record the link as used and carry out its action, both or neither.

    The unique link id is the claim: of two clicks at once, the second waits for the first
    and then finds it taken. A refused action (ValidationError) rolls the record back, so
    the link still works once the reason is gone.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                UsedActionLink.objects.create(
                    link_id=claim.link_id, reminder=reminder, action=claim.action
                )
        except IntegrityError as error:
            raise LinkAlreadyUsed from error
        return email_action_perform(reminder=reminder, action=claim.action)


def used_links_forget() -> int:
    """Delete the records of links that can no longer be used anyway (beat, hourly).

    A link was signed before it was used, so once LINK_MAX_AGE has passed since its use its
    signature has expired too: link_read refuses it before the record is ever consulted.
    Keeping the rows would only grow the table by one per click, forever.
    """
    deleted, _ = UsedActionLink.objects.filter(used_at__lt=timezone.now() - LINK_MAX_AGE).delete()
    return deleted


@require_http_methods(["GET", "POST"])
def email_action(request: HttpRequest, token: str) -> HttpResponse:
    try:
        claim = link_read(token=token)
    except InvalidLink:
        return render(request, "reminders/email_action_invalid.html", status=400)
    reminder = _reminder_for(claim)
    if reminder is None:
        return render(request, "reminders/email_action_invalid.html", status=404)
    context = {
        "reminder": reminder,
        "action": claim.action,
        "action_label": ACTION_LABELS[claim.action],
        "task_url": reminder_task_url(reminder=reminder),
    }
    if UsedActionLink.objects.filter(link_id=claim.link_id).exists():
        return render(request, "reminders/email_action_used.html", context, status=410)
    if not reminder.is_open:
        return render(request, "reminders/email_action_done.html", {**context, "closed": True})
    if request.method == "POST":
        try:
            reminder = email_action_use(reminder=reminder, claim=claim)
        except LinkAlreadyUsed:
            return render(request, "reminders/email_action_used.html", context, status=410)
        except ValidationError as error:
            # An old link: a day's snooze would now pass the deadline. Say so; change nothing.
            context["refused"] = " ".join(error.messages)
            return render(request, "reminders/email_action_confirm.html", context, status=409)
        return render(
            request, "reminders/email_action_done.html", {**context, "reminder": reminder}
        )
    return render(request, "reminders/email_action_confirm.html", context)
