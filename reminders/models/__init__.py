from reminders.models.heartbeat import Heartbeat
from reminders.models.outreach import Outreach
from reminders.models.reminder import Reminder

__all__ = ["Heartbeat", "Outreach", "Reminder"]
