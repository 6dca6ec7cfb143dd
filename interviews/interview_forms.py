"""Forms for logging an interview: when and how it went, and one card per interviewer.

The interview form and the interviewer formset are posted together from one page; their
cleaned data becomes the drafts (``interviews.note_text``) that the interview services record.
The helpers shared with the other forms of the app live in ``interviews.forms``.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache, cached_property

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.selectors import known_timezones
from followup_site.crispy_layout import HTML, Column, Div, Field, PythonRendered, Row, render_name
from followup_site.field_copies import quick_field_copies
from followup_site.widgets import Choices, LongSelect
from interviews.forms import (
    DATE_WIDGET,
    GREETING_FIELDS,
    LINK_MAX,
    NAME_PARTS_FROM_NAME,
    NOTE_TEXT_MAX,
    better_answer_field,
    crispy_helper,
    greeting_form_fields,
    greeting_initial,
    greeting_name_clean,
    question_field,
    salutation_style_choices,
)
from interviews.models import INTERVIEW_YEARS, Contact, Interview, Note
from interviews.names import NameParts
from interviews.note_text import InterviewerDraft, NoteDraft, link_find, notes_from_lines
from interviews.templatetags import python_forms

TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
OPEN_ATTRIBUTE = SafeString(" open")
GREETING_EXAMPLE = "“Dr. Anja Becker” is greeted “Hi Anja,”."
GREETING_SUMMARY = "How to greet them"
_HINT = '<p class="small text-body-secondary mb-2">{}</p>'
GREETING_HINT = SafeString(_HINT.format(f"{NAME_PARTS_FROM_NAME} {GREETING_EXAMPLE}"))
KNOWN_GREETING_HINT = SafeString(_HINT.format("Corrections here are saved to their contact."))


@cache
def timezone_choices() -> Choices:
    """Every zone by name; one list, and its options' markup, for the whole process."""
    return Choices((name, name.replace("_", " ")) for name in sorted(known_timezones()))


def _lines_check(*, text: str) -> str:
    """Refuse a line whose web address would not make a valid note link."""
    validate = URLValidator()
    for line in text.splitlines():
        link = link_find(text=line)
        if not link:
            continue
        if len(link) > LINK_MAX:
            raise ValidationError(
                "One of these web addresses is longer than %(max)s characters; please shorten it.",
                params={"max": LINK_MAX},
            )
        try:
            validate(link)
        except ValidationError:
            raise ValidationError(
                "“%(link)s” does not look like a web address. Check it or remove it.",
                params={"link": link[:80]},
            ) from None
    return text


# --- Interviews -----------------------------------------------------------------------------


