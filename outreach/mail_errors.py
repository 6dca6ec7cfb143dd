"""What a failed send means, for SMTP and for anymail's ESPs alike, in one place.

The reminder sweep and the delivery of drafts ask the same two questions of an error:

- :func:`classify`: what to do next. TEMPORARY: the same message may go through later (a
  4xx SMTP reply at any stage, 451 greylisting included; a timeout; a refused or dropped
  connection; an ESP's 5xx, 408 or 429). PERMANENT: this message to this recipient will never
  go through (a 5xx for the recipient, an address the ESP rejects). CONFIGURATION: nothing
  will go through for anyone until the operator fixes the settings (SMTP 530/535, an ESP's
  401/403, a missing credential), so retrying each message on its own would only burn
  attempts.
- :func:`certainly_not_sent`: whether the message surely did not leave. Email to an
  interviewer is at-most-once, so anything else must be shown to the user as uncertain.

It lives in ``outreach`` because both ``outreach`` and ``reminders`` (above it) use it.
"""

from __future__ import annotations

import smtplib
import socket
from enum import StrEnum

from anymail.exceptions import (
    AnymailAPIError,
    AnymailConfigurationError,
    AnymailError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
)
from django.core.exceptions import ImproperlyConfigured

try:
    import requests
except ImportError:  # pragma: no cover - anymail's HTTP backends need it
    requests = None


class MailErrorKind(StrEnum):
    TEMPORARY = "temporary"
    PERMANENT = "permanent"
    CONFIGURATION = "configuration"


# SMTP replies that say the server will not take mail from us as configured: 530
# "authentication required", 535 "credentials invalid", 534 "mechanism too weak".
_SMTP_CONFIGURATION_CODES = frozenset({530, 534, 535})
# ESP API answers that say our credentials or account are wrong.
_HTTP_CONFIGURATION_STATUSES = frozenset({401, 403})
# ESP API answers that mean "not now": a timeout and rate limiting; every 5xx too.
_HTTP_TEMPORARY_STATUSES = frozenset({408, 425, 429})

# Errors after which the message certainly did not leave: the send may be retried.
_DEFINITE_SMTP_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPNotSupportedError,
    ConnectionRefusedError,
    socket.gaierror,
)
# ESP answers that may hide an accepted message (a gateway gave up waiting for the ESP).
_UNCERTAIN_HTTP_STATUSES = frozenset({502, 504})


def _smtp_code_kind(code: int) -> MailErrorKind:
    if code in _SMTP_CONFIGURATION_CODES:
        return MailErrorKind.CONFIGURATION
    if 400 <= code < 500:
        return MailErrorKind.TEMPORARY
    return MailErrorKind.PERMANENT


def classify(error: BaseException) -> MailErrorKind:
    """TEMPORARY, PERMANENT or CONFIGURATION: see the module docstring."""
    if isinstance(error, AnymailConfigurationError | ImproperlyConfigured):
        return MailErrorKind.CONFIGURATION
    if isinstance(error, AnymailRecipientsRefused | AnymailInvalidAddress):
        return MailErrorKind.PERMANENT
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        if status is None or status >= 500 or status in _HTTP_TEMPORARY_STATUSES:
            return MailErrorKind.TEMPORARY  # no answer, a server error, or "slow down"
        if status in _HTTP_CONFIGURATION_STATUSES:
            return MailErrorKind.CONFIGURATION
        return MailErrorKind.PERMANENT
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # Every recipient was refused; smtplib keeps each one's reply. Greylisting answers
        # 4xx here, and a message is only lost for good if some refusal is permanent.
        kinds = {_smtp_code_kind(code) for code, _ in error.recipients.values()}
        for kind in (MailErrorKind.CONFIGURATION, MailErrorKind.PERMANENT):
            if kind in kinds:
                return kind
        return MailErrorKind.TEMPORARY
    if isinstance(error, smtplib.SMTPResponseException):
        # MAIL FROM (SMTPSenderRefused), DATA, HELO and AUTH replies all carry a code.
        return _smtp_code_kind(error.smtp_code)
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return MailErrorKind.TEMPORARY
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return MailErrorKind.CONFIGURATION  # e.g. STARTTLS or AUTH asked of a server without it
    if isinstance(error, OSError):
        return MailErrorKind.TEMPORARY  # refused, reset, unreachable, timed out
    if requests is not None and isinstance(error, requests.RequestException):
        return MailErrorKind.TEMPORARY
    if isinstance(error, AnymailError):
        return MailErrorKind.PERMANENT  # anymail refused this message before sending it
    return MailErrorKind.PERMANENT


def certainly_not_sent(error: BaseException) -> bool:
    """True when the message surely did not leave; False when it may have."""
    if isinstance(error, AnymailRecipientsRefused | AnymailConfigurationError):
        return True
    if requests is not None and isinstance(error, requests.ConnectTimeout):
        return True  # no connection was made: nothing was sent
    if isinstance(error, AnymailAPIError) and error.status_code is not None:
        # The ESP answered: it refused, unless a gateway answered for it.
        return error.status_code not in _UNCERTAIN_HTTP_STATUSES
    if requests is not None and isinstance(error, requests.RequestException):
        return False  # timed out or dropped after the request went out
    if isinstance(error, AnymailError) and not isinstance(error, AnymailAPIError):
        return True  # refused by anymail before anything was sent
    return isinstance(error, _DEFINITE_SMTP_ERRORS)
