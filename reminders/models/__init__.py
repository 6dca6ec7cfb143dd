from reminders.models.heartbeat import Heartbeat
from reminders.models.messages import Draft, MessageTemplate, Occasion, WebhookEvent
from reminders.models.outreach import Outreach
from reminders.models.reminder import Reminder

__all__ = [
    "Draft",
    "Heartbeat",
    "MessageTemplate",
    "Occasion",
    "Outreach",
    "Reminder",
    "WebhookEvent",
]
