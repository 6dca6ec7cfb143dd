from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from followup_site.celery import app as celery_app
from reminders.models import Heartbeat
from reminders.services.mail_pause import PAUSE_MARK as MAIL_PAUSE_MARK


def _check_database() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": True}


def _check_broker() -> dict[str, object]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return {"ok": False, "error": str(exc)}
    return {"ok": True}


def _check_beat() -> dict[str, object]:
    try:
        tick = Heartbeat.objects.filter(name="beat").values_list("at", flat=True).first()
    except Exception as exc:
        return {"ok": False, "error": str(exc), "last_tick": None}
    if tick is None:
        return {"ok": False, "error": "beat has not ticked yet", "last_tick": None}
    age = (timezone.now() - tick).total_seconds()
    ok = age <= settings.BEAT_STALE_AFTER_SECONDS
    result: dict[str, object] = {"ok": ok, "last_tick": tick.isoformat(), "age_seconds": int(age)}
    if not ok:
        result["error"] = f"last beat tick was {int(age)} s ago"
    return result


def _check_mail() -> dict[str, object]:
    """Fails while sending is paused for everyone because the mail settings are broken."""
    try:
        pause = Heartbeat.objects.filter(name=MAIL_PAUSE_MARK).first()
    except Exception as exc:
        return {"ok": False, "error": str(exc)}
    if pause is None:
        return {"ok": True}
    return {
        "ok": False,
        "paused_since": pause.at.isoformat(),
        "error": (
            f"Sending email is paused: the mail service refused our credentials or settings "
            f"({pause.detail}). Fix the EMAIL_* or ANYMAIL_* settings; sending resumes by "
            f"itself after the next successful attempt."
        ),
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report the database, the broker, beat and mail; 503 when any of them is down."""
    checks = {
        "database": _check_database(),
        "broker": _check_broker(),
        "beat": _check_beat(),
        "mail": _check_mail(),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)
