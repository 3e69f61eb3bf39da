"""Forms and formsets for the LGA staff's admin.

They check what a person typed or uploaded; the rules about partnerships themselves live
in the models and services they call.
"""

import csv
import io
from itertools import combinations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from partnerships.models import PartnershipPublicBody, financial_year_label
from partnerships.rules import members_check
from partnerships.services.csv_rows import PARTNERSHIP_COLUMNS

# Far above the known partnerships file (65 rows, about 60 kB): a larger upload is a
# mistake, and the file waits in the cache between its preview and the confirmation.
CSV_MAX_BYTES = 2 * 1024 * 1024
CSV_MAX_ROWS = 2_000
# The token a preview page carries to confirm its upload: secrets.token_urlsafe(24).
UPLOAD_TOKEN = r"[A-Za-z0-9_-]{32}"


def _checked(value) -> bool:
    """A POSTed checkbox value as the form's BooleanField would read it."""
    return forms.BooleanField(required=False).to_python(value)


class CouncilMembersFormSet(BaseInlineFormSet):
    """The member councils of a partnership, checked together with its other members.

    The admin validates each inline on its own, so the public-body rows submitted on the
    same page are read from the POSTed data: rows marked for deletion do not count
    towards the members `rules.members_check` asks for.
    """

    body_prefix = PartnershipPublicBody._meta.get_field(
        "partnership"
    ).remote_field.get_accessor_name()

    def _submitted_body_ids(self) -> set[str] | None:
        """Public bodies kept or added in the body inline; None if it was not on the page."""
        total = self.data.get(f"{self.body_prefix}-TOTAL_FORMS")
        if total is None:
            return None
        try:
            count = min(int(total), self.absolute_max)
        except ValueError:
            return set()
        ids = set()
        for index in range(count):
            row = f"{self.body_prefix}-{index}"
            body_id = self.data.get(f"{row}-public_body")
            if body_id and not _checked(self.data.get(f"{row}-DELETE")):
                ids.add(body_id)
        return ids

    def clean(self) -> None:
        super().clean()
        councils = {
            form.cleaned_data["council"].pk
            for form in self.forms
            if form.cleaned_data.get("council") and not self._should_delete_form(form)
        }
        bodies = self._submitted_body_ids()
        if bodies is None:
            # Someone who may not edit the bodies keeps the ones already saved.
            bodies = (
                set(self.instance.body_memberships.values_list("public_body_id", flat=True))
                if self.instance.pk
                else set()
            )
        members_check(councils, bodies)


class SavingsRecordsFormSet(BaseInlineFormSet):
    """Savings figures of one source submitted together must not cover the same year
    twice (figures of different sources may: the ledger picks the one that counts).

    Each record's own clean() checks the figures already saved; this checks the rows on
    the page against each other.
    """

    def clean(self) -> None:
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not self._should_delete_form(form)
            and all(form.cleaned_data.get(f) is not None for f in ("start_year", "end_year"))
            and form.cleaned_data.get("kind")
        ]
        for first, second in combinations(rows, 2):
            if (
                first["kind"] == second["kind"]
                and first.get("origin") == second.get("origin")
                and first.get("origin_detail", "") == second.get("origin_detail", "")
                and first.get("origin") != "reference"
                and first["start_year"] <= second["end_year"]
                and second["start_year"] <= first["end_year"]
            ):
                overlap = financial_year_label(max(first["start_year"], second["start_year"]))
                raise ValidationError(
                    f"Two {first['kind']} savings figures from the same source both cover "
                    f"{overlap}; one source gives one figure of a kind for a year. "
                    "Merge them, change their years or give each its own source.",
                    code="overlapping_savings",
                )


class PartnershipCsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "UTF-8 CSV with the columns of known_partnerships.csv: "
            + ", ".join(PARTNERSHIP_COLUMNS)
            + f". At most {CSV_MAX_BYTES // 1024 // 1024} MB and {CSV_MAX_ROWS:,} "
            "partnerships; nothing is saved until you have seen what the file would do."
        ),
    )
    update_existing = forms.BooleanField(
        label="Update partnerships that already exist",
        required=False,
        help_text=(
            "Leave unticked to add only new partnerships; a partnership with the same "
            "name as one already here is then left as it is."
        ),
    )

    def clean_file(self) -> str:
        """The uploaded file's text, once it is known to be a CSV with the right columns
        and no more rows than an upload takes."""
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError(
                f"This file is {upload.size / 1024 / 1024:,.1f} MB; a partnerships CSV is "
                f"at most {CSV_MAX_BYTES // 1024 // 1024} MB. Split it and upload each part."
            )
        raw = upload.read(CSV_MAX_BYTES + 1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "This file is not UTF-8 text, so it is not a CSV file this upload can "
                "read (an Excel workbook, perhaps). In your spreadsheet choose "
                "“Save as” and the format “CSV UTF-8”, then upload that file."
            ) from exc
        if not text.strip():
            raise ValidationError("This file is empty.")
        if "\x00" in text:
            raise ValidationError("This file is not a CSV file: it contains binary data.")
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            raise ValidationError(f"This file is not a CSV file that can be read: {exc}.") from exc
        header = rows[0]
        missing = [column for column in PARTNERSHIP_COLUMNS if column not in header]
        if missing:
            raise ValidationError(
                "The first row of the file must name the columns. These are missing: "
                + ", ".join(missing)
                + "."
            )
        if len(rows) < 2:
            raise ValidationError("This file has a header row but no partnerships.")
        if len(rows) - 1 > CSV_MAX_ROWS:
            raise ValidationError(
                f"This file has {len(rows) - 1:,} rows of partnerships; an upload takes at "
                f"most {CSV_MAX_ROWS:,}. Split it and upload each part."
            )
        return text


class PublishChoice:
    NOW = "publish"
    LATER = "unpublished"


class PartnershipCsvConfirmForm(forms.Form):
    """The confirmation of a previewed upload: which upload (the key it waits under)
    and whether the partnerships it creates are published now."""

    token = forms.RegexField(regex=rf"^{UPLOAD_TOKEN}$", widget=forms.HiddenInput)
    publish = forms.ChoiceField(
        label="The new partnerships this file creates",
        choices=[
            (PublishChoice.NOW, "Publish now: they appear on the map at once"),
            (PublishChoice.LATER, "Keep unpublished: publish them from the list when checked"),
        ],
        widget=forms.RadioSelect,
        help_text="Partnerships that already exist keep their own choice.",
        error_messages={
            "required": "Choose whether to publish the new partnerships now or keep them "
            "unpublished."
        },
    )
