"""Every URL of the project, sent malformed input, answers below 500.

The walk covers every pattern the resolver knows (the admin's included), as a signed-in
user with data behind every id and anonymously: each page is fetched, then sent junk in the
query string and in every field of its own forms (NUL bytes, years 0, 9999 and 99999, a
30 February, huge and negative numbers, very long and odd text). Run on SQLite and on
PostgreSQL: PostgreSQL refuses some values SQLite stores.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from interviews.models import Note
from outreach.models import Draft, MessageTemplate, Occasion
from reminders.links import reminder_action_token
from reminders.models import Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    NoteFactory,
    OutreachFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

JUNK = {
    "a NUL byte": "Ana\x00Ortiz",
    "year 0": "0000-01-01",
    "year 9999": "9999-12-31T23:59",
    "year 99999": "99999-01-01T10:00",
    "30 February": "2000-02-30",
    "a huge number": "9" * 40,
    "a negative number": "-1",
    "very long text": "x" * 2_500,
    "odd text": "\u202e\ufeff{{ your_email }}<script>%s%n</script>\U0001f600",
}
# Query parameters some page reads, besides the names of its own form fields.
QUERY_NAMES = [
    "next",
    "template",
    "contact",
    "application",
    "interview",
    "reminder",
    "page",
    "q",
    "state",
    "kind",
    "date",
    "occasion",
]
# Patterns that end the session or remove the data the others need: walked last.
LAST = ("logout", "delete", "close", "password_change", "token_rotate")
FIELD_NAME = re.compile(r'\sname="([^"]+)"')
# Fields that take a date, a time or a number: these also get junk inside an otherwise
# valid form, so that the junk reaches the code behind the form's own checks.
TYPED = {"date", "datetime-local", "time", "number"}
TYPED_NAME = re.compile(r"date|time|_at$|_on$|days|minutes|hour|delay|when|until")


class FormValues(HTMLParser):
    """The values a page's forms would post as they stand, and which fields are typed."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.typed: set[str] = set()
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.values.setdefault(name, a.get("value", ""))
            if a.get("type") in TYPED or TYPED_NAME.search(name):
                self.typed.add(name)
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, "")
        elif tag == "select" and name:
            self._select = name
            if TYPED_NAME.search(name):
                self.typed.add(name)
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.values)
        ):
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def walk(resolver=None, prefix: str = ""):
    """(route, pattern) for every URL pattern, includes flattened."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def fill(route: str, value_for) -> str:
    """A concrete path for a route: each <converter:name> replaced, regex routes simplified."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value_for(m.group(1), "str"), route)
    route = re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: value_for(m.group(2), m.group(1) or "str"), route
    )
    return "/" + re.sub(r"\([^)]*\)\??", "", route)


@pytest.fixture(autouse=True)
def _postmark_webhooks(settings, mount_esp):
    """Walk the webhook routes too, as an instance sending through Postmark mounts them."""
    settings.ANYMAIL = {"WEBHOOK_SECRET": "postmark:walk-secret-0c1d"}
    mount_esp("postmark")


@pytest.fixture
def seeker():
    """A user with one of everything, so that every id in a URL can name something real."""
    user = UserFactory()
    application = ApplicationFactory(user=user)
    contact = ContactFactory(user=user, company=application.company)
    interview = InterviewFactory(
        application=application,
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=2),
    )
    interview.interviewers.add(contact)
    note = NoteFactory(interview=interview, contact=contact, kind=Note.Kind.TOPIC, text="Sharding")
    reminder = ReminderFactory(
        user=user,
        application=application,
        contact=contact,
        interview=interview,
        kind=Reminder.Kind.THANK_YOU,
    )
    call = ReminderFactory(
        user=user, application=application, contact=contact, kind=Reminder.Kind.PHONE_CALL
    )
    draft = Draft.objects.create(
        user=user,
        application=application,
        contact=contact,
        occasion=Occasion.THANK_YOU,
        subject="Thanks",
        body="Hi",
    )
    template = MessageTemplate.objects.create(
        user=user, name="Mine", occasion=Occasion.THANK_YOU, subject="Hi", body="Hello"
    )
    outreach = OutreachFactory(user=user, application=application, contact=contact)
    ids = sorted(
        {
            o.pk
            for o in (
                application,
                contact,
                interview,
                note,
                reminder,
                call,
                draft,
                template,
                outreach,
            )
        }
    )
    strings = {
        "token": user.calendar_token,
        "message_id": "m-1",
        "uidb64": "MQ",
    }
    action = reminder_action_token(reminder=reminder, action="snooze_day")
    return user, ids, strings, action


