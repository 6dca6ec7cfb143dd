from __future__ import annotations

from django.contrib import admin

from interviews.models import Application, Company, Contact, Interview, Invitation, Note


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "website", "created_at"]
    search_fields = ["name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["role", "company", "user", "stage", "closed_reason", "applied_on", "updated_at"]
    list_filter = ["stage", "closed_reason"]
    search_fields = ["role", "company__name", "user__email"]
    list_select_related = ["company", "user"]
    raw_id_fields = ["user", "company"]
    date_hierarchy = "created_at"


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "company", "email", "user"]
    search_fields = ["name", "email", "company__name", "user__email"]
    list_select_related = ["company", "user"]
    raw_id_fields = ["user", "company"]


class NoteInline(admin.TabularInline):
    model = Note
    extra = 0
    raw_id_fields = ["contact"]
    fields = ["kind", "contact", "text", "link", "follow_up_not_before"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["application", "starts_at", "ends_at", "timezone", "format"]
    list_filter = ["format"]
    search_fields = ["application__role", "application__company__name", "application__user__email"]
    list_select_related = ["application__company"]
    raw_id_fields = ["application", "interviewers"]
    date_hierarchy = "starts_at"
    inlines = [NoteInline]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["kind", "text", "contact", "interview", "follow_up_not_before"]
    list_filter = ["kind"]
    search_fields = ["text", "contact__name", "interview__application__user__email"]
    list_select_related = ["contact", "interview__application__company"]
    raw_id_fields = ["interview", "contact"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Imported and forwarded calendar invitations, to answer "why did my invite not show up?"."""

    list_display = ["summary", "user", "state", "starts_at", "sequence", "received_at"]
    list_filter = ["state"]
    search_fields = ["summary", "uid", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "interview"]
    date_hierarchy = "received_at"
