"""Forms for contacts from elsewhere: a business card photo, a .vcf file, and the import's
confirmation, where the user says what to do with each card whose person is already known."""

from __future__ import annotations

from django import forms

from followup_site.crispy_layout import Field, Layout
from interviews.forms import crispy_helper
from interviews.selectors import ImportRow

FILL = "fill"
KEEP = "keep"


class CardUploadForm(forms.Form):
    image = forms.FileField(
        label="Photo of the card",
        help_text="On a phone this opens the camera. A QR code on the card is read exactly.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment", "data-autosubmit": "true"}
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper(Layout(Field("image")))


class VCardUploadForm(forms.Form):
    file = forms.FileField(
        label="vCard file (.vcf)",
        help_text="One or many contacts, as address books export them (vCard 2.1, 3.0 or 4.0).",
        widget=forms.ClearableFileInput(attrs={"accept": ".vcf,.vcard,text/vcard,text/x-vcard"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("file")


class VCardImportForm(forms.Form):
    """The preview's form: the signed cards, and a choice for each one already known."""

    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: object, rows: list[ImportRow], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.matched = [(index, row) for index, row in enumerate(rows) if row.existing]
        for index, row in self.matched:
            self.fields[f"merge_{index}"] = forms.ChoiceField(
                label=f"{row.card.name} ({row.card.email}) is already in your contacts as "
                f"{row.existing.name}",
                choices=[
                    (FILL, "Fill in the details they are missing from this card"),
                    (KEEP, "Keep the contact as it is"),
                ],
                initial=FILL,
                widget=forms.RadioSelect,
            )
        self.helper = crispy_helper("payload", *(f"merge_{index}" for index, _ in self.matched))

    def fill_indexes(self) -> set[int]:
        return {index for index, _ in self.matched if self.cleaned_data[f"merge_{index}"] == FILL}
