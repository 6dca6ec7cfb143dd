"""Forms of the spreadsheet import: the upload, and which column holds what."""

from __future__ import annotations

from crispy_forms.layout import Column, Row
from django import forms
from django.core.exceptions import ValidationError

from interviews.forms import crispy_helper
from interviews.models import SpreadsheetImport
from interviews.spreadsheet import TARGETS

NOT_IN_FILE = ""


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Save your spreadsheet as CSV (“CSV UTF-8” if your program offers it). "
        "The first row must name the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
        error_messages={"required": "Choose a CSV file to upload.", "empty": "The file is empty."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper("file")


class SpreadsheetMappingForm(forms.Form):
    """One choice per field: the column of the file that holds it, or none."""

    date_order = forms.ChoiceField(
        label="Dates are written",
        choices=SpreadsheetImport.DateOrder.choices,
        help_text="Only matters for dates like 03/04/2025.",
    )

    def __init__(self, *args: object, job: SpreadsheetImport, **kwargs: object) -> None:
        kwargs.setdefault(
            "initial",
            {
                **{key: str(index) for key, index in job.mapping.items()},
                "date_order": job.date_order,
            },
        )
        super().__init__(*args, **kwargs)
        columns = [(str(index), name) for index, name in enumerate(job.header)]
        for target in TARGETS:
            self.fields[target.key] = forms.ChoiceField(
                label=target.label,
                choices=[(NOT_IN_FILE, "— not in the file —"), *columns],
                required=target.required,
                error_messages={
                    "required": f"Choose the column that holds the {target.label.lower()}."
                },
            )
        self.order_fields([target.key for target in TARGETS] + ["date_order"])
        self.helper = crispy_helper(
            *(
                Row(*(Column(key, css_class="col-md-6") for key in pair))
                for pair in _pairs([target.key for target in TARGETS] + ["date_order"])
            )
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        chosen: dict[str, str] = {}
        for target in TARGETS:
            column = cleaned.get(target.key)
            if not column:
                continue
            if column in chosen:
                self.add_error(
                    target.key,
                    ValidationError(
                        f"This column is already chosen for the {chosen[column].lower()}."
                    ),
                )
            chosen.setdefault(column, target.label)
        return cleaned

    def mapping(self) -> dict[str, int]:
        return {
            target.key: int(self.cleaned_data[target.key])
            for target in TARGETS
            if self.cleaned_data.get(target.key)
        }


def _pairs(keys: list[str]) -> list[list[str]]:
    return [keys[index : index + 2] for index in range(0, len(keys), 2)]
