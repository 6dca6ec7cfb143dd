"""The emails about the account itself: verifying the address, and a sign-up attempt.

Each function renders ``emails/<name>_subject.txt``, ``_body.txt`` and ``_body.html`` and
returns the message, unsent, like ``reminders.emails`` does for reminders.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User

# The captured-mail reader shows an unverified account only mail with this header, so the
# embedded mode can verify without a real inbox (and read nothing else).
PURPOSE_HEADER = "X-Followup-Purpose"
VERIFICATION_PURPOSE = "email-verification"


def _render(name: str, context: dict[str, object], *, to: str) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}_body.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string(f"emails/{name}_body.html", context), "text/html")
    return message


def verification_email(*, user: User, link: str, max_age_hours: int) -> EmailMultiAlternatives:
    message = _render(
        "verify_address",
        {"user": user, "link": link, "max_age_hours": max_age_hours},
        to=user.email,
    )
    message.extra_headers[PURPOSE_HEADER] = VERIFICATION_PURPOSE
    return message


def signup_attempt_email(*, user: User) -> EmailMultiAlternatives:
    """To the owner of an address someone just tried to sign up with."""
    return _render(
        "signup_attempt",
        {
            "user": user,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        },
        to=user.email,
    )
