from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"mail_capture_enabled": settings.MAIL_CAPTURE_ENABLED}
