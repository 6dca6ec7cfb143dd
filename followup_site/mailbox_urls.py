from __future__ import annotations

from django.urls import path

from followup_site import mailbox

app_name = "mailbox"
urlpatterns = [
    path("", mailbox.mailbox_list, name="list"),
    path("<str:message_id>/", mailbox.mailbox_detail, name="detail"),
    path("<str:message_id>/html/", mailbox.mailbox_html, name="html"),
]
