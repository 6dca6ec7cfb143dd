"""url_for_id gives exactly what reverse gives, under any script prefix."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from followup_site.row_urls import id_url_maker, url_for_id

ROUTES = [
    "application_detail",
    "reminders:task_detail",
    "reminders:task_done",
    "reminders:task_snooze",
    "reminders:task_skip",
    "interviews:contact_detail",
    "interviews:interview_detail",
]


@pytest.fixture
def prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("pk", [1, 7, 42, 1234567, 987654321, 10**17])
def test_it_matches_reverse(name, pk):
    assert url_for_id(name, pk) == reverse(name, args=[pk])


@pytest.mark.parametrize("name", ROUTES)
def test_it_follows_the_script_prefix(name, prefix):
    assert url_for_id(name, 5) == reverse(name, args=[5])
    prefix("/followup/")
    assert url_for_id(name, 5) == reverse(name, args=[5])
    assert url_for_id(name, 5).startswith("/followup/")


def test_the_template_tag_gives_the_same_link():
    html = Template("{% load row_links %}{% id_url 'reminders:task_done' task_id %}").render(
        Context({"task_id": 31})
    )

    assert html == reverse("reminders:task_done", args=[31])


@pytest.mark.parametrize("name", ROUTES)
def test_the_maker_matches_reverse_under_any_script_prefix(name, prefix):
    assert id_url_maker(name)(42) == reverse(name, args=[42])
    prefix("/followup/")
    assert id_url_maker(name)(42) == reverse(name, args=[42])
