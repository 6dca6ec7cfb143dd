"""The outreach pages, mounted at /outreach/: the composer, drafts and the user's templates."""

from __future__ import annotations

from django.urls import path

from outreach.views import compose, drafts, message_templates, replies, timeline_export

app_name = "outreach"
urlpatterns = [
    path(
        "compose/interview/<int:interview_pk>/",
        compose.compose_for_interview,
        name="compose_for_interview",
    ),
    path(
        "compose/contact/<int:contact_pk>/",
        compose.compose_for_contact,
        name="compose_for_contact",
    ),
    path("drafts/", drafts.draft_list, name="draft_list"),
    path("drafts/<int:pk>/", compose.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/uncertain/", compose.draft_uncertain, name="draft_uncertain"),
    path("drafts/<int:pk>/send-again/", compose.draft_send_again, name="draft_send_again"),
    path("drafts/<int:pk>/draft.eml", compose.draft_eml, name="draft_eml"),
    path("drafts/<int:pk>/delete/", compose.draft_delete, name="draft_delete"),
    path("replies/inactive/seen/", replies.inactive_replies_seen, name="inactive_replies_seen"),
    path("timeline.csv", timeline_export.timeline_export, name="timeline_export"),
    path("templates/", message_templates.template_list, name="template_list"),
    path("templates/copy/", message_templates.template_copy, name="template_copy"),
    path("templates/<int:pk>/", message_templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/delete/", message_templates.template_delete, name="template_delete"),
]
