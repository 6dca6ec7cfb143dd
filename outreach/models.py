"""Everything sent to or received from people at companies.

The timeline (Outreach), the drafts being written, the user's message templates, and the ESP
webhook events already processed. The rows may point at the reminders task they carried out
(``reminder``), a link the reminders app sets; nothing in this app reads reminders' code.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Outreach(models.Model):
    """One contact with someone at the company, in either direction.

    Outgoing rows are what the user sent or did (an email, a card, a call); incoming rows are
    replies. The follow-up rules read this timeline: the last contact resets the check-in
    clock, unanswered outgoing rows count toward the cap, and the gap between two outgoing
    rows to one person must respect the minimum.
    """

    class Direction(models.TextChoices):
        OUTGOING = "out", "Sent by you"
        INCOMING = "in", "Reply from them"

    class Purpose(models.TextChoices):
        """What the contact was for; the follow-up rules read it (see reminders.planner)."""

        THANK_YOU = "thank_you", "Thank-you"
        FOLLOW_UP = "follow_up", "Follow-up"
        REPAIR = "repair", "Repairing an answer"
        CHECK_IN = "check_in", "Check-in"
        CALL = "call", "Phone call"
        REPLY = "reply", "Reply from them"
        OTHER = "other", "Other"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        CARD = "card", "Handwritten card"
        CALL = "call", "Phone call"
        OTHER = "other", "Other"

    class CallOutcome(models.TextChoices):
        REACHED = "reached", "Reached them"
        VOICEMAIL = "voicemail", "Left a voicemail"
        NO_ANSWER = "no_answer", "No answer"

    class Delivery(models.TextChoices):
        NOT_SENT_BY_APP = "", "Not sent by Followup"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        UNCERTAIN = "uncertain", "Unknown: please check"
        FAILED = "failed", "Failed"
        DELIVERED = "delivered", "Delivered"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Marked as spam"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outreaches"
    )
    application = models.ForeignKey(
        "interviews.Application", on_delete=models.CASCADE, related_name="outreaches"
    )
    contact = models.ForeignKey(
        "interviews.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreaches",
    )
    reminder = models.ForeignKey(
        "reminders.Reminder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outreaches",
        help_text="The task this outreach carried out.",
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.OTHER)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    call_outcome = models.CharField(max_length=10, choices=CallOutcome.choices, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True, max_length=20000)
    occurred_at = models.DateTimeField()
    delivery = models.CharField(max_length=12, choices=Delivery.choices, blank=True)
    delivery_detail = models.TextField(blank=True)
    esp_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    # A reply the inbound webhook kept for a deactivated account: nobody could see it when it
    # came, so the dashboard shows it once the account is back, until the user has seen it.
    received_while_inactive = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(
                fields=["application", "direction", "occurred_at"],
                name="outreach_app_direction_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} ({self.get_direction_display()})"


class Occasion(models.TextChoices):
    THANK_YOU = "thank_you", "Thank-you"
    TOPIC_FOLLOW_UP = "topic_follow_up", "Follow-up on a topic"
    ANSWER_REPAIR = "answer_repair", "Repair an answer"
    CHECK_IN = "check_in", "Monthly check-in"
    CALL_RECAP = "call_recap", "Recap after a call"
    CARD = "card", "Handwritten card"


class MessageTemplate(models.Model):
    """A user's own copy of a template; the built-in ones live in code (builtin_templates)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_templates"
    )
    name = models.CharField(max_length=120)
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["occasion", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return f"user:{self.pk}"


class Draft(models.Model):
    """A message to one contact being written; sent at most once.

    ``send_state`` is the at-most-once guard: a send claims the row by moving it from IDLE or
    FAILED to SENDING in one conditional UPDATE, and only the request that moved it sends.
    ``send_attempts`` numbers the sends started; the claim and the recording of its outcome
    both name the attempt, so a page can act only on the attempt it showed, and a send that
    finishes after the user resolved it (or sent it again) changes nothing.
    """

    # No send takes this long (the mail timeouts are 20 to 30 seconds, and gunicorn ends a
    # request after 30): a draft SENDING for longer was interrupted, its outcome unknown.
    SEND_INTERRUPTED_AFTER = timedelta(minutes=5)

    class SendState(models.TextChoices):
        IDLE = "idle", "Not sent"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        UNCERTAIN = "uncertain", "Unknown: please check your sent mail"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    application = models.ForeignKey(
        "interviews.Application", on_delete=models.CASCADE, related_name="drafts"
    )
    contact = models.ForeignKey(
        "interviews.Contact", on_delete=models.CASCADE, related_name="drafts"
    )
    reminder = models.ForeignKey(
        "reminders.Reminder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
    )
    interview = models.ForeignKey(
        "interviews.Interview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
    )
    template_key = models.CharField(max_length=40, blank=True)
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(max_length=20000, blank=True)
    outreach = models.OneToOneField(
        "outreach.Outreach",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft",
    )
    send_state = models.CharField(max_length=10, choices=SendState.choices, default=SendState.IDLE)
    send_error = models.TextField(blank=True)
    send_attempts = models.PositiveIntegerField(default=0)
    send_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["user", "reminder"], name="draft_user_task_idx")]

    def __str__(self) -> str:
        return self.subject or f"Draft to {self.contact}"

    @property
    def is_editable(self) -> bool:
        return self.send_state in (self.SendState.IDLE, self.SendState.FAILED)

    @property
    def is_card(self) -> bool:
        return self.occasion == Occasion.CARD

    @property
    def is_interrupted(self) -> bool:
        """The send's outcome is unknown: the mail service did not say, or the send never
        finished. Only the user can tell (by their copy); it is never resent on its own."""
        if self.send_state == self.SendState.UNCERTAIN:
            return True
        if self.send_state != self.SendState.SENDING:
            return False
        return self.send_started_at is None or (
            self.send_started_at < timezone.now() - self.SEND_INTERRUPTED_AFTER
        )


class WebhookEvent(models.Model):
    """An ESP event already processed; the unique pair makes a redelivery a no-op."""

    esp = models.CharField(max_length=40)
    event_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=40)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["esp", "event_id"], name="webhook_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.esp} {self.kind} {self.event_id}"


# What a message written for an occasion is, once it has gone out.
PURPOSE_OF_OCCASION = {
    Occasion.THANK_YOU: Outreach.Purpose.THANK_YOU,
    Occasion.CARD: Outreach.Purpose.THANK_YOU,
    Occasion.TOPIC_FOLLOW_UP: Outreach.Purpose.FOLLOW_UP,
    Occasion.CALL_RECAP: Outreach.Purpose.FOLLOW_UP,
    Occasion.ANSWER_REPAIR: Outreach.Purpose.REPAIR,
    Occasion.CHECK_IN: Outreach.Purpose.CHECK_IN,
}
