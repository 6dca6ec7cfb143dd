"""The interview form's blank cards (the spare card and the card template) drawn once and
re-prefixed ({% python_crispy_card %}): the page is the one drawn card by card, for the
log and edit pages, the "add another" path and a bound form with errors, whatever the
names of the people offered. A blank card drawn for an earlier page is taken again only
when it is drawn from the same parts (the people offered above all)."""

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
        patched.setattr(python_forms, "_blank_card_from_earlier", lambda card, formset: None)
        return _page(client, *request)


@pytest.fixture(autouse=True)
def _no_blank_cards_from_other_tests():
    python_forms._BLANK_CARDS.clear()
    yield
    python_forms._BLANK_CARDS.clear()


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


def _contact_options(html: str, prefix: str) -> list[str]:
    select = re.search(f'<select name="{prefix}-contact".*?</select>', html, re.S)
    assert select, prefix
    return re.findall(r"<option[^>]*>([^<]*)</option>", select[0])


@pytest.mark.parametrize("page", ["log", "edit"])
def test_a_blank_card_drawn_before_is_taken_again_as_drawn_anew(
    user, logged_in_client, monkeypatch, interview, page
):
    # Names that hold no prefix: every blank card after the first is re-prefixed.
    Contact.objects.filter(user=user).update(name="Plain Name")
    path = {
        "log": reverse("interviews:interview_log", args=[interview.application.pk]),
        "edit": reverse("interviews:interview_edit", args=[interview.pk]),
    }[page]
    first = _page(logged_in_client, "get", path)
    assert len(python_forms._BLANK_CARDS) == 1
    drawn = 0
    draw = python_forms._PythonCrispyFormNode.render

    def counting(node, context):
        nonlocal drawn
        drawn += 1
        return draw(node, context)

    with monkeypatch.context() as patched:
        patched.setattr(python_forms._PythonCrispyFormNode, "render", counting)
        again = _page(logged_in_client, "get", path)
    fresh = _card_by_card(monkeypatch, logged_in_client, "get", path)

    assert parse_html(again) == parse_html(first) == parse_html(fresh)
    # The interview form and the filled-in card (edit) only: no blank card drawn.
    assert drawn == {"log": 1, "edit": 2}[page]


def test_the_blank_card_offers_whoever_is_known_when_the_page_opens(
    user, logged_in_client, interview
):
    path = reverse("interviews:interview_edit", args=[interview.pk])
    company = interview.application.company
    before = _contact_options(_page(logged_in_client, "get", path), "interviewers-__prefix__")
    assert "Grace Hopper" not in before

    grace = ContactFactory(user=user, company=company, name="Grace Hopper")
    added = _contact_options(_page(logged_in_client, "get", path), "interviewers-__prefix__")
    Contact.objects.filter(pk=grace.pk).update(name="Grace B. Hopper")
    renamed = _contact_options(_page(logged_in_client, "get", path), "interviewers-__prefix__")
    Contact.objects.filter(user=user).exclude(pk__in=interview.interviewers.all()).delete()
    alone = _contact_options(_page(logged_in_client, "get", path), "interviewers-__prefix__")

    assert sorted(added) == sorted([*before, "Grace Hopper"])
    assert sorted(renamed) == sorted([*before, "Grace B. Hopper"])
    assert alone == [before[0], "Ana &lt;script&gt;&quot;&#x27;&amp;"]
    assert len(python_forms._BLANK_CARDS) == 4


def test_someone_elses_blank_card_is_never_shown(
    logged_in_client, interview, other_user, client_for
):
    theirs = InterviewFactory(application__user=other_user)
    recruiter = ContactFactory(
        user=other_user, company=theirs.application.company, name="Their Recruiter"
    )
    # One person on each interview: both pages draw the same blank card first (__prefix__).
    theirs.interviewers.set([recruiter])
    their_page = _page(
        client_for(other_user), "get", reverse("interviews:interview_edit", args=[theirs.pk])
    )
    my_page = _page(
        logged_in_client, "get", reverse("interviews:interview_edit", args=[interview.pk])
    )

    assert "Their Recruiter" in their_page
    assert "Their Recruiter" not in my_page
    assert len(python_forms._BLANK_CARDS) == 2


def test_blank_cards_kept_are_bounded(monkeypatch):
    from interviews.interview_forms import InterviewerForm, KnownContacts

    monkeypatch.setattr(python_forms, "BLANK_CARDS_KEPT", 3)
    keys = []
    for number in range(5):
        known = KnownContacts(contacts=[], queryset_maker=Contact.objects.none)
        card = InterviewerForm(known_contacts=known, prefix=f"interviewers-{number}")
        keys.append(python_forms._blank_card_key(card))
        card._blank_card_key = keys[-1]

        class Drawn:
            _blank_card_html = (card.prefix, f"<p>{number}</p>")
            _blank_fields = None

        python_forms._blank_card_keep(card, Drawn)

    assert len(set(keys)) == 5
    assert list(python_forms._BLANK_CARDS) == keys[2:]


def test_a_card_with_a_value_worked_out_when_drawn_is_drawn_each_time():
    import datetime

    from interviews.interview_forms import InterviewerForm, KnownContacts

    known = KnownContacts(contacts=[], queryset_maker=Contact.objects.none)
    card = InterviewerForm(known_contacts=known)
    assert python_forms._blank_card_key(card) is not None
    card.fields["follow_up_not_before"].initial = datetime.date.today
    assert python_forms._blank_card_key(card) is None
    card.fields["follow_up_not_before"].initial = None
    card.fields["topics"].widget.attrs["data-list"] = ["a", "b"]
    assert python_forms._blank_card_key(card) is None
