"""quick_form_html (followup_site/blank_forms.py) writes what {% crispy form %} writes for a
blank form, up to whitespace runs, and leaves every other form to crispy."""

from __future__ import annotations

import re

import pytest
from crispy_forms.utils import render_crispy_form
from django.template import Context, Template

from followup_site.blank_forms import quick_form_html
from interviews.models import Contact
from outreach.forms import OUTREACH_FORMS, CallLogForm
from reminders.selectors import application_panel_context
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TOKEN = "a-csrf-token"


def _collapsed(html: str) -> str:
    return re.sub(r"\s+", " ", str(html)).strip()


def _crispy(form) -> str:
    return render_crispy_form(form, context={"csrf_token": TOKEN})


def _panel_forms():
    user = UserFactory()
    application = ApplicationFactory(user=user)
    interview = InterviewFactory(application=application)
    interview.interviewers.add(
        ContactFactory(user=user, company=application.company, name="Ana <Lima>", job_title="CTO")
    )
    ContactFactory(user=user, company=application.company, name="Bo & Co", job_title="")
    context = application_panel_context(user=user, application=application)
    return [context["sent_form"], context["call_form"], context["reply_form"]]


def test_the_panel_forms_come_out_as_crispy_writes_them():
    for form in _panel_forms():
        quick = quick_form_html(form, csrf_token=TOKEN)
        assert quick is not None
        assert _collapsed(quick) == _collapsed(_crispy(form))
        assert "Ana &lt;Lima&gt;, CTO" in quick


def test_a_form_with_its_own_form_tag_comes_out_as_crispy_writes_it():
    form = CallLogForm()
    assert _collapsed(quick_form_html(form, csrf_token=TOKEN)) == _collapsed(_crispy(form))


def test_a_bound_form_is_left_to_crispy_for_its_errors():
    form = OUTREACH_FORMS["sent"]({}, contacts=Contact.objects.none())
    assert not form.is_valid()
    assert quick_form_html(form, csrf_token=TOKEN) is None

    html = Template("{% load quick_forms %}{% quick_crispy form %}").render(
        Context({"form": form, "csrf_token": TOKEN})
    )
    assert "is-invalid" in html
    assert _collapsed(html) == _collapsed(_crispy(form))


def test_without_a_csrf_token_the_form_is_left_to_crispy():
    assert quick_form_html(CallLogForm(), csrf_token=None) is None
    html = Template("{% load quick_forms %}{% quick_crispy form %}").render(
        Context({"form": CallLogForm()})
    )
    assert 'name="outcome"' in html


def test_a_helper_with_its_own_classes_is_left_to_crispy():
    form = CallLogForm()
    form.helper.form_class = "row"
    assert quick_form_html(form, csrf_token=TOKEN) is None