@quick_field_copies
class InterviewForm(forms.Form):
    """When, how and where; plus notes about the interview as a whole."""

    date = forms.DateField(label="Date", widget=DATE_WIDGET)
    start_time = forms.TimeField(label="Started", widget=TIME_WIDGET)
    end_time = forms.TimeField(label="Ended", widget=TIME_WIDGET)
    timezone = forms.ChoiceField(
        widget=LongSelect,
        label="Time zone",
        help_text="The zone the times above are in.",
        choices=(),
    )
    format = forms.ChoiceField(
        label="Format",
        choices=Choices(Interview.Format.choices),
        initial=Interview.Format.VIDEO,
        widget=forms.RadioSelect,
    )
    location = forms.CharField(
        label="Place or link",
        max_length=500,
        required=False,
        help_text="An address, a room, or the video-call link.",
    )
    general_notes = forms.CharField(
        label="Anything else about the interview",
        required=False,
        max_length=NOTE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One note per line; not about anyone in particular.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()

    # One helper for every instance: crispy reads it while drawing, never changes it.
    @cached_property
    def helper(self) -> object:
        return _interview_helper()

    def clean_general_notes(self) -> str:
        return _lines_check(text=self.cleaned_data["general_notes"])

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not INTERVIEW_YEARS[0] <= day.year <= INTERVIEW_YEARS[1]:
            raise forms.ValidationError(
                "Enter a date between %(first)s and %(last)s; check the year.",
                params={"first": INTERVIEW_YEARS[0], "last": INTERVIEW_YEARS[1]},
            )
        return day

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        day, start, end, zone = (
            cleaned.get(k) for k in ("date", "start_time", "end_time", "timezone")
        )
        if day and start and end and zone:
            tz = zoneinfo.ZoneInfo(zone)
            cleaned["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            cleaned["ends_at"] = datetime.combine(day, end, tzinfo=tz)
            if cleaned["ends_at"] <= cleaned["starts_at"]:
                self.add_error("end_time", "The end has to be after the start.")
        return cleaned

    def notes(self) -> list[NoteDraft]:
        return notes_from_lines(kind=Note.Kind.OTHER, text=self.cleaned_data["general_notes"])

    @classmethod
    def initial_for(cls, interview: Interview) -> dict[str, object]:
        zone = zoneinfo.ZoneInfo(interview.timezone)
        starts, ends = interview.starts_at.astimezone(zone), interview.ends_at.astimezone(zone)
        return {
            "date": starts.date(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "end_time": ends.time().replace(second=0, microsecond=0),
            "timezone": interview.timezone,
            "format": interview.format,
            "location": interview.location,
        }


@cache
def _interview_helper() -> object:
    return crispy_helper(
        Row(
            Column("date", css_class="col-12 col-md-3"),
            Column("start_time", css_class="col-6 col-md-3"),
            Column("end_time", css_class="col-6 col-md-3"),
            Column("timezone", css_class="col-12 col-md-3"),
        ),
        Row(
            Column(Field("format"), css_class="col-md-4"),
            Column("location", css_class="col-md-8"),
        ),
    )


# --- Interviewers ---------------------------------------------------------------------------


# Each of these textareas becomes notes of one kind: one note per non-empty line.
NOTE_FIELDS = {
    "topics": (Note.Kind.TOPIC, "Topics you discussed", "An article, a study, a project…"),
    "interests": (
        Note.Kind.INTEREST,
        "Interests they mentioned",
        "Hobbies, events, causes. Useful for rapport, kept out of follow-up emails.",
    ),
    "skills": (Note.Kind.SKILL, "Skills they noticed", "What seemed to impress them."),
    "questions": (Note.Kind.QUESTION, "Questions they asked", ""),
    "other": (Note.Kind.OTHER, "Other notes", ""),
}
NEW_PERSON_FIELDS = ("name", "job_title", "email", "phone")
# One answer to fix per card: what went wrong (the note's text, just for the user), the
# question they asked and what the user would say now. Another one is added by editing the
# interview again, which offers an empty card section each time.
ANSWER_FIELDS = ("answers_to_fix", "fix_question", "fix_better_answer")


def _note_lines_field(name: str) -> forms.CharField:
    _kind, label, help_text = NOTE_FIELDS[name]
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=NOTE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "One per line"}),
    )


class Collapsed(PythonRendered, LayoutObject):
    """Fields folded away under a summary line (``<details>``), open when one has an error.

    Works without JavaScript and in the card template that the page copies for a new
    interviewer, where ids made for a Bootstrap collapse would repeat.
    """

    def __init__(
        self, summary: str, *fields: object, css_class: str = "", summary_from: str = ""
    ) -> None:
        self.summary = summary
        self.fields = list(fields)
        self.css_class = css_class
        # The name of the form's attribute that holds the summary, where it is the card's own.
        self.summary_from = summary_from

    def render(
        self, form: forms.Form, context: object, template_pack: str = TEMPLATE_PACK, **kwargs
    ) -> str:
        # Already safe: crispy's field templates escape what users typed.
        inner = self.get_rendered_fields(form, context, template_pack, **kwargs)
        opened = form.is_bound and (
            any(form[pointer.name].errors for pointer in self.get_field_names())
            or bool(form.non_field_errors())
        )
        summary = getattr(form, self.summary_from) if self.summary_from else self.summary
        return format_html(
            '<details class="{}"{}><summary>{}</summary><div class="pt-2">{}</div></details>',
            self.css_class,
            OPEN_ATTRIBUTE if opened else "",
            summary,
            inner,
        )


