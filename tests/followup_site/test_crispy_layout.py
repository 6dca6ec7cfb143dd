"""The layout objects drawn in Python give the markup crispy-bootstrap5's templates give."""

from __future__ import annotations

import pytest
from crispy_forms import bootstrap
from crispy_forms import helper as crispy_helper
from crispy_forms import layout as crispy
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from crispy_forms.utils import render_crispy_form
from django import forms
from django.template import Context, Template
from django.test.html import parse_html

from followup_site import crispy_layout as python
from followup_site.widgets import Choices, LongSelect

ZONES = [("", "Pick one"), ("Europe", [("Europe/Berlin", "Berlin"), ("Europe/<x>", "Odd & <b>")])]


class EverythingForm(forms.Form):
    name = forms.CharField(label="Name <yours>", max_length=20, help_text="As <em>you</em> like.")
    email = forms.EmailField(required=False)
    site = forms.URLField(required=False, assume_scheme="https")
    count = forms.IntegerField(min_value=1, max_value=9, help_text="One to nine.")
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    at = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "placeholder": "One per line"})
    )
    kind = forms.ChoiceField(choices=[("a", "A & co"), ("b", "B")], required=False)
    zone = forms.ChoiceField(choices=ZONES, widget=LongSelect)
    shared = forms.ChoiceField(choices=Choices(ZONES), required=False)
    style = forms.ChoiceField(
        choices=[("first", "By first name"), ("formal", "Formally")],
        widget=forms.RadioSelect,
        help_text="How to greet them.",
    )
    agree = forms.BooleanField(label="I agree", help_text="Read it first.")
    password = forms.CharField(required=False, widget=forms.PasswordInput)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)
    locked = forms.CharField(required=False, disabled=True, initial="fixed")
    upload = forms.FileField(required=False)
    photo = forms.FileField(
        label="Photo <of the card>",
        help_text="On a phone this opens the <em>camera</em>.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "class": "narrow", "data-note": 'say "cheese" & <go>'}
        ),
    )
    when = forms.SplitDateTimeField(required=False)
    minutes = forms.IntegerField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") == "twice":
            self.add_error("name", "Not twice.")
            self.add_error("name", "Really <not>.")
            self.add_error(None, "Something about the whole form.")
        return cleaned


def layout_of(module, *, appended=True):
    """The same layout, of crispy's classes or of ours."""
    appended_text = (module.AppendedText if module is python else bootstrap.AppendedText)(
        "minutes", "minutes after it ends"
    )
    return module.Layout(
        module.Row(
            module.Column("name", css_class="col-md-6"),
            module.Column(module.Field("email", autocomplete="email"), css_class="mb-2"),
        ),
        module.Div(
            module.HTML('<h2 class="h6">Where &amp; when</h2>'),
            "site",
            module.Field("count", css_class="narrow", wrapper_class="tight"),
            css_class="border rounded",
            css_id="where",
        ),
        module.Fieldset("More", "day", "at", "notes", "kind", "zone", "shared"),
        module.Field("style"),
        "agree",
        "password",
        "secret",
        "locked",
        "upload",
        "photo",
        "when",
        *([appended_text] if appended else []),
    )


def helper_of(module, **options):
    helper = (python.FormHelper if module is python else crispy_helper.FormHelper)()
    helper.form_tag = False
    helper.layout = layout_of(module)
    for name, value in options.items():
        setattr(helper, name, value)
    return helper


def both(make_form, **options):
    ours = render_crispy_form(make_form(), helper_of(python, **options))
    theirs = render_crispy_form(make_form(), helper_of(crispy, **options))
    return ours, theirs


VALID = {
    "name": "Ana",
    "count": "3",
    "day": "2025-03-14",
    "at": "09:30",
    "notes": "first\nsecond <b>",
    "kind": "a",
    "zone": "Europe/<x>",
    "shared": "Europe/Berlin",
    "style": "formal",
    "agree": "on",
    "secret": "s3cret",
    "minutes": "30",
}
INVALID = {
    "name": "twice",
    "email": "not-an-email",
    "site": "no spaces please",
    "count": "99",
    "day": "31/02/2025",
    "at": "25:00",
    "kind": "c",
    "zone": "Mars/Base",
    "shared": "nowhere",
    "style": "rude",
    "minutes": "soon",
    "when_0": "2025-01-01",
}