def concrete_paths(route: str, ids: list[int], strings: dict[str, str], action: str) -> list[str]:
    """Real paths for a route: one per candidate id, and the junk ones for its arguments."""
    if "<" not in route and "(?P" not in route:
        return [fill(route, None)]

    def plain(name: str, kind: str, pk: int) -> str:
        if kind in ("int", "path") or name.endswith("pk") or name == "pk":
            return str(pk) if kind == "int" else "1"
        if route.startswith("tasks/act/"):
            return action
        return strings.get(name, "x")

    paths = [fill(route, lambda n, k, pk=pk: plain(n, k, pk)) for pk in ids]
    paths.append(fill(route, lambda n, k: "9" * 30 if k == "int" else quote("a\x00b")))
    paths.append(fill(route, lambda n, k: "0" if k == "int" else quote("\u202e" + "y" * 300)))
    return list(dict.fromkeys(paths))


def probe(client: Client, failures: list, method: str, path: str, **kwargs):
    response = getattr(client, method)(path, **kwargs)
    # /healthz answers 503 when beat has not ticked, as here: that is its job.
    if response.status_code >= 500 and not path.startswith("/healthz"):
        failures.append(
            (method.upper(), path[:120], str(kwargs.get("data", ""))[:80], response.status_code)
        )
    return response


def send_junk(client: Client, failures: list, path: str, page: str, kinds) -> bool:
    """Junk in the query string, in every field, and in the typed fields of a valid form."""
    names = sorted(set(FIELD_NAME.findall(page)) - {"csrfmiddlewaretoken"})
    form_values = FormValues()
    form_values.feed(page)
    valid = {k: v for k, v in form_values.values.items() if k != "csrfmiddlewaretoken"}
    for label in kinds:
        junk = JUNK[label]
        query = dict.fromkeys(QUERY_NAMES + names, junk[:2000])
        probe(client, failures, "get", f"{path}?{urlencode(query)}")
        form = dict.fromkeys(names or ["name"], junk)
        probe(client, failures, "post", path, data=form)
        if form_values.typed:
            probe(
                client, failures, "post", path, data=valid | dict.fromkeys(form_values.typed, junk)
            )
        if label == "a NUL byte":
            probe(client, failures, "post", path, data=form, content_type="application/json")
    return bool(form_values.typed)


def walk_with_junk(client: Client, ids, strings, action) -> list:
    """1. Fetch each concrete path. 2. Where it shows a page (not a 404, not the log-in
    redirect), send every kind of junk to its query string and to its form fields.
    3. Elsewhere send only the NUL byte: what answers there is the log-in check or the 404.
    """
    failures: list = []
    typed_forms: list[str] = []
    routes = sorted(walk(), key=lambda item: any(word in (item[1].name or "") for word in LAST))
    for route, _pattern in routes:
        for path in concrete_paths(route, ids, strings, action):
            response = probe(client, failures, "get", path)
            turned_away = response.status_code == 404 or (
                response.status_code == 302 and "login" in response.get("Location", "")
            )
            page = ""
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                page = response.content.decode(errors="replace")
            if send_junk(client, failures, path, page, ["a NUL byte"] if turned_away else JUNK):
                typed_forms.append(path)
    return failures, typed_forms


def test_every_url_answers_junk_below_500_when_signed_in(seeker):
    user, ids, strings, action = seeker
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    failures, typed_forms = walk_with_junk(client, ids, strings, action)
    assert failures == [], "\n".join(map(str, failures))
    # The forms with dates and numbers were reached and filled, not just their log-in page.
    for form in ("/tasks/new/", "/applications/new/", "/accounts/settings/"):
        assert form in typed_forms


def test_every_url_answers_junk_below_500_anonymously(seeker):
    _, ids, strings, action = seeker
    client = Client(raise_request_exception=False)
    failures, _ = walk_with_junk(client, ids, strings, action)
    assert failures == [], "\n".join(map(str, failures))
