"""Forms of the reminders UI: your own reminder.

Dates and times are typed and shown in the signed-in user's zone: the timezone middleware
activates it, and Django's DateTimeField reads and renders in the active zone.
"""

from __future__ import annotations

from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet

from followup_site import crispy_layout
from followup_site.crispy_layout import Column, Field, Layout, Row
from followup_site.widgets import Choices
from interviews.models import Application
from outreach.forms import form_helper, local_datetime_field
from reminders.search import QUERY_MAX_LENGTH, Filters


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

    def __init__(
        self,
        *args: object,
        applications: QuerySet[Application],
        application_choices: list[tuple[int, str]],
        **kwargs: object,
    ):
        """``applications`` validates a posted choice; ``application_choices``, the same
        applications as (id, name) in the same order (see reminders.application_choices),
        are the select's options."""
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        field.queryset = applications
        field.choices = Choices([("", field.empty_label), *application_choices])
        # Every field in order, as crispy draws a form without a layout; drawn in Python.
        self.helper = crispy_layout.FormHelper()
        self.helper.form_method = "post"
        self.helper.include_media = False
        self.helper.layout = crispy_layout.Layout(*self.fields)
        self.helper.add_input(Submit("submit", "Add reminder"))

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Say what to do.")
        return title


class SearchForm(forms.Form):
    """The search page's words and filters, read from the query string."""

    q = forms.CharField(
        label="Search for",
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text="Words from a company, role, person, note or email. "
        "Use quotes for a phrase, “or” for either word, and -word to leave one out.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "Any stage"), *Application.Stage.choices],
    )
    overdue = forms.BooleanField(label="Has an overdue task", required=False)
    waiting_days = forms.IntegerField(
        label="Waiting for a reply for more than (days)",
        required=False,
        min_value=1,
        max_value=3650,
    )
    interview_ahead = forms.BooleanField(label="Has an interview ahead", required=False)

    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(submit="Search")
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("q"),
            Row(
                Column("stage", css_class="col-sm-6 col-lg-3"),
                Column("waiting_days", css_class="col-sm-6 col-lg-3"),
                Column("overdue", css_class="col-sm-6 col-lg-3 pt-lg-4"),
                Column("interview_ahead", css_class="col-sm-6 col-lg-3 pt-lg-4"),
            ),
        )

    def filters(self) -> Filters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return Filters(
            stage=data["stage"],
            overdue=data["overdue"],
            waiting_days=data["waiting_days"],
            interview_ahead=data["interview_ahead"],
        )
