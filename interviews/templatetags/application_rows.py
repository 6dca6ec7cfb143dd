"""``{% application_rows applications %}``, ``{% stage_badge application %}`` and
``{% interview_timeline timeline now %}``: the applications list's rows, an application's
stage badge and its page's interviews, rendered in Python (interviews/application_html.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django import template
from django.utils.safestring import SafeString

from interviews import application_html
from interviews.list_query import ApplicationRow
from interviews.models import Application
from interviews.selectors import InterviewSummary

register = template.Library()


@register.simple_tag
def application_rows(applications: Iterable[Application | ApplicationRow]) -> SafeString:
    return application_html.application_rows_html(applications)


@register.simple_tag
def stage_badge(application: Application) -> SafeString:
    return application_html.stage_badge_html(application)


@register.simple_tag
def interview_timeline(timeline: Iterable[InterviewSummary], now: datetime) -> SafeString:
    return application_html.interview_timeline_html(timeline, now=now)
