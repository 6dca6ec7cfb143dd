"""The forms of the invitation import: the file upload, and the confirmation that picks the
application. The confirmation carries the event itself (the one VEVENT and its zones) in a
signed hidden field, so nothing is saved before the user confirms and nothing they did not
upload can be slipped in.
"""

from __future__ import annotations

from datetime import datetime

from crispy_forms.layout import Column, Row
from django import forms
from django.conf import settings
from django.core import signing
from django.db.models import QuerySet

from interviews.forms import crispy_helper
from interviews.invitations import InvitationError, InvitationEvent, invitation_parse

_SALT = "interviews.invitation"
# A confirmation page left open longer than this asks for the file again.
CONFIRM_MAX_AGE_SECONDS = 24 * 3600


def invitation_read(*, data: bytes, user_zone: str, now: datetime) -> InvitationEvent:
    return invitation_parse(
        data=data,
        user_zone=user_zone,
        max_bytes=settings.INVITATION_MAX_BYTES,
        max_events=settings.INVITATION_MAX_EVENTS,
        now=now,
    )


def invitation_sign(*, user_id: int, calendar_text: str) -> str:
    return signing.dumps({"user": user_id, "calendar": calendar_text}, salt=_SALT, compress=True)


class InvitationUploadForm(forms.Form):
    file = forms.FileField(
        label="Invitation file (.ics)",
        help_text="In your calendar or the invitation email, download or export the event as "
        "an .ics file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )

    def __init__(self, *args: object, user_zone: str, now: datetime, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user_zone = user_zone
        self.now = now
        self.helper = crispy_helper("file")

    def clean_file(self) -> InvitationEvent:
        upload = self.cleaned_data["file"]
        if upload.size > settings.INVITATION_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024:,.0f} KB; an invitation is at most "
                f"{settings.INVITATION_MAX_BYTES / 1024:,.0f} KB. Export the one interview's "
                "invitation, not a whole calendar."
            )
        try:
            return invitation_read(data=upload.read(), user_zone=self.user_zone, now=self.now)
        except InvitationError as error:
            raise forms.ValidationError(str(error)) from error


class InvitationConfirmForm(forms.Form):
    invitation = forms.CharField(widget=forms.HiddenInput)
    application = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="A new application (below)",
        label="Application",
    )
    company_name = forms.CharField(
        label="Company (for a new application)", max_length=200, required=False
    )
    role = forms.CharField(label="Role (for a new application)", max_length=200, required=False)

    def __init__(
        self,
        *args: object,
        user_id: int,
        user_zone: str,
        now: datetime,
        applications: QuerySet,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user_id = user_id
        self.user_zone = user_zone
        self.now = now
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda application: (
            f"{application.role} at {application.company.name}"
            + ("" if application.is_open else " (closed)")
        )
        self.helper = crispy_helper(
            "invitation",
            "application",
            Row(Column("company_name", css_class="col-md-6"), Column("role", css_class="col-md-6")),
        )

    def clean_invitation(self) -> InvitationEvent:
        try:
            payload = signing.loads(
                self.cleaned_data["invitation"], salt=_SALT, max_age=CONFIRM_MAX_AGE_SECONDS
            )
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                "This confirmation page is more than a day old. Upload the invitation again."
            ) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(
                "This confirmation could not be read. Upload the invitation again."
            ) from error
        if not isinstance(payload, dict) or payload.get("user") != self.user_id:
            raise forms.ValidationError("This confirmation is not yours. Upload the invitation.")
        try:
            return invitation_read(
                data=str(payload.get("calendar", "")).encode(),
                user_zone=self.user_zone,
                now=self.now,
            )
        except InvitationError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if cleaned.get("application") is None:
            for name, label in (("company_name", "company"), ("role", "role")):
                if not (cleaned.get(name) or "").strip():
                    self.add_error(name, f"For a new application, give the {label}.")
        return cleaned
