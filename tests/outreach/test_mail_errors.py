"""One classification of mail errors for SMTP and anymail's ESPs (outreach/mail_errors.py).

The exceptions are the ones smtplib and anymail raise; the sweep tests drive the same paths
end to end against a scripted SMTP server and a Postmark stand-in.
"""

from __future__ import annotations

import smtplib
import socket

import pytest
import requests
from anymail.exceptions import (
    AnymailAPIError,
    AnymailConfigurationError,
    AnymailInvalidAddress,
    AnymailRecipientsRefused,
    AnymailRequestsAPIError,
)

from outreach.mail_errors import MailErrorKind, certainly_not_sent, classify

TEMPORARY, PERMANENT, CONFIGURATION = (
    MailErrorKind.TEMPORARY,
    MailErrorKind.PERMANENT,
    MailErrorKind.CONFIGURATION,
)


@pytest.mark.parametrize(
    "error, kind",
    [
        # SMTP: 4xx at any stage is "not now"; greylisting answers 451 at RCPT.
        (smtplib.SMTPRecipientsRefused({"a@example.com": (451, b"Greylisted")}), TEMPORARY),
        (smtplib.SMTPSenderRefused(451, b"Try again later", "f@example.com"), TEMPORARY),
        (smtplib.SMTPDataError(452, b"Insufficient storage"), TEMPORARY),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), TEMPORARY),
        (smtplib.SMTPConnectError(421, b"Too many connections"), TEMPORARY),
        (ConnectionRefusedError(111, "Connection refused"), TEMPORARY),
        (TimeoutError("timed out"), TEMPORARY),
        (socket.gaierror(-3, "Temporary failure in name resolution"), TEMPORARY),
        # SMTP: 5xx for the recipient or the message is final for that message.
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"No such user")}), PERMANENT),
        (
            smtplib.SMTPRecipientsRefused(
                {"a@example.com": (451, b"Greylisted"), "b@example.com": (550, b"Unknown")}
            ),
            PERMANENT,
        ),
        (smtplib.SMTPDataError(554, b"Message rejected as spam"), PERMANENT),
        # SMTP: the server will not take mail from us as configured.
        (
            smtplib.SMTPAuthenticationError(535, b"Authentication credentials invalid"),
            CONFIGURATION,
        ),
        (
            smtplib.SMTPSenderRefused(530, b"Authentication required", "f@example.com"),
            CONFIGURATION,
        ),
        # ESPs: server errors, no answer, rate limits and timeouts are "not now".
        (AnymailAPIError("Internal error", status_code=500), TEMPORARY),
        (AnymailAPIError("Service unavailable", status_code=503), TEMPORARY),
        (AnymailAPIError("Too many requests", status_code=429), TEMPORARY),
        (AnymailAPIError("Request timeout", status_code=408), TEMPORARY),
        (AnymailRequestsAPIError("Connection refused"), TEMPORARY),
        (requests.ConnectionError("Connection refused"), TEMPORARY),
        # ESPs: a rejected recipient or message.
        (AnymailRecipientsRefused("Inactive recipient"), PERMANENT),
        (AnymailInvalidAddress("Invalid address 'nobody'"), PERMANENT),
        (AnymailAPIError("Unprocessable entity", status_code=422), PERMANENT),
        # ESPs: bad credentials or settings.
        (AnymailAPIError("Bad or missing Server API token", status_code=401), CONFIGURATION),
        (AnymailAPIError("Forbidden", status_code=403), CONFIGURATION),
        (AnymailConfigurationError("Missing POSTMARK_SERVER_TOKEN"), CONFIGURATION),
    ],
)
def test_each_error_is_classified_as_temporary_permanent_or_configuration(error, kind):
    assert classify(error) == kind


@pytest.mark.parametrize(
    "error, sure",
    [
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"No such user")}), True),
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (AnymailAPIError("Unprocessable entity", status_code=422), True),
        (AnymailRecipientsRefused("Inactive recipient"), True),
        (requests.ConnectTimeout("No connection"), True),
        # The request may have reached the ESP, or a gateway answered for it.
        (AnymailAPIError("Bad gateway", status_code=502), False),
        (AnymailAPIError("Gateway timeout", status_code=504), False),
        (requests.ReadTimeout("No answer"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
    ],
)
def test_a_message_is_certainly_not_sent_only_when_nothing_can_have_left(error, sure):
    assert certainly_not_sent(error) is sure
