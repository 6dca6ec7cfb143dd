from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import data_views, views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("verify/resend/", views.verification_resend, name="verification_resend"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/replace/<str:token>/", views.token_rotate, name="token_rotate"),
    path("settings/export/", data_views.data_export_start, name="data_export_start"),
    path("settings/export/status/", data_views.data_export_status, name="data_export_status"),
    path(
        "settings/export/<int:pk>/download/",
        data_views.data_export_download,
        name="data_export_download",
    ),
    path("settings/delete/", data_views.account_delete_confirm, name="delete_confirm"),
    path("settings/delete/confirm/", data_views.account_delete_view, name="delete"),
    path("goodbye/", data_views.goodbye, name="goodbye"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
