from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, keyed on the email address instead of a username."""

    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = ("email", "full_name", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "notification_mode")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "timezone", "country", "signature")}),
        (
            "Follow-up preferences",
            {
                "classes": ("collapse",),
                "fields": (
                    "notification_mode",
                    "thank_you_notify_delay_minutes",
                    ("quiet_hours_start", "quiet_hours_end"),
                    "digest_hour",
                    "call_after_business_days",
                    "checkin_interval_days",
                    "min_gap_days",
                    "checkin_min_gap_days",
                    "max_unanswered_outreaches",
                ),
            },
        ),
        (
            "Permissions",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
