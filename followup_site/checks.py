"""System checks that stop a deployment which would start but never deliver mail.

``migrate`` runs the system checks, and the compose web service migrates before gunicorn
starts, so a mail backend that cannot be built stops the release there, with the reason,
instead of failing one reminder at a time in the worker hours later.
"""

from __future__ import annotations

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection


@register("followup")
def mail_backend_check(app_configs, **kwargs) -> list[Error]:
    """EMAIL_BACKEND can be imported and built with the credentials it needs.

    Building a backend opens no connection; an anymail backend reads its ANYMAIL_* settings
    there and refuses to be built without its API key.
    """
    try:
        get_connection()
    except (ImportError, ImproperlyConfigured) as error:
        return [
            Error(
                f"The mail backend cannot be built: {error}",
                hint=(
                    "Set EMAIL_BACKEND to an importable backend and give an anymail backend "
                    "its ESP's ANYMAIL_* credentials (see README, Configuration)."
                ),
                id="followup.E001",
            )
        ]
    return []
