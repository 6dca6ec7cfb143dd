from __future__ import annotations

from django.contrib import admin

from outreach.models import Draft, MessageTemplate, Outreach, WebhookEvent


@admin.register(Outreach)
class OutreachAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "direction", "channel", "user", "contact", "delivery"]
    list_filter = ["direction", "channel", "delivery", "call_outcome"]
    search_fields = ["subject", "body", "user__email", "contact__name", "esp_message_id"]
    date_hierarchy = "occurred_at"
    list_select_related = ["user", "contact"]
    raw_id_fields = ["user", "application", "contact", "reminder"]
    readonly_fields = ["esp_message_id", "created_at"]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["subject", "occasion", "send_state", "user", "contact", "updated_at"]
    list_filter = ["occasion", "send_state"]
    search_fields = ["subject", "user__email", "contact__name"]
    list_select_related = ["user", "contact"]
    raw_id_fields = ["user", "application", "contact", "reminder", "interview", "outreach"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "occasion", "user", "updated_at"]
    list_filter = ["occasion"]
    search_fields = ["name", "user__email"]
    raw_id_fields = ["user"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "esp", "kind", "event_id"]
    list_filter = ["esp", "kind"]
    search_fields = ["event_id"]
    readonly_fields = ["esp", "event_id", "kind", "received_at"]
