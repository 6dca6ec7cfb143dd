"""followup_site.field_copies: a form's fields copied as ``copy.deepcopy`` copies them."""

from __future__ import annotations

import copy

from django import forms

from followup_site.field_copies import field_copy, quick_field_copies
from followup_site.widgets import Choices
from interviews.interview_forms import InterviewerForm, InterviewForm

SHARED = forms.TextInput(attrs={"class": "shared"})


class _Sample(forms.Form):
    text = forms.CharField(max_length=5, widget=forms.Textarea(attrs={"rows": 2}))
    day = forms.DateField(required=False)
    pick = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    long = forms.ChoiceField(choices=Choices([("x", "X")]))
    multi = forms.MultipleChoiceField(choices=[("a", "A")])
    split = forms.SplitDateTimeField(required=False)
    person = forms.ModelChoiceField(queryset=None, required=False, empty_label="No one")


def test_copies_equal_deepcopys_and_share_nothing_mutable():
    base = quick_field_copies(type("Quick", (_Sample,), {})).base_fields
    quick = copy.deepcopy(base)
    slow = copy.deepcopy(dict(_Sample.base_fields))
    assert type(quick) is dict
    assert list(quick) == list(slow)
    for name in slow:
        assert type(quick[name]) is type(slow[name])
        assert type(quick[name].widget) is type(slow[name].widget)
        original, clone = base[name], quick[name]
        assert clone is not original
        assert clone.widget is not original.widget
        assert clone.widget.attrs == original.widget.attrs
        assert clone.widget.attrs is not original.widget.attrs
        assert clone.error_messages == original.error_messages
        assert clone.error_messages is not original.error_messages
        assert clone.validators == original.validators
        assert clone.validators is not original.validators
        assert set(vars(clone)) == set(vars(slow[name]))
    assert list(quick["pick"].choices) == [("a", "A"), ("b", "B")]
    assert quick["pick"].choices is not base["pick"].choices
    assert quick["long"].choices is base["long"].choices  # immutable, shared as deepcopy does
    assert quick["person"].queryset is None
    assert quick["person"].empty_label == "No one"


def test_a_model_choice_field_with_a_queryset_gets_its_own_queryset_as_deepcopy_gives():
    from interviews.models import Contact

    queryset = Contact.objects.none()
    form_class = quick_field_copies(
        type("WithQuery", (forms.Form,), {"person": forms.ModelChoiceField(queryset=queryset)})
    )
    field = form_class.base_fields["person"]
    clone = copy.deepcopy(form_class.base_fields)["person"]
    assert clone is not field
    assert clone.queryset is not field.queryset
    assert clone.queryset.model is Contact
    assert clone.widget.choices.field is clone


def test_a_widget_two_fields_share_is_copied_once():
    first, second = forms.CharField(), forms.CharField()
    first.widget = second.widget = SHARED
    memo: dict = {}
    one, two = field_copy(first, memo), field_copy(second, memo)
    assert one.widget is two.widget
    assert one.widget is not SHARED
    one.widget.attrs["class"] = "changed"
    assert SHARED.attrs == {"class": "shared"}


def test_the_interview_forms_copy_their_fields_quickly_and_independently():
    for form_class in (InterviewForm, InterviewerForm):
        first, second = form_class(), form_class()
        for name, field in first.fields.items():
            assert field is not second.fields[name]
            assert field.widget is not second.fields[name].widget
            assert field.widget.attrs is not form_class.base_fields[name].widget.attrs
