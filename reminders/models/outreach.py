from __future__ import annotations

from django.conf import settings
from django.db import models


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
    channel = models.CharField(max_length=10, choices=Channel.choices)
    call_outcome = models.CharField(max_length=10, choices=CallOutcome.choices, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True, max_length=20000)
    occurred_at = models.DateTimeField()
    delivery = models.CharField(max_length=12, choices=Delivery.choices, blank=True)
    delivery_detail = models.TextField(blank=True)
    esp_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["application", "direction", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} ({self.get_direction_display()})"
