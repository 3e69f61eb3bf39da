"""Filter forms for the public lists. They are GET forms: a bad value in the address
gives a message beside the field, never an error page."""

from django import forms
from django.utils.text import slugify

from partnerships.models import Council, CouncilType, Region, ServiceCategory

CHOOSE_FROM_LIST = "Choose one from the list."


class FilterForm(forms.Form):
    """A GET filter form whose fields in error point at their messages (WCAG 3.3.1)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described_by = [f"{bound.auto_id}-error"]
                if bound.help_text:
                    described_by.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described_by)


class RegionChoiceField(forms.ModelChoiceField):
    """A region, chosen by the slug of its name (what the select sends, e.g.
    `south-east`) or by its primary key (what older links may hold)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Region.objects.only("pk", "name").order_by("name"),
            required=False,
            empty_label="Any region",
            error_messages={
                "invalid_choice": f"There is no region “%(value)s”. {CHOOSE_FROM_LIST}"
            },
            **kwargs,
        )

    def prepare_value(self, value):
        if isinstance(value, Region):
            return slugify(value.name)
        if isinstance(value, str) and value.strip().isdigit():
            region = next((r for r in self.queryset if str(r.pk) == value.strip()), None)
            return slugify(region.name) if region else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        wanted = str(value).strip().lower()
        for region in self.queryset:
            if wanted in (slugify(region.name), str(region.pk)):
                return region
        raise forms.ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


class CouncilCodeField(forms.ChoiceField):
    """A council by GSS code, from a list of current and (after them) former councils.
    Codes are accepted in any case."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class PartnershipFilterForm(FilterForm):
    category = forms.ModelChoiceField(
        label="Service",
        queryset=ServiceCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any service",
        error_messages={
            "invalid_choice": f"There is no service category “%(value)s”. {CHOOSE_FROM_LIST}"
        },
    )
    region = RegionChoiceField(label="Region", help_text="A member council is in this region.")
    council = CouncilCodeField(
        label="Council",
        required=False,
        error_messages={
            "invalid_choice": f"No council has the code “%(value)s”. {CHOOSE_FROM_LIST}"
        },
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("name", "Name (A to Z)"),
            ("-savings", "Achieved savings (highest first)"),
            ("savings", "Achieved savings (lowest first)"),
            ("-start_year", "Start year (newest first)"),
            ("start_year", "Start year (oldest first)"),
        ],
        error_messages={
            "invalid_choice": f"“%(value)s” is not a way to sort this list. {CHOOSE_FROM_LIST}"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current, former = [], []
        for gss_code, short_name, is_current in Council.objects.order_by("short_name").values_list(
            "gss_code", "short_name", "current"
        ):
            if is_current:
                current.append((gss_code, short_name))
            else:
                former.append((gss_code, f"{short_name} (former)"))
        self.council_names = dict(current + former)
        self.fields["council"].choices = [
            ("", "Any council"),
            ("Current councils", current),
            ("Former councils", former),
        ]

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or "name"


class CouncilFilterForm(FilterForm):
    region = RegionChoiceField(label="Region")
    type = forms.ChoiceField(
        label="Type of council",
        required=False,
        choices=[("", "Any type"), *CouncilType.choices],
        error_messages={
            "invalid_choice": f"There is no type of council “%(value)s”. {CHOOSE_FROM_LIST}"
        },
    )
