"""Forms of the composer, the template editor and the call log."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from reminders.merge import FIELDS, merge_fields_unknown, one_line
from reminders.models import MessageTemplate, Outreach


def _braced(name: str) -> str:
    return "{{ " + name + " }}"


def _unknown_fields_error(*texts: str) -> str | None:
    unknown = list(dict.fromkeys(name for text in texts for name in merge_fields_unknown(text)))
    if not unknown:
        return None
    known = ", ".join(_braced(name) for name in FIELDS)
    return (
        "Unknown merge field: "
        + ", ".join(_braced(name) for name in unknown)
        + f". You can use: {known}."
    )


class DraftForm(forms.Form):
    """Subject and body of a draft; the buttons live in the page, next to the checklist."""

    subject = forms.CharField(max_length=300, required=False)
    body = forms.CharField(
        max_length=20000, widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true"})
    )
    template_key = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, is_card: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        if is_card:
            self.fields["subject"].widget = forms.HiddenInput()
            self.fields["body"].label = "Text for the card"
        else:
            self.fields["subject"].required = True

    def clean_subject(self) -> str:
        # Subjects are one line: a line break must never reach a header.
        return one_line(self.cleaned_data.get("subject", ""))

    def clean(self) -> dict:
        cleaned = super().clean()
        error = _unknown_fields_error(cleaned.get("subject", ""), cleaned.get("body", ""))
        if error:
            self.add_error("body", error)
        return cleaned


class _QuietSubmit(Submit):
    field_classes = "btn btn-outline-secondary"


class TemplatePickForm(forms.Form):
    """Choosing another template re-fills the draft; a GET, so nothing is saved until Save."""

    template = forms.ChoiceField(label="Template")

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = choices
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "template-pick"
        self.helper.add_input(_QuietSubmit("fill", "Fill from template"))


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["name", "occasion", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "body": "Merge fields are written like {{ first_name }}; they are filled from your "
            "notes when a draft is made.",
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", "Save template"))

    def clean_subject(self) -> str:
        return one_line(self.cleaned_data.get("subject", ""))

    def clean(self) -> dict:
        cleaned = super().clean()
        error = _unknown_fields_error(cleaned.get("subject", ""), cleaned.get("body", ""))
        if error:
            self.add_error("body", error)
        return cleaned


class CallLogForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How did it go?",
        choices=Outreach.CallOutcome.choices,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you talked about, or the message you left.",
    )
    next_step = forms.CharField(
        required=False, max_length=300, help_text="E.g. “They will call back on Friday”."
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("log", "Log the call"))

    def call_body(self) -> str:
        notes = self.cleaned_data.get("notes", "").strip()
        step = one_line(self.cleaned_data.get("next_step", ""))
        return notes + (f"\n\nNext step: {step}" if step else "")
