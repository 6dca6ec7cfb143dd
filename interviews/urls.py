from __future__ import annotations

from django.urls import path

from interviews import card_views, contact_views, invitation_views, spreadsheet_views, views

app_name = "interviews"
urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/import/", spreadsheet_views.import_upload, name="import_upload"),
    path(
        "applications/export.csv", spreadsheet_views.applications_export, name="applications_export"
    ),
    path("imports/<int:pk>/", spreadsheet_views.import_status, name="import_status"),
    path("imports/<int:pk>/columns/", spreadsheet_views.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/preview/", spreadsheet_views.import_preview, name="import_preview"),
    path("imports/<int:pk>/progress/", spreadsheet_views.import_progress, name="import_progress"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/delete/", views.application_delete, name="application_delete"),
    path("applications/<int:pk>/close/", views.application_close, name="application_close"),
    path("applications/<int:pk>/reopen/", views.application_reopen, name="application_reopen"),
    path("applications/<int:pk>/interviews/new/", views.interview_log, name="interview_log"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/delete/", views.interview_delete, name="interview_delete"),
    path("invitations/", invitation_views.invitation_import, name="invitation_import"),
    path("invitations/confirm/", invitation_views.invitation_confirm, name="invitation_confirm"),
    path("invitations/<int:pk>/", invitation_views.invitation_waiting, name="invitation_waiting"),
    path(
        "invitations/<int:pk>/dismiss/",
        invitation_views.invitation_dismiss,
        name="invitation_dismiss",
    ),
    path("notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path("contacts/", contact_views.contact_list, name="contact_list"),
    path("contacts/new/", contact_views.contact_create, name="contact_create"),
    path("contacts/from-card/", card_views.contact_from_card, name="contact_from_card"),
    path("contacts/import/", card_views.contact_import, name="contact_import"),
    path(
        "contacts/import/confirm/",
        card_views.contact_import_confirm,
        name="contact_import_confirm",
    ),
    path("contacts/export.vcf", card_views.contact_vcards, name="contact_vcards"),
    path("contacts/<int:pk>/vcard/", card_views.contact_vcard, name="contact_vcard"),
    path("contacts/export.csv", spreadsheet_views.contacts_export, name="contacts_export"),
    path("contacts/<int:pk>/", contact_views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", contact_views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", contact_views.contact_delete, name="contact_delete"),
]
