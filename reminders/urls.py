from __future__ import annotations

from django.urls import URLPattern, path
from django.views.generic import RedirectView

from reminders import email_actions, views


def _moved(old: str, name: str) -> URLPattern:
    """A permanent redirect from a page's old address under /tasks/ to /outreach/.

    Links to these pages may sit in emails and bookmarks; GET keeps its query string.
    """
    return path(
        old,
        RedirectView.as_view(pattern_name=f"outreach:{name}", permanent=True, query_string=True),
        name=f"moved_{name}",
    )


app_name = "reminders"
urlpatterns: list = [
    path("", views.task_list, name="task_list"),
    path("new/", views.task_create, name="task_create"),
    path("<int:pk>/", views.task_detail, name="task_detail"),
    path("<int:pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/snooze/", views.task_snooze, name="task_snooze"),
    path("<int:pk>/skip/", views.task_skip, name="task_skip"),
    path(
        "compose/reminder/<int:reminder_pk>/",
        views.compose_for_reminder,
        name="compose_for_reminder",
    ),
    path("calls/<int:reminder_pk>/", views.call_for_reminder, name="call_for_reminder"),
    path("applications/<int:app_pk>/outreach/", views.outreach_log, name="outreach_log"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("act/<str:token>/", email_actions.email_action, name="email_action"),
    # The composer, drafts and templates moved to /outreach/.
    _moved("compose/interview/<int:interview_pk>/", "compose_for_interview"),
    _moved("compose/contact/<int:contact_pk>/", "compose_for_contact"),
    _moved("drafts/<int:pk>/", "draft_edit"),
    _moved("drafts/<int:pk>/draft.eml", "draft_eml"),
    _moved("templates/", "template_list"),
    _moved("templates/<int:pk>/", "template_edit"),
]
