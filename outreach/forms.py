"""Forms of the composer, the template editor and the call log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from followup_site import crispy_layout
from followup_site.widgets import Choices
from interviews.models import Contact
from outreach.merge import FIELDS, merge_fields_unknown, one_line
from outreach.models import MessageTemplate, Outreach

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker (a wheel on phones), in the user's zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format=DATETIME_LOCAL_FORMAT, **kwargs)


def local_datetime_field(label: str, **kwargs: object) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=LocalDateTimeInput(),
        input_formats=[DATETIME_LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"invalid": "Enter a date and time, like 2025-03-14 09:30."},
        **kwargs,
    )


class _ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        return f"{obj.name}, {obj.job_title}" if obj.job_title else obj.name


def form_helper(*, submit: str) -> FormHelper:
    helper = crispy_layout.FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", submit))
    return helper


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
        self.helper = crispy_layout.FormHelper()
        self.helper.layout = crispy_layout.Layout(*self.fields)
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
        self.helper = crispy_layout.FormHelper()
        self.helper.layout = crispy_layout.Layout("template")
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
        choices=Choices(Outreach.CallOutcome.choices),
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
        self.helper = crispy_layout.FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = crispy_layout.Layout(*self.fields)
        self.helper.add_input(Submit("log", "Log the call"))
        # The call page writes the <form> tag: {% python_crispy %} draws a form without one.
        self.helper.form_tag = False
        # None of these widgets has media; looking for it walks every widget's classes.
        self.helper.include_media = False

    def call_body(self) -> str:
        notes = self.cleaned_data.get("notes", "").strip()
        step = one_line(self.cleaned_data.get("next_step", ""))
        return notes + (f"\n\nNext step: {step}" if step else "")


# --- Logging what happened by hand ---------------------------------------------------------


class OutreachForm(forms.Form):
    """The fields every outreach log shares: when, and with whom."""

    #: The value of the hidden ``what`` field that picks this form in the view.
    what = ""
    #: The heading of the form's own page (what the panel's button opens without JavaScript).
    heading = "Log it"
    submit_label = "Save"
    success_message = "Logged."

    occurred_at = local_datetime_field("When", initial=timezone.now)
    contact = _ContactChoiceField(
        queryset=Contact.objects.none(), required=False, empty_label="Someone else / not sure"
    )

    def __init__(
        self,
        *args: object,
        contacts: QuerySet[Contact] | Choices,
        default_contact: Contact | None = None,
        default_purpose: str = "",
        **kwargs: object,
    ) -> None:
        """``contacts``: the people one may pick, a queryset for a posted form (it checks the
        choice against it); for a blank one, which only draws them, they may come as
        ``people_choices`` instead, read by the query that also orders them."""
        kwargs.setdefault("prefix", self.what)
        super().__init__(*args, **kwargs)
        if isinstance(contacts, Choices):
            if self.is_bound:
                raise TypeError("A posted form checks its contact against a queryset.")
            self.fields["contact"].choices = contacts
        else:
            self.fields["contact"].queryset = contacts
        if default_contact is not None:
            self.fields["contact"].initial = default_contact.pk
        if "purpose" in self.fields and default_purpose in dict(self.fields["purpose"].choices):
            self.fields["purpose"].initial = default_purpose
        self.helper = crispy_layout.FormHelper()
        self.helper.layout = crispy_layout.Layout(*self.fields)
        # The template writes the <form> tag, which adds the hidden ``what`` the view reads,
        # and the buttons: ``submit_label``'s beside a Cancel.
        self.helper.form_tag = False
        # None of these widgets has media; looking for it walks every widget's classes.
        self.helper.include_media = False

    @classmethod
    def people_choices(cls, contacts: Iterable[Contact]) -> Choices:
        """The options the contact select draws for ``contacts`` (or rows with their pk, name
        and job title), as it draws them from its queryset, without reading it again."""
        field = cls.base_fields["contact"]
        return Choices(
            [("", field.empty_label), *((c.pk, field.label_from_instance(c)) for c in contacts)]
        )

    def clean_occurred_at(self) -> datetime:
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError("That is in the future; log it once it has happened.")
        return occurred_at


class OutreachSentForm(OutreachForm):
    what = "sent"
    heading = "Log what you sent"
    submit_label = "Log it as sent"
    success_message = "Logged as sent."

    channel = forms.ChoiceField(
        label="How",
        choices=Choices(
            [
                (Outreach.Channel.EMAIL, "Email"),
                (Outreach.Channel.CARD, "Handwritten card"),
            ]
        ),
        initial=Outreach.Channel.EMAIL,
        widget=forms.RadioSelect,
    )
    purpose = forms.ChoiceField(
        label="What it was",
        required=False,
        choices=Choices(
            [
                ("", "Let Followup work it out"),
                (Outreach.Purpose.THANK_YOU, "A thank-you"),
                (Outreach.Purpose.FOLLOW_UP, "A follow-up (asking how it stands)"),
                (Outreach.Purpose.REPAIR, "Repairing an answer"),
                (Outreach.Purpose.CHECK_IN, "A check-in"),
                (Outreach.Purpose.OTHER, "Something else"),
            ]
        ),
        help_text="Followup closes the matching task and plans what comes next from it.",
    )
    subject = forms.CharField(required=False, max_length=300)
    body = forms.CharField(
        label="What you wrote (optional)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["channel", "purpose", "occurred_at", "contact", "subject", "body"]


class OutreachCallForm(OutreachForm):
    what = "call"
    heading = "Log a call"
    submit_label = "Log the call"
    success_message = "Call logged."

    call_outcome = forms.ChoiceField(
        label="How it went",
        choices=Choices(Outreach.CallOutcome.choices),
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label="Notes",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["call_outcome", "occurred_at", "contact", "body"]


class OutreachReplyForm(OutreachForm):
    what = "reply"
    heading = "Log their reply"
    submit_label = "Log their reply"
    success_message = "Reply logged."

    channel = forms.ChoiceField(
        label="How they answered",
        choices=Choices(
            [
                (Outreach.Channel.EMAIL, "Email"),
                (Outreach.Channel.CALL, "Phone call"),
                (Outreach.Channel.OTHER, "Other"),
            ]
        ),
        initial=Outreach.Channel.EMAIL,
        widget=forms.RadioSelect,
    )
    body = forms.CharField(
        label="Their reply (optional: paste it here)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    field_order = ["channel", "occurred_at", "contact", "body"]


OUTREACH_FORMS: dict[str, type[OutreachForm]] = {
    form.what: form for form in (OutreachSentForm, OutreachCallForm, OutreachReplyForm)
}
