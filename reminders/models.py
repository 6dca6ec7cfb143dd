from __future__ import annotations

from django.conf import settings
from django.db import models

from reminders.titles import task_title


class Reminder(models.Model):
    """One follow-up task for the user, and when to tell them about it.

    ``due_at`` is when the action should happen; ``notify_at`` is when the next email to the
    user goes out (None: nothing left to send). ``occurrence`` names the rule firing that made
    the row, unique per user, so applying a rule again never makes a second row.
    """

    class Kind(models.TextChoices):
        THANK_YOU = "thank_you", "Thank-you"
        FOLLOW_UP = "follow_up", "Follow-up"
        PHONE_CALL = "phone_call", "Phone call"
        CHECK_IN = "check_in", "Check-in"
        CLOSE_SUGGESTION = "close_suggestion", "Consider closing"
        CUSTOM = "custom", "Your own reminder"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        NOTIFIED = "notified", "Notified"
        DONE = "done", "Done"
        SNOOZED = "snoozed", "Snoozed"
        SKIPPED = "skipped", "Skipped"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    OPEN_STATES = (State.PENDING, State.NOTIFIED, State.SNOOZED, State.FAILED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    application = models.ForeignKey(
        "interviews.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    interview = models.ForeignKey(
        "interviews.Interview",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    contact = models.ForeignKey(
        "interviews.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
    )
    trigger_outreach = models.ForeignKey(
        "outreach.Outreach",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="triggered_reminders",
        help_text="The unanswered outreach that made this task (for a phone call).",
    )
    custom_title = models.CharField(
        max_length=300,
        blank=True,
        help_text="The user's own words; rule-made tasks leave it empty.",
    )
    note = models.TextField(blank=True, max_length=5000)
    due_at = models.DateTimeField()
    notify_at = models.DateTimeField(null=True, blank=True)
    nudge_at = models.DateTimeField(
        null=True, blank=True, help_text="A second notification near the deadline, if still open."
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    occurrence = models.CharField(max_length=200)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # A sweep that claims the row owns it until then; a crashed sweep's claim runs out.
    lease_until = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "occurrence"], name="reminder_occurrence_unique_per_user"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "notify_at"], name="reminder_due_idx"),
            models.Index(fields=["user", "state", "due_at"], name="reminder_user_open_idx"),
            # The sweep claims the earliest due rows, 100 at a time: in this order an index
            # scan stops after the batch instead of sorting every due row for each batch.
            models.Index(
                fields=["notify_at", "id"],
                condition=models.Q(state__in=["pending", "notified", "snoozed"]),
                name="reminder_due_order_idx",
            ),
            # An application's open tasks in due order: its next action (the board's card,
            # its "next action" sort) is the first entry, read without visiting the others.
            models.Index(
                fields=["application", "due_at", "id"],
                condition=models.Q(state__in=["pending", "notified", "snoozed", "failed"]),
                name="reminder_app_open_due_idx",
            ),
            # A user's open tasks in due order: the task list's groups and the Today strip
            # read the first few of a range of due times, and count each range, from the
            # index alone (with the kind, for the thank-yous; PostgreSQL's INCLUDE).
            models.Index(
                fields=["user", "due_at", "id"],
                include=["kind"],
                condition=models.Q(state__in=["pending", "notified", "snoozed", "failed"]),
                name="reminder_user_open_due_idx",
            ),
            # A user's finished tasks, latest first: the task list's recently done.
            models.Index(
                fields=["user", "-completed_at", "-id"],
                condition=models.Q(state__in=["done", "skipped"]),
                name="reminder_user_done_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The task's title as shown: the user's words, or rendered from kind and contact."""
        contact = self.contact if self.contact_id is not None else None
        return task_title(
            kind=self.kind,
            contact_name=contact.name if contact is not None else None,
            custom_title=self.custom_title,
        )

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class Heartbeat(models.Model):
    """The last time a named periodic process ran; beat writes one row every tick.

    Other process-wide marks share the table: a digest's last send per user, and the mail
    pause (``reminders.services.mail_pause``) while the mail settings are broken.
    """

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()
    # What the process reported with it; the mail pause keeps the error that caused it here.
    detail = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"{self.name} at {self.at.isoformat()}"


class UsedActionLink(models.Model):
    """A reminder-email link that has done its action: each link works once.

    A replayed snooze link would otherwise move the task again on every click. The row is
    written in the same transaction as the action, so a refused action leaves the link
    usable, and two clicks at once cannot both pass (the id is unique).
    """

    link_id = models.CharField(max_length=64, unique=True)
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="used_links")
    action = models.CharField(max_length=20)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.action} link for reminder {self.reminder_id}"


# The purpose of the outreach that carries out a task of each kind; the kinds not listed
# (a close suggestion, the user's own task) are not carried out by one message.
PURPOSE_OF_KIND = {
    Reminder.Kind.THANK_YOU: "thank_you",
    Reminder.Kind.FOLLOW_UP: "follow_up",
    Reminder.Kind.CHECK_IN: "check_in",
    Reminder.Kind.PHONE_CALL: "call",
}
