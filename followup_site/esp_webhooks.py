"""The ESP webhooks this instance mounts: only those of the ESP that sends its mail.

anymail's own URLconf mounts every ESP it knows, each an anonymous endpoint; an instance
that sends through Postmark has no use for the other dozen, and several of them answered
junk with a server error. So ``webhook_urlpatterns`` keeps the configured ESP's routes only
(settings.WEBHOOK_ESP, from EMAIL_BACKEND), and wraps each view so that a post it cannot
read answers 400 with the reason: a failed signature or basic auth, an empty or malformed
body, the wrong content type. Errors in our own handling of a well-formed event still
answer 500, which ESPs take as "retry later".
"""

from __future__ import annotations

import copy
import logging

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailWebhookValidationFailure
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import URLPattern

logger = logging.getLogger(__name__)


class MalformedWebhook(SuspiciousOperation):
    """The ESP's parser could not read the post: it is not a webhook we can act on."""


def _guarded(view_class: type) -> type:
    """A subclass of an anymail webhook view that answers 400 to posts it cannot read."""

    class Guarded(view_class):
        def run_validators(self, request: HttpRequest) -> None:
            try:
                super().run_validators(request)
            except (AnymailWebhookValidationFailure, ImproperlyConfigured):
                # A refused signature or secret says so itself; a missing setting or
                # package is the operator's to fix (500, and it is logged).
                raise
            except Exception as error:  # a signature check choking on a junk body
                logger.warning("Unverifiable %s webhook post", self.esp_name, exc_info=True)
                raise MalformedWebhook(
                    f"This {self.esp_name} webhook post could not be verified "
                    f"({type(error).__name__})."
                ) from error

        def parse_events(self, request: HttpRequest) -> list:
            try:
                # Some parsers are generators: read them whole while errors are still ours.
                return list(super().parse_events(request))
            # Junk can break a parser in any way at all, even as a "configuration error":
            # anymail says so when a post's record type does not belong at this URL.
            except Exception as error:
                logger.warning("Unreadable %s webhook post", self.esp_name, exc_info=True)
                raise MalformedWebhook(
                    f"This is not a {self.esp_name} webhook payload Followup can read "
                    f"({type(error).__name__})."
                ) from error

        def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            try:
                return super().post(request, *args, **kwargs)
            except (AnymailWebhookValidationFailure, MalformedWebhook) as error:
                return HttpResponseBadRequest(
                    f"{error}\n", content_type="text/plain; charset=utf-8"
                )

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{view_class.__name__}"
    return Guarded


def _esp_of(pattern: URLPattern) -> str:
    return str(pattern.pattern).removeprefix("^").split("/", 1)[0]


def webhook_urlpatterns(*, esp: str) -> list[URLPattern]:
    """The configured ESP's inbound and tracking routes, guarded; none for no ESP."""
    if not esp:
        return []
    patterns = []
    for pattern in anymail_urls.urlpatterns:
        if _esp_of(pattern) != esp:
            continue
        view_class = pattern.callback.view_class
        guarded = copy.copy(pattern)
        guarded.callback = _guarded(view_class).as_view(**pattern.callback.view_initkwargs)
        patterns.append(guarded)
    return patterns
