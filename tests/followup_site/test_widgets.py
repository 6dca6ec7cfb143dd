"""The Python-rendered select gives the same markup as Django's own."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from followup_site.widgets import Choices, LongSelect

CHOICES = [
    ("", "Pick one"),
    ("Europe", [("Europe/Berlin", "Berlin (UTC+01:00)"), ("Europe/<x>", 'Odd "name" & <b>')]),
    ("UTC", "UTC"),
]


@pytest.mark.parametrize("value", ["Europe/Berlin", "Europe/<x>", "UTC", "", None, "unknown"])
def test_it_renders_what_djangos_select_renders(value):
    attrs = {"id": "id_zone", "class": "form-select", "required": True, "aria-describedby": "h"}

    ours = LongSelect(choices=CHOICES).render("zone", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("zone", value, attrs=attrs)

    assert parse_html(ours) == parse_html(django)


def test_values_and_labels_are_escaped():
    html = LongSelect(choices=CHOICES).render("zone", "Europe/<x>")

    assert "<b>" not in html
    assert '<option value="Europe/&lt;x&gt;" selected>Odd &quot;name&quot; &amp; &lt;b&gt;' in html


def test_a_settings_form_offers_every_zone_once(user):
    from accounts.forms import SettingsForm
    from accounts.selectors import known_timezones

    html = str(SettingsForm(instance=user)["timezone"])

    assert html.count("<option ") == len(known_timezones())
    assert f'<option value="{user.timezone}" selected>' in html


@pytest.mark.parametrize("value", ["Europe/Berlin", "Europe/<x>", "UTC", "", None, "unknown"])
def test_choices_built_once_render_what_djangos_select_renders(value):
    attrs = {"id": "id_zone", "class": "form-select"}
    choices = Choices([*CHOICES, ("UTC", "UTC again")])

    first = LongSelect(choices=choices).render("zone", value, attrs=attrs)
    again = LongSelect(choices=choices).render("zone", value, attrs=attrs)
    django = forms.Select(choices=[*CHOICES, ("UTC", "UTC again")]).render(
        "zone", value, attrs=attrs
    )

    assert parse_html(first) == parse_html(django)
    assert again == first


def test_forms_share_one_choice_list_instead_of_copying_it():
    class ZoneForm(forms.Form):
        zone = forms.ChoiceField(choices=Choices(CHOICES))

    one, two = ZoneForm(), ZoneForm({"zone": "Europe/Berlin"})

    assert one.fields["zone"].choices is two.fields["zone"].choices
    assert two.is_valid()
    assert not ZoneForm({"zone": "Mars/Base"}).is_valid()
