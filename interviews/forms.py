"""Forms for applications, notes and contacts, rendered with crispy-forms (Bootstrap 5).

Forms only validate and shape input; the views pass their cleaned data to services. The
interview form and the interviewer cards are in ``interviews.interview_forms``, which shares
the helper and the widgets defined here.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from followup_site.crispy_layout import HTML, Column, Div, Field, FormHelper, Layout, Row
from followup_site.widgets import Choices
from interviews import names
from interviews.models import Application, Contact, Note

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
NOTE_TEXT_MAX = Note._meta.get_field("text").max_length
LINK_MAX = Note._meta.get_field("link").max_length
OPEN_STAGES = [(value, label) for value, label in Application.Stage.choices if value != "closed"]


def crispy_helper(*fields: object, unmentioned: bool = False) -> FormHelper:
    # The templates own the <form> tag and the CSRF token, so several forms and a formset
    # can share one submit.
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.render_unmentioned_fields = unmentioned
    # None of these widgets has media; looking for it costs a walk over every field.
    helper.include_media = False
    if fields:
        helper.layout = Layout(*fields)
    return helper


# --- Applications ---------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    company_name = forms.CharField(
        label="Company",
        max_length=200,
        help_text="Type the name; we reuse the company if you have applied there before.",
    )
    role = forms.CharField(label="Role", max_length=200)
    posting_url = forms.URLField(
        label="Link to the job posting", max_length=1000, required=False, assume_scheme="https"
    )
    applied_on = forms.DateField(label="Date applied", required=False, widget=DATE_WIDGET)
    stage = forms.ChoiceField(choices=Choices(OPEN_STAGES), initial=Application.Stage.APPLIED)
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=Application._meta.get_field("notes").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, with_stage: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not with_stage:
            # A closed application changes stage only by being reopened.
            del self.fields["stage"]
        self.helper = crispy_helper(
            Row(Column("company_name", css_class="col-md-6"), Column("role", css_class="col-md-6")),
            "posting_url",
            Row(
                Column("applied_on", css_class="col-md-6"),
                Column("stage", css_class="col-md-6") if with_stage else Div(),
            ),
            "notes",
        )

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, object]:
        return {
            "company_name": application.company.name,
            "role": application.role,
            "posting_url": application.posting_url,
            "applied_on": application.applied_on,
            "stage": application.stage,
            "notes": application.notes,
        }


class ApplicationCloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is it closing?",
        choices=Choices(Application.ClosedReason.choices),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("reason")


class ApplicationReopenForm(forms.Form):
    stage = forms.ChoiceField(
        label="Reopen at stage",
        choices=Choices(OPEN_STAGES),
        initial=Application.Stage.INTERVIEWING,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("stage")


# Where a card's stage menu can move an application: an open stage, or closed for a reason.
# A closing choice is "closed:<reason>", so one select (and one drag) says everything.
CLOSE_PREFIX = "closed:"
STAGE_MOVES = [
    *OPEN_STAGES,
    *[
        (f"{CLOSE_PREFIX}{value}", f"Closed: {label.lower()}")
        for value, label in Application.ClosedReason.choices
    ],
]


class ApplicationStageForm(forms.Form):
    """The board's stage change: from the card's menu, a drag, or the plain form without
    JavaScript. ``stage`` is an open stage or ``closed:<reason>``; cleaned, it gives
    ``stage`` and ``closed_reason`` ("" unless closing)."""

    stage = forms.ChoiceField(
        label="Move to",
        choices=Choices(STAGE_MOVES),
        error_messages={
            "required": "Choose a stage to move the application to.",
            "invalid_choice": "“%(value)s” is not a stage. Choose Applied, Screening, "
            "Interviewing, Offer, or Closed with a reason.",
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("stage")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        move = cleaned.get("stage")
        if move:
            stage, _, reason = move.partition(":")
            cleaned["stage"], cleaned["closed_reason"] = stage, reason
        return cleaned


# --- Notes and contacts ---------------------------------------------------------------------


QUESTION_MAX = Note._meta.get_field("question").max_length
BETTER_ANSWER_MAX = Note._meta.get_field("better_answer").max_length
ANSWER_TEXT_HELP = "For an answer to fix: what went wrong. Just for you: never put in an email."
QUESTION_HELP = "As they asked it, e.g. “How would you shard the orders table?”"
BETTER_ANSWER_HELP = (
    "Two or three sentences, as you would write them to them. With their question, this "
    "makes a short correction email."
)


def question_field(**kwargs: object) -> forms.CharField:
    return forms.CharField(
        label="Their question",
        max_length=QUESTION_MAX,
        required=False,
        help_text=QUESTION_HELP,
        **kwargs,
    )


def better_answer_field(**kwargs: object) -> forms.CharField:
    return forms.CharField(
        label="What you would say now",
        max_length=BETTER_ANSWER_MAX,
        required=False,
        help_text=BETTER_ANSWER_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Choices(Note.Kind.choices))
    contact = forms.ModelChoiceField(
        label="About", queryset=Contact.objects.none(), required=False, empty_label="No one"
    )
    text = forms.CharField(
        label="Note",
        max_length=NOTE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=ANSWER_TEXT_HELP,
    )
    link = forms.URLField(label="Link", max_length=LINK_MAX, required=False, assume_scheme="https")
    follow_up_not_before = forms.DateField(
        label="Follow up not before",
        required=False,
        widget=DATE_WIDGET,
        help_text="Only for a follow-up preference.",
    )
    question = question_field()
    better_answer = better_answer_field()

    def __init__(self, *args: object, contact_queryset: QuerySet, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contact_queryset
        self.helper = crispy_helper(
            Row(Column("kind", css_class="col-md-6"), Column("contact", css_class="col-md-6")),
            "text",
            Row(
                Column("link", css_class="col-md-8"),
                Column("follow_up_not_before", css_class="col-md-4"),
            ),
            Div(
                HTML('<h2 class="h6">For an answer to fix</h2>'),
                "question",
                "better_answer",
                css_class="border rounded p-2 mb-3 bg-body-tertiary",
            ),
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if cleaned.get("kind") != Note.Kind.ANSWER_TO_FIX:
            for name in ("question", "better_answer"):
                if cleaned.get(name, "").strip():
                    self.add_error(
                        name,
                        "Only an answer to fix has this. Clear it, or choose “Answer to fix” "
                        "as the kind.",
                    )
        return cleaned

    @classmethod
    def initial_for(cls, note: Note) -> dict[str, object]:
        return {
            "kind": note.kind,
            "contact": note.contact_id,
            "text": note.text,
            "link": note.link,
            "follow_up_not_before": note.follow_up_not_before,
            "question": note.question,
            "better_answer": note.better_answer,
        }


# --- How to greet someone: shared by the contact form and the interviewer cards ------------

NAME_PART_FIELDS = ("honorific", "given_name", "family_name", "greeting_name")
GREETING_FIELDS = (*NAME_PART_FIELDS, "salutation_style")
NAME_PARTS_FROM_NAME = "Left blank, these are taken from the name."
SALUTATION_STYLES = Choices(Contact.SalutationStyle.choices)


def _name_part_field(label: str, placeholder: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=200,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"placeholder": placeholder} if placeholder else {}),
    )


def greeting_form_fields(*, style_preselected: bool) -> tuple[forms.Field, ...]:
    """The boxes for the parts of a name and the way to greet them, in ``GREETING_FIELDS``
    order, to declare on a form class. No style chosen means: as before, or by first name."""
    return (
        _name_part_field("Honorific", "Dr."),
        _name_part_field("First name"),
        _name_part_field(
            "Last name", help_text="For a name written family name first, like Li Wei: Li."
        ),
        _name_part_field(
            "Greet them as", help_text="Usually the first name; a nickname if they go by one."
        ),
        forms.ChoiceField(
            label="Greeting",
            choices=SALUTATION_STYLES,
            required=False,
            initial=Contact.SalutationStyle.FIRST_NAME if style_preselected else None,
            widget=forms.RadioSelect,
        ),
    )


def greeting_initial(contact: Contact) -> dict[str, object]:
    """The parts of a known person's name and how they are greeted, to prefill a form."""
    parts = contact.name_parts
    return {
        "honorific": parts.honorific,
        "given_name": parts.given_name,
        "family_name": parts.family_name,
        "greeting_name": names.greeting_name(parts=parts),
        "salutation_style": contact.salutation_style,
    }


