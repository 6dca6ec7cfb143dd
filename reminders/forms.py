"""Forms of the reminders UI: your own reminder.

Dates and times are typed and shown in the signed-in user's zone: the timezone middleware
activates it, and Django's DateTimeField reads and renders in the active zone.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from interviews.models import Application
from outreach.forms import form_helper, local_datetime_field


class CustomReminderForm(forms.Form):
    title = forms.CharField(max_length=300, help_text="What to do, e.g. “Send Ana the article”.")
    due_at = local_datetime_field("Due", help_text="In your time zone.")
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
        self.helper = form_helper(submit="Add reminder")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Say what to do.")
        return title
