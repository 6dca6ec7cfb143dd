"""``{% application_rows applications %}`` and ``{% stage_badge application %}``: the
applications list's rows and an application's stage badge, rendered in Python
(interviews/application_html.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from interviews import application_html
from interviews.models import Application

register = template.Library()


@register.simple_tag
def application_rows(applications: Iterable[Application]) -> SafeString:
    return application_html.application_rows_html(applications)


@register.simple_tag
def stage_badge(application: Application) -> SafeString:
    return application_html.stage_badge_html(application)