@pytest.mark.parametrize(
    "make_form",
    [
        lambda: EverythingForm(),
        lambda: EverythingForm(initial={"name": "Ana", "zone": "Europe/Berlin", "kind": "b"}),
        lambda: EverythingForm(VALID),
        lambda: EverythingForm(INVALID),
        lambda: EverythingForm({}),
        lambda: EverythingForm(INVALID, prefix="card-2"),
        lambda: EverythingForm(INVALID, auto_id=False),
    ],
    ids=["empty", "initial", "valid", "invalid", "blank", "prefixed", "no-ids"],
)
def test_it_draws_what_crispys_templates_draw(make_form):
    ours, theirs = both(make_form)

    assert parse_html(ours) == parse_html(theirs)


class _StoredFile:
    """A file already uploaded, as a model's FileField gives it to a form."""

    url = "/media/card.jpg"
    name = "card <1>.jpg"

    def __str__(self) -> str:
        return self.name


class FileForm(forms.Form):
    card = forms.FileField(help_text="A photo.", required=False)
    locked = forms.FileField(disabled=True, required=False, widget=forms.FileInput)


@pytest.mark.parametrize(
    "make_form",
    [
        lambda: FileForm(),
        lambda: FileForm(initial={"card": _StoredFile()}),
        lambda: FileForm({}, {}),
    ],
    ids=["empty", "a-file-uploaded", "bound"],
)
def test_file_inputs_are_drawn_as_crispy_draws_them(make_form):
    def helper_for(module):
        helper = (python.FormHelper if module is python else crispy_helper.FormHelper)()
        helper.form_tag = False
        helper.layout = module.Layout("card", module.Field("locked"))
        return helper

    ours = render_crispy_form(make_form(), helper_for(python))
    theirs = render_crispy_form(make_form(), helper_for(crispy))
    assert parse_html(ours) == parse_html(theirs)


def test_errors_are_shown_escaped_and_tied_to_their_field():
    ours, theirs = both(lambda: EverythingForm(INVALID))

    assert parse_html(ours) == parse_html(theirs)
    assert 'aria-describedby="id_name_helptext id_name_error"' in ours
    assert '<span id="error_2_id_name"><strong>Really &lt;not&gt;.</strong></span>' in ours
    assert 'aria-invalid="true"' in ours
    assert "Something about the whole form." in ours
    assert ours.count('class="invalid-feedback"') == theirs.count('class="invalid-feedback"')


def test_hidden_errors_still_mark_the_fields_invalid():
    ours, theirs = both(lambda: EverythingForm(INVALID), form_show_errors=False)

    assert parse_html(ours) == parse_html(theirs)
    assert "is-invalid" in ours
    assert "Not twice." not in ours


@pytest.mark.parametrize(
    "options",
    [
        {"form_show_labels": False},
        {"label_class": "col-3", "field_class": "col-9", "form_class": "form-horizontal"},
        {"help_text_inline": True},
        {"error_text_inline": False},
        {"field_template": "bootstrap5/layout/inline_field.html"},
    ],
)
def test_other_helper_settings_go_through_crispys_templates(options):
    ours, theirs = both(lambda: EverythingForm(INVALID), **options)

    assert parse_html(ours) == parse_html(theirs)


def test_fields_left_out_of_the_layout_are_drawn_too():
    def helper(module):
        made = helper_of(module)
        made.layout = module.Layout("name", "agree")
        made.render_unmentioned_fields = True
        return made

    ours = render_crispy_form(EverythingForm(INVALID), helper(python))
    theirs = render_crispy_form(EverythingForm(INVALID), helper(crispy))

    assert parse_html(ours) == parse_html(theirs)
    assert 'name="minutes"' in ours


def test_a_form_with_error_and_required_classes_keeps_them():
    class Marked(EverythingForm):
        error_css_class = "has-error"
        required_css_class = "is-required"

    ours, theirs = both(lambda: Marked(INVALID))

    assert parse_html(ours) == parse_html(theirs)
    assert "is-required" in ours


@pytest.mark.parametrize("data", [None, VALID, INVALID])
@pytest.mark.parametrize("name", ["name", "count", "notes", "zone", "style", "agree", "when"])
def test_a_field_on_its_own_is_drawn_as_as_crispy_field_draws_it(data, name):
    form = EverythingForm(data)
    form.helper = helper_of(python)

    assert parse_html(python.crispy_field_html(form[name])) == parse_html(
        as_crispy_field(form[name])
    )


