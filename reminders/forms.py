"""Forms of the reminders UI: your own reminder, and logging what you sent, called or heard.

Dates and times are typed and shown in the signed-in user's zone: the timezone middleware
activates it, and Django's DateTimeField reads and renders in the active zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from interviews.models import Application, Contact
from reminders.models import Outreach

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker (a wheel on phones), in the user's zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format=DATETIME_LOCAL_FORMAT, **kwargs)


def _local_datetime_field(label: str, **kwargs: object) -> forms.DateTimeField:
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


def _helper(*, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    helper.add_input(Submit("submit", submit))
    return helper


class CustomReminderForm(forms.Form):
    title = forms.CharField(max_length=300, help_text="What to do, e.g. “Send Ana the article”.")
    due_at = _local_datetime_field("Due", help_text="In your time zone.")
    note = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    application = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        required=False,
        empty_label="No application",
        help_text="Only your open applications are listed.",
    )

    def __init__(self, *args: object, applications: QuerySet[Application], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.helper = _helper(submit="Add reminder")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Say what to do.")
        return title


class OutreachForm(forms.Form):
    """The fields every outreach log shares: when, and with whom."""

    #: The value of the hidden ``what`` field that picks this form in the view.
    what = ""
    submit_label = "Save"
    success_message = "Logged."

    occurred_at = _local_datetime_field("When", initial=timezone.now)
    contact = _ContactChoiceField(
        queryset=Contact.objects.none(), required=False, empty_label="Someone else / not sure"
    )

    def __init__(
        self,
        *args: object,
        contacts: QuerySet[Contact],
        default_contact: Contact | None = None,
        **kwargs: object,
    ) -> None:
        kwargs.setdefault("prefix", self.what)
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts
        if default_contact is not None:
            self.fields["contact"].initial = default_contact.pk
        self.helper = _helper(submit=self.submit_label)
        # The template writes the <form> tag: it adds the hidden ``what`` the view reads.
        self.helper.form_tag = False

    def clean_occurred_at(self) -> datetime:
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError("That is in the future; log it once it has happened.")
        return occurred_at


class OutreachSentForm(OutreachForm):
    what = "sent"
    submit_label = "Log it as sent"
    success_message = "Logged as sent."

    channel = forms.ChoiceField(
        label="How",
        choices=[
            (Outreach.Channel.EMAIL, "Email"),
            (Outreach.Channel.CARD, "Handwritten card"),
        ],
        initial=Outreach.Channel.EMAIL,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(required=False, max_length=300)
    body = forms.CharField(
        label="What you wrote (optional)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["channel", "occurred_at", "contact", "subject", "body"]


class OutreachCallForm(OutreachForm):
    what = "call"
    submit_label = "Log the call"
    success_message = "Call logged."

    call_outcome = forms.ChoiceField(
        label="How it went",
        choices=Outreach.CallOutcome.choices,
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
    submit_label = "Log their reply"
    success_message = "Reply logged."

    channel = forms.ChoiceField(
        label="How they answered",
        choices=[
            (Outreach.Channel.EMAIL, "Email"),
            (Outreach.Channel.CALL, "Phone call"),
            (Outreach.Channel.OTHER, "Other"),
        ],
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