def greeting_name_clean(text: str) -> str:
    problem = names.greeting_name_check(text=text)
    if problem:
        raise ValidationError(problem)
    return text


def salutation_style_choices(*, initial: dict[str, object], name: str) -> Choices:
    """The styles with this person's own greeting as the example, once their name is known."""
    parts = names.NameParts(**{part: str(initial.get(part) or "") for part in NAME_PART_FIELDS})
    if parts.is_blank():
        return SALUTATION_STYLES
    return Choices(
        [
            (style, f"{label}: “{names.salutation(parts=parts, formal=formal, name=name)},”")
            for style, label, formal in (
                (Contact.SalutationStyle.FIRST_NAME, "By first name", False),
                (Contact.SalutationStyle.FORMAL, "Formally", True),
            )
        ]
    )


def greeting_rows() -> list[object]:
    return [
        Row(
            Column("honorific", css_class="col-4 col-md-2"),
            Column("given_name", css_class="col-8 col-md-4"),
            Column("family_name", css_class="col-md-3"),
            Column("greeting_name", css_class="col-md-3"),
        ),
        Field("salutation_style"),
    ]


class ContactForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="Their full name as you would write it, e.g. “Dr. Anja Becker”.",
    )
    honorific, given_name, family_name, greeting_name, salutation_style = greeting_form_fields(
        style_preselected=True
    )
    company_name = forms.CharField(label="Company", max_length=200, required=False)
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    profile_url = forms.URLField(
        label="Profile link", max_length=500, required=False, assume_scheme="https"
    )
    interests = forms.CharField(
        label="Interests they mentioned",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Hobbies or events: good for small talk, not for follow-up emails.",
    )
    notes = forms.CharField(
        label="Notes", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Editing starts from the saved parts; a new contact's are read from the name.
        hint = (
            "Correct these if the name was read wrongly." if self.initial else NAME_PARTS_FROM_NAME
        )
        self.fields["salutation_style"].choices = salutation_style_choices(
            initial=self.initial, name=str(self.initial.get("name") or "")
        )
        self.helper = crispy_helper(
            Row(Column("name", css_class="col-md-6"), Column("company_name", css_class="col-md-6")),
            Div(
                HTML('<h2 class="h6">How to greet them</h2>'),
                HTML(f'<p class="small text-body-secondary mb-2">{hint}</p>'),
                *greeting_rows(),
                css_class="border rounded p-2 mb-3 bg-body-tertiary",
            ),
            Row(Column("job_title", css_class="col-md-6"), Column("email", css_class="col-md-6")),
            Row(Column("phone", css_class="col-md-6"), Column("profile_url", css_class="col-md-6")),
            "interests",
            "notes",
        )

    def clean_greeting_name(self) -> str:
        return greeting_name_clean(self.cleaned_data["greeting_name"])

    @classmethod
    def initial_for(cls, contact: Contact) -> dict[str, object]:
        return {
            "name": contact.name,
            **greeting_initial(contact),
            "company_name": contact.company.name if contact.company else "",
            "job_title": contact.job_title,
            "email": contact.email,
            "phone": contact.phone,
            "profile_url": contact.profile_url,
            "interests": contact.interests,
            "notes": contact.notes,
        }
