"""Forms for signing up, logging in, passwords, settings and the admin.

Forms only validate input and describe their layout; saving goes through accounts.services.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from crispy_forms.bootstrap import StrictButton
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxValueValidator, MinValueValidator

from accounts.models import User
from accounts.selectors import country_choices, known_timezones, timezone_choices
from accounts.services import DUPLICATE_EMAIL_MESSAGE, SETTINGS_FIELDS
from followup_site.crispy_layout import (
    HTML,
    AppendedText,
    Column,
    Div,
    Field,
    Fieldset,
    FormHelper,
    Layout,
    Row,
)
from followup_site.widgets import Choices, LongSelect


def _helper(*layout: object, submit: str, wide_button: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "post"
    # None of these widgets has media; looking for it costs a walk over every field.
    helper.include_media = False
    helper.layout = Layout(
        *layout,
        StrictButton(
            submit,
            type="submit",
            css_class="btn btn-primary" + (" w-100 mt-2" if wide_button else ""),
        ),
    )
    return helper


class SignupForm(auth_forms.BaseUserCreationForm):
    """Email, name and a password typed twice; Django's password validators apply."""

    # Filled in by the page's script from the browser's own zone, so reminders are timed
    # right from the first day; anything unknown is quietly ignored.
    timezone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = User
        fields = ("email", "full_name")
        labels = {"email": "Email address", "full_name": "Your name"}
        help_texts = {"email": "You'll log in with this address and get your reminders here."}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["password1"].label = "Choose a password"
        self.fields["password2"].label = "Type it again"
        self.helper = _helper(
            Field("email", autocomplete="email"),
            Field("full_name", autocomplete="name"),
            Field("password1", autocomplete="new-password"),
            Field("password2", autocomplete="new-password"),
            "timezone",
            submit="Create account",
        )

    def clean_email(self) -> str:
        # Whether the address has an account is never said here: sign-up answers the same
        # either way and emails the owner (accounts.services.user_sign_up).
        return User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()

    def _get_validation_exclusions(self) -> set[str]:
        # See clean_email: the model's uniqueness checks on the address must not run here.
        return {*super()._get_validation_exclusions(), "email"}

    def _post_clean(self) -> None:
        # Django reports a weak password under the second box; it belongs under the first,
        # where it was chosen. (A mismatch is still reported under the second.)
        forms.ModelForm._post_clean(self)
        self.validate_password_for_user(self.instance, password_field_name="password1")  # noqa: S106

    def clean_timezone(self) -> str:
        value = self.cleaned_data.get("timezone", "")
        return value if value in known_timezones() else ""


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": (
            "That email address and password don't match an account. Check them and try "
            "again, or reset your password."
        ),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "email", "maxlength": 254}
        )
        self.helper = _helper(
            "username", Field("password", autocomplete="current-password"), submit="Log in"
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.helper = _helper(Field("email", autocomplete="email"), submit="Send me a reset link")


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = "Type it again"
        self.helper = _helper(
            Field("new_password1", autocomplete="new-password"),
            Field("new_password2", autocomplete="new-password"),
            submit="Set my new password",
        )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = "Type the new one again"
        self.helper = _helper(
            Field("old_password", autocomplete="current-password"),
            Field("new_password1", autocomplete="new-password"),
            Field("new_password2", autocomplete="new-password"),
            submit="Change password",
            wide_button=False,
        )


_DIGEST_HOURS = Choices((hour, f"{hour:02d}:00") for hour in range(24))


def zone_choices() -> Choices:
    """Every zone with its offset now; the list and its options' markup are built once per
    quarter of an hour, when the offsets can change (accounts.selectors.timezone_choices)."""
    now = datetime.now(UTC)
    return _zone_choices_at(
        now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    )


@lru_cache(maxsize=2)
def _zone_choices_at(quarter: datetime) -> Choices:
    return Choices(timezone_choices(at=quarter))


@lru_cache(maxsize=1)
def country_select_choices() -> Choices:
    return Choices(country_choices())


class SettingsForm(forms.ModelForm):
    """Profile and follow-up preferences. Bind it to a copy of the user, not request.user."""

    timezone = forms.ChoiceField(
        widget=LongSelect,
        label="Time zone",
        help_text="Reminders, quiet hours and the digest follow this zone. Type a city name "
        "to jump to it.",
    )
    country = forms.ChoiceField(
        widget=LongSelect,
        label="Country for public holidays",
        help_text="Its public holidays don't count as business days when we wait for a reply.",
    )
    digest_hour = forms.TypedChoiceField(
        label="Send the digest at",
        choices=_DIGEST_HOURS,
        coerce=int,
        help_text="Your local time. Only used when reminders come as a daily digest.",
    )

    class Meta:
        model = User
        fields = SETTINGS_FIELDS
        labels = {
            "full_name": "Your name",
            "signature": "Email signature",
            "notification_mode": "How should we remind you?",
            "thank_you_notify_delay_minutes": "Remind me to say thank you",
            "quiet_hours_start": "Quiet hours from",
            "quiet_hours_end": "until",
            "call_after_business_days": "Suggest a phone call after",
            "checkin_interval_days": "Suggest a check-in after",
            "min_gap_days": "Leave at least",
            "checkin_min_gap_days": "Before a check-in, leave at least",
            "max_unanswered_outreaches": "Suggest closing an application after",
        }
        help_texts = {
            "full_name": "Used to sign your follow-up drafts.",
            "signature": "Added at the end of the emails you send to interviewers.",
            "thank_you_notify_delay_minutes": (
                "Minutes after an interview ends (0 to 720). A thank-you counts most within "
                "a day, so we never wait past that."
            ),
            "call_after_business_days": (
                "When an email gets no answer for this many business days (1 to 30), we "
                "suggest calling instead. Weekends and public holidays don't count."
            ),
            "checkin_interval_days": (
                "While an application is open, we suggest a friendly check-in this many "
                "days (7 to 120) after you last heard from each other."
            ),
            "min_gap_days": (
                "Days between two messages to the same person (1 to 60), so nobody feels chased."
            ),
            "checkin_min_gap_days": (
                "Days since your last message to that person before a check-in (7 to 120)."
            ),
            "max_unanswered_outreaches": (
                "Messages and calls in a row with no reply (1 to 10). After that we suggest "
                "closing the application rather than following up again."
            ),
        }
        widgets = {
            "signature": forms.Textarea(attrs={"rows": 4}),
            "notification_mode": forms.RadioSelect,
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = zone_choices()
        self.fields["country"].choices = country_select_choices()
        self._limit_number_inputs()
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.include_media = False
        self.helper.form_id = "settings-form"
        self.helper.layout = Layout(
            Div(
                Fieldset(
                    "Profile",
                    Field("full_name", autocomplete="name"),
                    "timezone",
                    "country",
                    "signature",
                ),
                css_class="card card-body mb-4",
            ),
            Div(
                Fieldset(
                    "Follow-up preferences",
                    HTML(
                        '<p class="text-secondary">Followup suggests when and how to follow '
                        "up. These settings change its timing; the suggestions stay yours "
                        "to accept, move or skip.</p>"
                    ),
                    "notification_mode",
                    "digest_hour",
                    AppendedText("thank_you_notify_delay_minutes", "minutes after it ends"),
                    Row(
                        Column("quiet_hours_start", css_class="col-6"),
                        Column("quiet_hours_end", css_class="col-6"),
                        HTML(
                            '<div class="form-text mt-n2 mb-3">We hold reminders during '
                            "these hours and send them when quiet hours end. They may run "
                            "past midnight, like 21:00 to 08:00.</div>"
                        ),
                    ),
                    AppendedText("call_after_business_days", "business days without a reply"),
                    AppendedText("checkin_interval_days", "days of silence"),
                    AppendedText("min_gap_days", "days between follow-ups"),
                    AppendedText("checkin_min_gap_days", "days"),
                    AppendedText("max_unanswered_outreaches", "unanswered messages"),
                ),
                css_class="card card-body mb-4",
            ),
            StrictButton("Save settings", type="submit", css_class="btn btn-primary"),
        )

    def _limit_number_inputs(self) -> None:
        """Let the browser show the model's ranges, so a phone offers a number pad."""
        for name, field in self.fields.items():
            if not isinstance(field, forms.IntegerField):
                continue
            for validator in User._meta.get_field(name).validators:
                if isinstance(validator, MinValueValidator):
                    field.widget.attrs["min"] = validator.limit_value
                elif isinstance(validator, MaxValueValidator):
                    field.widget.attrs["max"] = validator.limit_value


# --- Admin ----------------------------------------------------------------------------------


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(DUPLICATE_EMAIL_MESSAGE, code="duplicate_email")
        return email


class AdminUserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(DUPLICATE_EMAIL_MESSAGE, code="duplicate_email")
        return email


class AccountDeleteForm(forms.Form):
    """The password again, before the account and everything in it are deleted.

    Checked through ``authenticate``, as log-in is: a wrong password counts against the
    client address and the account (axes), so a borrowed session cannot guess it.
    """

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Type your password to confirm. Nothing was deleted."},
    )

    def __init__(self, *args: object, request, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = "accounts:delete"
        self.helper.layout = Layout(
            Field("password", autocomplete="current-password", css_class="form-control-lg"),
            Div(
                StrictButton(
                    "Delete my account", type="submit", css_class="btn btn-danger btn-tap"
                ),
                HTML(
                    '<a class="btn btn-outline-secondary btn-tap" '
                    "href=\"{% url 'accounts:settings' %}\">Keep my account</a>"
                ),
                css_class="d-flex flex-wrap gap-2",
            ),
        )

    def clean_password(self) -> str:
        from django.contrib.auth import authenticate

        password = self.cleaned_data["password"]
        checked = authenticate(self.request, username=self.user.email, password=password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(
                "That is not the password of this account. Nothing was deleted.",
                code="wrong_password",
            )
        return password