@pytest.mark.parametrize("data", [None, {"cards-TOTAL_FORMS": "x", "cards-INITIAL_FORMS": "0"}])
def test_a_management_form_is_drawn_as_django_draws_it(data):
    formset = forms.formset_factory(EverythingForm)(data, prefix="cards")

    ours = python.hidden_form_html(formset.management_form)

    assert parse_html(ours) == parse_html(str(formset.management_form))
    assert 'name="cards-TOTAL_FORMS"' in ours


class _Hostile(forms.Form):
    """A form whose every text around its fields is hostile: the wrapper must escape it."""

    name = forms.CharField(widget=forms.TextInput(attrs={"class": "x"}))

    class Media:
        js = ("js/<odd>.js",)

    def clean(self):
        raise forms.ValidationError("Whole form: <script>alert(\"x\")</script> & 'quotes'")


def _wrapped(data=None, *, form_type=EverythingForm, **options):
    """A form with a helper of ours, as ``{% crispy %}`` and ``{% python_crispy %}`` draw it."""

    def drawn(tag):
        form = form_type(data)
        form.helper = helper_of(python, **options)
        form.helper.add_input(crispy.Submit("save", 'Save "it" <now>', css_class="wide"))
        form.helper.add_input(crispy.Submit("two words", "Go", css_id="go-<1>", data_x="a&b"))
        template = Template("{% load crispy_forms_tags python_forms %}{% " + tag + " form %}")
        return template.render(Context({"form": form, "csrf_token": 'tok"en<'}))

    return drawn("python_crispy"), drawn("crispy")


@pytest.mark.parametrize("data", [None, VALID, INVALID])
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"form_method": "get"},
        {"disable_csrf": True},
        {"include_media": False},
        {"form_show_errors": False},
        {"form_error_title": "Fix <these> & 'those'"},
        {"label_class": "col-3", "field_class": "col-<9>", "form_class": "form-horizontal"},
        {"form_tag": True, "form_id": "whole"},
        {
            "form_tag": True,
            "form_method": "get",
            "disable_csrf": True,
            "form_class": "search <form>",
            "form_action": "/search/?a=1&b=<2>",
            "attrs": {"data-odd": '"x" & <y>'},
        },
    ],
)
def test_python_crispy_writes_what_the_crispy_tag_writes(data, options):
    ours, theirs = _wrapped(data, **options)

    assert ours == theirs


def test_python_crispy_escapes_the_text_around_the_fields():
    ours, theirs = _wrapped(
        {"name": "<b>"},
        form_type=_Hostile,
        layout=python.Layout("name"),
        form_error_title="<script>t</script>",
    )

    assert ours == theirs
    assert "<script>" not in ours
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;" in ours
    assert 'value="Save &quot;it&quot; &lt;now&gt;"' in ours
    assert 'id="go-&lt;1&gt;"' in ours
    assert 'value="tok&quot;en&lt;"' in ours
    assert 'src="/static/js/%3Codd%3E.js"' in ours


def test_python_crispy_draws_a_missing_form_as_crispy_does():
    def drawn(tag):
        return Template(
            "{% load crispy_forms_tags python_forms %}{% " + tag + " nothing %}"
        ).render(Context({}))

    assert drawn("python_crispy") == drawn("crispy") == ""


def test_python_crispy_leaves_a_formset_to_crispy():
    formset = forms.formset_factory(EverythingForm)(prefix="cards")
    formset.helper = helper_of(python)

    def drawn(tag):
        template = Template("{% load crispy_forms_tags python_forms %}{% " + tag + " formset %}")
        return template.render(Context({"formset": formset}))

    assert drawn("python_crispy") == drawn("crispy")


@pytest.mark.parametrize(
    ("action", "expected"), [("", ""), ("dashboard", "/"), ("/elsewhere/?a=1", "/elsewhere/?a=1")]
)
def test_a_helpers_action_is_a_url_name_or_a_path_as_crispy_reads_it(action, expected):
    ours, theirs = python.FormHelper(), crispy_helper.FormHelper()
    ours.form_action = theirs.form_action = action

    assert ours.form_action == theirs.form_action == expected
    assert ours.get_attributes() == theirs.get_attributes()
