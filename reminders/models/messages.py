"""Outreach messages: the user's templates, drafts being written, and processed webhooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
    """

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
        "reminders.Outreach",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft",
    )
    send_state = models.CharField(max_length=10, choices=SendState.choices, default=SendState.IDLE)
    send_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["user", "reminder"])]

    def __str__(self) -> str:
        return self.subject or f"Draft to {self.contact}"

    @property
    def is_editable(self) -> bool:
        return self.send_state in (self.SendState.IDLE, self.SendState.FAILED)

    @property
    def is_card(self) -> bool:
        return self.occasion == Occasion.CARD


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
