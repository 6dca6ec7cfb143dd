"""The composer's pages, included into the reminders namespace (mounted at /tasks/)."""

from __future__ import annotations

from django.urls import path

from reminders import compose_views as views

urlpatterns = [
    path(
        "compose/reminder/<int:reminder_pk>/",
        views.compose_for_reminder,
        name="compose_for_reminder",
    ),
    path(
        "compose/interview/<int:interview_pk>/",
        views.compose_for_interview,
        name="compose_for_interview",
    ),
    path(
        "compose/contact/<int:contact_pk>/", views.compose_for_contact, name="compose_for_contact"
    ),
    path("drafts/<int:pk>/", views.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/uncertain/", views.draft_uncertain, name="draft_uncertain"),
    path("drafts/<int:pk>/draft.eml", views.draft_eml, name="draft_eml"),
    path("drafts/<int:pk>/delete/", views.draft_delete, name="draft_delete"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/copy/", views.template_copy, name="template_copy"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
    path("calls/<int:reminder_pk>/", views.call_for_reminder, name="call_for_reminder"),
]
