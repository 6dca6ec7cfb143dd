from __future__ import annotations

from django.contrib import admin

from reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "state", "user", "due_at", "notify_at", "attempts"]
    list_filter = ["kind", "state"]
    search_fields = [
        "custom_title",
        "note",
        "contact__name",
        "user__email",
        "occurrence",
        "last_error",
    ]
    date_hierarchy = "due_at"
    list_select_related = ["user"]
    raw_id_fields = ["user", "application", "interview", "contact", "trigger_outreach"]
    readonly_fields = ["occurrence", "created_at", "updated_at", "lease_until", "attempts"]
