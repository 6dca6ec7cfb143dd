"""Only the configured ESP's webhooks are mounted, and junk posted to them answers 4xx.

Each ESP's routes are mounted as EMAIL_BACKEND would mount them, then every mounted route is
posted junk over real HTTP to the live server.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from anymail import urls as anymail_urls
from django.urls import URLResolver, get_resolver

from outreach.models import WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SECRET = "anymail:a-long-webhook-secret-51d0"
# Every ESP anymail has webhooks for. Amazon SES needs boto3, which Followup does not
# install: that backend cannot send at all here, so it is not offered.
ESPS = sorted(
    {str(p.pattern).removeprefix("^").split("/", 1)[0] for p in anymail_urls.urlpatterns}
    - {"amazon_ses"}
)
# What each ESP's webhooks need besides the shared secret, as an operator would set it.
ESP_SETTINGS = {
    "brevo": {"BREVO_API_KEY": "brevo-key"},
    "sendinblue": {"SENDINBLUE_API_KEY": "sib-key"},
    "mailersend": {"MAILERSEND_INBOUND_SECRET": "in-secret", "MAILERSEND_SIGNING_SECRET": "s"},
    "mailgun": {"MAILGUN_WEBHOOK_SIGNING_KEY": "mailgun-signing-key"},
    "mailtrap": {"MAILTRAP_API_TOKEN": "mailtrap-token"},
    "mandrill": {"MANDRILL_WEBHOOK_KEY": "mandrill-key"},
    "postal": {"POSTAL_WEBHOOK_KEY": "dGVzdA=="},
    "resend": {"RESEND_API_KEY": "re_key"},
    "unisender_go": {"UNISENDER_GO_API_KEY": "unisender-key"},
}
# Posts no ESP could have sent: each answers 4xx with its reason.
JUNK = [
    ("empty body", b"", "application/json", SECRET),
    ("invalid JSON", b'{"RecordType": "Bounce",', "application/json", SECRET),
    ("wrong content type", b"hello there", "text/plain", SECRET),
    ("no auth", b"{}", "application/json", None),
    ("wrong auth", b"{}", "application/json", "anymail:wrong"),
]
# Well-formed posts of the wrong shape: some ESPs' parsers read these as "no event we track"
# (200, nothing recorded), others refuse them; none may answer 500.
ODD = [
    ("a JSON list", b"[1, 2, 3]", "application/json", SECRET),
    (
        "JSON of the wrong shape",
        b'{"RecordType": 5, "event": [], "type": {}}',
        "application/json",
        SECRET,
    ),
    ("a NUL byte", b'{"RecordType": "\\u0000"}', "application/json", SECRET),
    ("a form instead of JSON", b"event=bounce&id=1", "application/x-www-form-urlencoded", SECRET),
]


def mounted_webhook_routes() -> list[str]:
    routes = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == "anymail/":
            routes += [str(p.pattern) for p in entry.url_patterns]
    return routes


def post(url: str, body: bytes, content_type: str, auth: str | None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
    request.add_header("Content-Type", content_type)
    if auth is not None:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_without_an_esp_no_webhook_is_mounted(client, mount_esp):
    mount_esp("")
    assert mounted_webhook_routes() == []
    for esp in ESPS:
        assert client.post(f"/anymail/{esp}/tracking/", {}).status_code == 404


@pytest.mark.parametrize("esp", ESPS)
def test_only_the_configured_esps_routes_are_mounted(esp, mount_esp):
    mount_esp(esp)
    routes = mounted_webhook_routes()
    assert routes
    assert all(route.removeprefix("^").startswith(f"{esp}/") for route in routes)


@pytest.mark.parametrize(
    ("backend", "esp"),
    [
        ("anymail.backends.postmark.EmailBackend", "postmark"),
        ("anymail.backends.amazon_ses.EmailBackend", "amazon_ses"),
        ("django.core.mail.backends.smtp.EmailBackend", ""),
        ("followup_site.mailbox.CapturedMailBackend", ""),
    ],
)
def test_the_esp_comes_from_email_backend(backend, esp):
    """Read from the real settings module, in a process of its own, as a server starts."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(EMAIL_BACKEND=backend, DEBUG="true", DJANGO_SETTINGS_MODULE="followup_site.settings")
    code = "from django.conf import settings; print(repr(settings.WEBHOOK_ESP))"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == repr(esp)


@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailInsecureWebhookWarning")
@pytest.mark.parametrize("esp", ESPS)
def test_junk_posted_to_every_mounted_route_answers_4xx(esp, settings, live_server, mount_esp):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, **ESP_SETTINGS.get(esp, {})}
    mount_esp(esp)
    refused, odd = {}, {}
    for route in mounted_webhook_routes():
        path = route.removeprefix("^").removesuffix("$").replace("(_mime)?", "")
        url = live_server.url + "/anymail/" + path
        for name, body, content_type, auth in JUNK:
            status, text = post(url, body, content_type, auth)
            refused[(path, name)] = status
            if 400 <= status < 500:
                assert text.strip(), f"{path}, {name}: a 4xx with no reason"
        for name, body, content_type, auth in ODD:
            odd[(path, name)] = post(url, body, content_type, auth)[0]
    assert refused and odd
    assert {key: s for key, s in refused.items() if not 400 <= s < 500} == {}
    assert {key: s for key, s in odd.items() if s >= 500} == {}
    assert list(WebhookEvent.objects.values_list("esp", "event_id", "kind")) == []