class CardText(PythonRendered, LayoutObject):
    """Markup of the form's own, kept in its attribute ``attribute``: the part of a layout
    shared by every card that differs from card to card."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute
        self.fields = []

    def render(
        self, form: forms.Form, context: object, template_pack: str = TEMPLATE_PACK, **kwargs
    ) -> str:
        return getattr(form, self.attribute)


def _same_field(field: forms.Field | None, twin: forms.Field | None) -> bool:
    """Whether two copies of one declared field are still alike where drawing looks:
    what a card changes when it is made (the people offered, a greeting's examples) it
    changes in another choice list or widget."""
    return (
        field is not None
        and twin is not None
        and type(field) is type(twin)
        and type(field.widget) is type(twin.widget)
        and getattr(field, "_choices", None) is getattr(twin, "_choices", None)
        and field.label == twin.label
        and field.help_text == twin.help_text
        and field.required == twin.required
        and field.disabled == twin.disabled
        and not callable(field.initial)
    )


class CardField(PythonRendered, LayoutObject):
    """A card's field by name, drawn as a plain name is, or copied from the blank card.

    On a page with cards already filled in (editing an interview), most boxes of a card
    are empty: a card with no value of its own for a field, unbound like the blank card,
    draws it as the blank card did, with its own prefix. {% python_crispy_card %} draws
    the blank card first and gives its fields' markup to the others (``blank_twin``);
    a field whose markup holds the blank card's prefix anywhere else is drawn anew.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.fields = [name]

    def render(
        self, form: forms.Form, context: object, template_pack: str = TEMPLATE_PACK, **kwargs
    ) -> str:
        name = self.name
        twin = getattr(form, "blank_twin", None)
        rendered = getattr(form, "rendered_fields", None)
        if (
            twin is not None
            and rendered is not None
            and name not in rendered
            and name not in form.initial
            and not form.is_bound
        ):
            twin_form, drawn = twin
            html = drawn.get(name)
            if html is not None and _same_field(form.fields.get(name), twin_form.fields.get(name)):
                again = python_forms._reprefixed(html, twin_form.prefix, form.prefix)
                if again is not None:
                    rendered.add(name)
                    return again
        html = render_name(name, form, context, template_pack=template_pack)
        record = getattr(form, "drawn_fields", None)
        if record is not None:
            record[name] = html
        return html


class KnownContacts:
    """The people a card can pick, read once for the page and shared by all its cards.

    Each card used to ask the database whether there was anyone to pick, then for the
    person it shows, then for the whole list again to draw its select. ``contacts``, when
    the page has read them already, are those people, and ``queryset`` (or what
    ``queryset_maker`` builds, only when a card is validated) what validation asks.
    """

    def __init__(
        self,
        queryset: QuerySet | None = None,
        *,
        contacts: Iterable[Contact] | None = None,
        queryset_maker: Callable[[], QuerySet] | None = None,
    ) -> None:
        self._queryset = queryset
        self._queryset_maker = queryset_maker
        self.by_pk = {
            contact.pk: contact for contact in (queryset if contacts is None else contacts)
        }
        field = InterviewerForm.base_fields["contact"]
        self.choices = Choices(
            [
                ("", field.empty_label),
                *((pk, field.label_from_instance(contact)) for pk, contact in self.by_pk.items()),
            ]
        )

    @property
    def queryset(self) -> QuerySet:
        if self._queryset is None:
            self._queryset = self._queryset_maker()
        return self._queryset

    def __bool__(self) -> bool:
        return bool(self.by_pk)

    def get(self, pk: object) -> Contact | None:
        try:
            return self.by_pk.get(int(pk))
        except (TypeError, ValueError):
            return None


@quick_field_copies
class InterviewerForm(forms.Form):
    """One interviewer card: who (picked or typed) and what you learned about them.

    "How to greet them" (the parts of the name and the greeting style) is for whoever the
    card is about. For someone new, what is left blank is worked out from the name. For
    someone already known, the card shows their saved greeting when the page opens with
    them on it (editing an interview), and corrections are saved to their contact;
    ``greeting_for`` remembers whose greeting was shown, so that picking another person
    never hands them the first one's.
    """

    # No queryset here: copying one for every card cloned it twice. A card is given the
    # people to show (KnownContacts) and, when it is validated, the query to check with.
    contact = forms.ModelChoiceField(
        label="Someone you already know",
        queryset=None,
        required=False,
        empty_label="Someone new (type below)",
    )
    name = forms.CharField(label="Name", max_length=200, required=False)
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    honorific, given_name, family_name, greeting_name, salutation_style = greeting_form_fields(
        style_preselected=False
    )
    greeting_for = forms.IntegerField(required=False, widget=forms.HiddenInput)
    topics = _note_lines_field("topics")
    interests = _note_lines_field("interests")
    skills = _note_lines_field("skills")
    answers_to_fix = forms.CharField(
        label="An answer you want to fix",
        help_text="What went wrong, in a few words. Just for you: never put in an email.",
        required=False,
        max_length=NOTE_TEXT_MAX,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "E.g. I rambled and gave no concrete example"}
        ),
    )
    fix_question = question_field()
    fix_better_answer = better_answer_field()
    questions = _note_lines_field("questions")
    follow_up_not_before = forms.DateField(
        label="Follow up with this person not before",
        required=False,
        widget=DATE_WIDGET,
    )
    follow_up_preference = forms.CharField(
        label="How they want to hear from you",
        max_length=1000,
        required=False,
        help_text="E.g. “email me after the panel, not before the 12th”.",
    )
    other = _note_lines_field("other")

    def __init__(
        self,
        *args: object,
        contact_queryset: QuerySet | None = None,
        known_contacts: KnownContacts | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        contact = self.fields["contact"]
        if known_contacts is None:
            queryset = Contact.objects.none() if contact_queryset is None else contact_queryset
            known_contacts = KnownContacts(queryset)
        self.known_contacts = known_contacts
        # Validation still asks the database; the select shows the list read once, and an
        # unbound card, never validated, has no use for the query.
        if self.is_bound:
            contact.queryset = known_contacts.queryset
        contact.choices = known_contacts.choices
        if not known_contacts:
            contact.widget = forms.HiddenInput()
        # The greeting section's summary line and hint: a known person's saved greeting, or
        # how blank boxes are filled in. Read by the card's layout, shared by every card.
        self.greeting_summary, self.greeting_hint = GREETING_SUMMARY, GREETING_HINT
        if not self.is_bound and self.initial.get("contact") and "greeting_for" not in self.initial:
            shown = self._greeting_prefill(contact_pk=self.initial["contact"])
            if shown is not None:
                self.greeting_summary = f"How to greet them: “{shown.salutation},”"
                self.greeting_hint = KNOWN_GREETING_HINT

    # {% python_crispy_card %}: the blank card is drawn first, and its fields' markup given
    # to the others (CardField).
    drawn_from_blank_twin = True

    # One helper for every card: crispy reads it while drawing, never changes it.
    @cached_property
    def helper(self) -> object:
        return _card_helper()

    def blank_card_parts(self) -> tuple[str, str]:
        """What the card's layout reads of the card itself (CardText, the greeting's summary
        line): part of what a blank card's markup is drawn from (python_forms)."""
        return (self.greeting_summary, self.greeting_hint)

    def _greeting_prefill(self, *, contact_pk: object) -> Contact | None:
        """Show a known person's saved greeting, to correct it on the card."""
        contact = self.known_contacts.get(contact_pk)
        if contact is None:
            return None
        self.initial = {**self.initial, **greeting_initial(contact), "greeting_for": contact.pk}
        self.fields["salutation_style"].choices = salutation_style_choices(
            initial=self.initial, name=contact.name
        )
        return contact

    def clean_greeting_name(self) -> str:
        return greeting_name_clean(self.cleaned_data["greeting_name"])

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        for name in (*NOTE_FIELDS, "answers_to_fix"):
            if cleaned.get(name):
                try:
                    _lines_check(text=cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error)
        what_went_wrong = cleaned.get("answers_to_fix", "").strip()
        answer_given = cleaned.get("fix_question") or cleaned.get("fix_better_answer")
        if answer_given and not what_went_wrong and "answers_to_fix" not in self.errors:
            self.add_error(
                "answers_to_fix",
                "Say in a few words what went wrong, to remember which answer this is. "
                "It is just for you.",
            )
        if self.is_blank() or cleaned.get("DELETE"):
            return cleaned
        new_person = any(cleaned.get(name) for name in NEW_PERSON_FIELDS)
        if cleaned.get("contact") and new_person:
            self.add_error(
                "contact",
                "Either pick someone you know or type a new person, not both. "
                "Choose “Someone new” to use the details typed below.",
            )
        elif not cleaned.get("contact") and not cleaned.get("name") and "name" not in self.errors:
            self.add_error("name", "Who was this? Type their name or pick someone you know.")
        elif self._greeting_is_someone_elses():
            self.add_error(
                None,
                "“How to greet them” was not filled in for the person picked above. Empty "
                "those boxes to save; then change how you greet them on their contact page.",
            )
        return cleaned

    def _greeting_is_someone_elses(self) -> bool:
        """A known person picked, with greeting details that were not shown for them: typed
        for someone new, or left from the person picked before."""
        contact = self.cleaned_data.get("contact")
        if contact is None or self.cleaned_data.get("greeting_for") == contact.pk:
            return False
        return any(self.cleaned_data.get(name) for name in GREETING_FIELDS)

    def is_blank(self) -> bool:
        """A card with nothing in it is ignored, so a spare empty card never blocks saving."""
        fields = (
            "contact",
            *NEW_PERSON_FIELDS,
            *GREETING_FIELDS,
            *NOTE_FIELDS,
            *ANSWER_FIELDS,
            "follow_up_not_before",
        )
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in (*fields, "follow_up_preference"))

    def _answer_to_fix(self) -> NoteDraft | None:
        """The card's answer to fix as one note: what went wrong is its text, kept line by
        line; the question and what the user would say now go with it."""
        data = self.cleaned_data
        lines = [" ".join(line.split()) for line in data["answers_to_fix"].splitlines()]
        text = "\n".join(line for line in lines if line)
        if not text:
            return None
        return NoteDraft(
            kind=Note.Kind.ANSWER_TO_FIX,
            text=text,
            link=link_find(text=text),
            question=" ".join(data["fix_question"].split()),
            better_answer=data["fix_better_answer"].strip(),
        )

    def to_draft(self) -> InterviewerDraft | None:
        data = self.cleaned_data
        if self.is_blank() or data.get("DELETE"):
            return None
        notes: list[NoteDraft] = []
        for name, (kind, _label, _help) in NOTE_FIELDS.items():
            notes.extend(notes_from_lines(kind=kind, text=data[name]))
        answer = self._answer_to_fix()
        if answer is not None:
            notes.append(answer)
        preference = " ".join(data["follow_up_preference"].split())
        not_before = data["follow_up_not_before"]
        if preference or not_before:
            text = preference or f"Follow up not before {not_before:%d %B %Y}."
            notes.append(
                NoteDraft(
                    kind=Note.Kind.FOLLOW_UP,
                    text=text,
                    link=link_find(text=text),
                    follow_up_not_before=not_before,
                )
            )
        contact = data["contact"]
        # A known person's greeting changes only where the card showed it (see clean()).
        shown = contact is None or data["greeting_for"] == contact.pk
        return InterviewerDraft(
            contact=contact,
            name=data["name"],
            job_title=data["job_title"],
            email=data["email"],
            phone=data["phone"],
            notes=notes,
            name_parts=NameParts(
                honorific=data["honorific"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                greeting_name=data["greeting_name"],
            )
            if shown
            else None,
            salutation_style=data["salutation_style"] if shown else "",
        )


def _card_columns(*columns: tuple[str, str]) -> Row:
    return Row(*(Column(CardField(name), css_class=css) for name, css in columns))


@cache
def _card_helper() -> object:
    return crispy_helper(
        CardField("contact"),
        Div(
            HTML('<p class="small text-body-secondary mb-2">New to you? Tell us who they are.</p>'),
            _card_columns(("name", "col-md-6"), ("job_title", "col-md-6")),
            _card_columns(("email", "col-md-6"), ("phone", "col-md-6")),
            css_class="border rounded p-2 mb-3 bg-body-tertiary",
        ),
        Collapsed(
            GREETING_SUMMARY,
            CardText("greeting_hint"),
            # greeting_rows(), each name a CardField.
            _card_columns(
                ("honorific", "col-4 col-md-2"),
                ("given_name", "col-8 col-md-4"),
                ("family_name", "col-md-3"),
                ("greeting_name", "col-md-3"),
            ),
            Field("salutation_style"),
            CardField("greeting_for"),
            css_class="mb-3",
            summary_from="greeting_summary",
        ),
        CardField("topics"),
        CardField("interests"),
        CardField("skills"),
        CardField("answers_to_fix"),
        Collapsed(
            "Their question and what you would say now",
            CardField("fix_question"),
            CardField("fix_better_answer"),
            css_class="mb-3",
        ),
        CardField("questions"),
        _card_columns(("follow_up_not_before", "col-md-5"), ("follow_up_preference", "col-md-7")),
        CardField("other"),
        unmentioned=True,
    )


class BaseInterviewerFormSet(forms.BaseFormSet):
    def __init__(self, *args: object, form_kwargs: dict | None = None, **kwargs: object) -> None:
        form_kwargs = dict(form_kwargs or {})
        queryset = form_kwargs.pop("contact_queryset", None)
        if queryset is not None:
            form_kwargs["known_contacts"] = KnownContacts(queryset)
        super().__init__(*args, form_kwargs=form_kwargs, **kwargs)

    @cached_property
    def empty_form(self) -> forms.Form:
        """Django's card template, built once (Django builds it on every look)."""
        return super().empty_form

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Take this person off the interview"

    def drafts(self) -> list[InterviewerDraft]:
        return [draft for form in self.forms if (draft := form.to_draft()) is not None]


def _interviewer_formset(*, can_delete: bool) -> type[BaseInterviewerFormSet]:
    return forms.formset_factory(
        InterviewerForm,
        formset=BaseInterviewerFormSet,
        extra=1,
        can_delete=can_delete,
        max_num=20,
        absolute_max=20,
        validate_max=True,
    )


InterviewerFormSet = _interviewer_formset(can_delete=False)
InterviewerEditFormSet = _interviewer_formset(can_delete=True)
INTERVIEWER_PREFIX = "interviewers"
