"""The interview form's blank cards (the spare card and the card template) drawn once and
re-prefixed ({% python_crispy_card %}): the page is the one drawn card by card, for the
log and edit pages, the "add another" path and a bound form with errors, whatever the
names of the people offered."""

from __future__ import annotations

import re

import pytest
from django.test.html import parse_html
from django.urls import reverse

from interviews.models import Contact
from interviews.templatetags import python_forms
from tests.factories import ContactFactory, InterviewFactory
from tests.interviews.test_views import interview_post

pytestmark = pytest.mark.django_db

# Names that hold a card's prefix, as text and as the start of an attribute would.
NAMES = [
    "Ana <script>\"'&",
    'interviewers-__prefix__-name "interviewers-1-name',
    "interviewers-1-",
]


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _page(client, method: str, path: str, data: dict | None = None) -> str:
    response = client.post(path, data) if method == "post" else client.get(path)
    assert response.status_code == 200
    return _without_csrf(response.content.decode())


def _card_by_card(monkeypatch, client, *request) -> str:
    with monkeypatch.context() as patched:
        patched.setattr(python_forms, "_reprefixed", lambda html, old, new: None)
        return _page(client, *request)


@pytest.fixture
def interview(user):
    interview = InterviewFactory(application__user=user)
    company = interview.application.company
    people = [ContactFactory(user=user, company=company, name=name) for name in NAMES]
    interview.interviewers.set(people[:1])
    return interview


@pytest.mark.parametrize("names", ["plain", "with prefixes"])
@pytest.mark.parametrize("page", ["log", "edit", "add another", "errors"])
def test_the_page_is_the_one_drawn_card_by_card(
    user, logged_in_client, monkeypatch, interview, page, names
):
    if names == "plain":
        Contact.objects.filter(user=user).update(name="Plain Name")
    log = reverse("interviews:interview_log", args=[interview.application.pk])
    request = {
        "log": ("get", log),
        "edit": ("get", reverse("interviews:interview_edit", args=[interview.pk])),
        "add another": ("post", log, interview_post(add_interviewer="1")),
        "errors": ("post", log, interview_post(**{"interviewers-0-name": ""}, end_time="09:00")),
    }[page]

    shared = _page(logged_in_client, *request)
    drawn = _card_by_card(monkeypatch, logged_in_client, *request)

    assert parse_html(shared) == parse_html(drawn)
    assert 'name="interviewers-__prefix__-name"' in shared
    if names != "plain":
        assert "Ana &lt;script&gt;&quot;&#x27;&amp;" in shared


def test_a_card_whose_prefix_shows_elsewhere_is_not_reprefixed():
    html = '<input name="interviewers-1-name" id="id_interviewers-1-name">'
    assert python_forms._reprefixed(html, "interviewers-1", "interviewers-2") == (
        '<input name="interviewers-2-name" id="id_interviewers-2-name">'
    )
    text = f"{html}<option>interviewers-1-name</option>"
    assert python_forms._reprefixed(text, "interviewers-1", "interviewers-2") is None


@pytest.mark.parametrize("names", ["plain", "with prefixes"])
def test_a_panel_of_four_is_drawn_as_card_by_card_copying_the_blank_cards_fields(
    user, logged_in_client, monkeypatch, names
):
    interview = InterviewFactory(application__user=user)
    company = interview.application.company
    people = [
        ContactFactory(user=user, company=company, name=f"{NAMES[number % 3]} {number}")
        for number in range(4)
    ]
    if names == "plain":
        Contact.objects.filter(user=user).update(name="Plain Name")
    Contact.objects.filter(pk=people[1].pk).update(
        honorific="Dr.<", given_name="Zoë", family_name='"Q"', salutation_style="formal"
    )
    interview.interviewers.set(people)
    request = ("get", reverse("interviews:interview_edit", args=[interview.pk]))
    copied = []
    reprefixed = python_forms._reprefixed

    def spy(html: str, old: str, new: str):
        again = reprefixed(html, old, new)
        copied.append((old, new, again is not None))
        return again

    with monkeypatch.context() as patched:
        patched.setattr(python_forms, "_reprefixed", spy)
        shared = _page(logged_in_client, *request)
    drawn = _card_by_card(monkeypatch, logged_in_client, *request)

    assert parse_html(shared) == parse_html(drawn)
    assert shared.count('class="card shadow-sm mb-3 interviewer-card"') == 6
    assert "Dear Dr.&lt; &quot;Q&quot;," in shared
    # The filled-in cards' empty boxes came from the blank card (drawn first, as __prefix__).
    from_blank = {new for old, new, done in copied if done and old.endswith("__prefix__")}
    assert {f"interviewers-{number}" for number in range(4)} <= from_blank


def test_a_card_with_its_own_choices_for_a_field_draws_it_itself():
    from interviews.interview_forms import InterviewerForm, KnownContacts, _same_field

    known = KnownContacts(contacts=[], queryset_maker=Contact.objects.none)
    blank, card = (InterviewerForm(known_contacts=known) for _ in range(2))
    assert _same_field(card.fields["topics"], blank.fields["topics"])
    assert _same_field(card.fields["contact"], blank.fields["contact"])
    card.fields["salutation_style"].choices = [("first_name", "By first name: “Hi Zoë,”")]
    assert not _same_field(card.fields["salutation_style"], blank.fields["salutation_style"])
    card.fields["topics"].label = "Other topics"
    assert not _same_field(card.fields["topics"], blank.fields["topics"])
