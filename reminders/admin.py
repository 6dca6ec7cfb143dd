from __future__ import annotations

from django.contrib import admin

from reminders.models import Outreach, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "state", "user", "due_at", "notify_at", "attempts"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "note", "user__email", "occurrence", "last_error"]
    date_hierarchy = "due_at"
    list_select_related = ["user"]
    raw_id_fields = ["user", "application", "interview", "contact", "trigger_outreach"]
    readonly_fields = ["occurrence", "created_at", "updated_at", "lease_until", "attempts"]


@admin.register(Outreach)
class OutreachAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "direction", "channel", "user", "contact", "delivery"]
    list_filter = ["direction", "channel", "delivery", "call_outcome"]
    search_fields = ["subject", "body", "user__email", "contact__name", "esp_message_id"]
    date_hierarchy = "occurred_at"
    list_select_related = ["user", "contact"]
    raw_id_fields = ["user", "application", "contact", "reminder"]
    readonly_fields = ["esp_message_id", "created_at"]
