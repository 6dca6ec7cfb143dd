from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

# The links every page's layout shows (templates/base.html, includes/nav_items.html), by the
# name the templates read them under.
LAYOUT_ROUTES = {
    "dashboard": "dashboard",
    "login": "accounts:login",
    "logout": "accounts:logout",
    "settings": "accounts:settings",
    "tasks": "reminders:task_list",
    "drafts": "outreach:draft_list",
    "applications": "interviews:application_list",
    "contacts": "interviews:contact_list",
    "search": "search",
    "stats": "stats",
}


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "mail_capture_enabled": settings.MAIL_CAPTURE_ENABLED,
        "layout_urls": _layout_urls(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF),
    }


@lru_cache(maxsize=16)
def _layout_urls(prefix: str, urlconf: str) -> dict[str, str]:
    """The layout's links, reversed once per script prefix and URL configuration rather than
    a dozen resolver walks on every page."""
    return {name: reverse(route, urlconf=urlconf) for name, route in LAYOUT_ROUTES.items()}
