from __future__ import annotations

from django.urls import include, path

from reminders import email_actions, views

app_name = "reminders"
urlpatterns: list = [
    path("", views.task_list, name="task_list"),
    path("new/", views.task_create, name="task_create"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/snooze/", views.task_snooze, name="task_snooze"),
    path("<int:pk>/skip/", views.task_skip, name="task_skip"),
    path("applications/<int:app_pk>/outreach/", views.outreach_log, name="outreach_log"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("", include("reminders.urls_compose")),
    path("act/<str:token>/", email_actions.email_action, name="email_action"),
]
