from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from followup_site import views
from followup_site.esp_webhooks import webhook_urlpatterns
from outreach.views import stats as stats_views
from reminders import search_views
from reminders import views as reminder_views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Only the inbound and tracking webhooks of the ESP that sends the mail, if any.
    path("anymail/", include((webhook_urlpatterns(esp=settings.WEBHOOK_ESP), "anymail"))),
    path("accounts/", include("accounts.urls")),
    path("tasks/", include("reminders.urls")),
    path("outreach/", include("outreach.urls")),
    # The two pages that show every app's data at once; reminders, on top, renders them.
    path("", reminder_views.dashboard, name="dashboard"),
    path("applications/<int:pk>/", reminder_views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/stage/",
        reminder_views.application_stage,
        name="application_stage",
    ),
    path("board/<str:stage>/", reminder_views.board_column, name="board_column"),
    path("search/", search_views.search, name="search"),
    path("stats/", stats_views.stats, name="stats"),
    path("", include("interviews.urls")),
]

if settings.MAIL_CAPTURE_ENABLED:
    urlpatterns.insert(0, path("mail/", include("followup_site.mailbox_urls")))
