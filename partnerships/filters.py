"""The one set of partnership filters, shared by the map, the list, the figures, the
downloads and the API, so a filtered view means the same thing everywhere.

Every filter is a subquery (`Exists`), never a join, so results are never duplicated
and the number of queries does not depend on which filters are set.
"""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import QueryDict

from core.parsing import ParseError, StrictYearField, TextField, parse_year
from partnerships import search
from partnerships.forms import FilterForm
from partnerships.models import (
    STATUSES_NOW,
    Council,
    CouncilType,
    GenerationCouncil,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PartnershipStatus,
    PublicBody,
    Region,
    SavingsKind,
    SavingsYear,
    Sector,
    ServiceCategory,
    financial_year_label,
)
from partnerships.rules import START_YEARS
from partnerships.services.snapshots import on_snapshot, snapshot_for
from partnerships.timeline import (
    FIRST_YEAR,
    SHOWN,
    Period,
    current_financial_year,
    left_out_of_year,
    membership_in,
    partnerships_running,
    period_for,
    stand_in_lookup,
    year_range_text,
)

CHOOSE_FROM_LIST = "Choose one from the list."
# The longest search text and council code a filter takes: a name of a partnership or a
# council is under 200 characters, a GSS code 9.
SEARCH_MAX_LENGTH = 200
COUNCIL_CODE_MAX_LENGTH = 20

# Bands of cumulative achieved savings: (value, label, lower bound, upper bound).
SAVINGS_BANDS = (
    ("none", "No achieved figure counted", None, None),
    ("under-100k", "Under £100,000", Decimal("0"), Decimal("100000")),
    ("100k-1m", "£100,000 to £1 million", Decimal("100000"), Decimal("1000000")),
    ("1m-10m", "£1 million to £10 million", Decimal("1000000"), Decimal("10000000")),
    ("10m-plus", "£10 million or more", Decimal("10000000"), None),
)
UNKNOWN_STATUS = "unknown"
# Partnerships without a start year or a figure sort last either way.
# The list's orders, as the sort field and the list's headings name them.
SORT_CHOICES = [
    ("name", "Name (A to Z)"),
    ("-name", "Name (Z to A)"),
    ("start", "Start year (oldest first)"),
    ("-start", "Start year (newest first)"),
    ("-savings", "Achieved savings (largest first)"),
    ("savings", "Achieved savings (smallest first)"),
]
SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "start": (F("start_year").asc(nulls_last=True), "name"),
    "-start": (F("start_year").desc(nulls_last=True), "name"),
    "savings": (F("achieved_total").asc(nulls_last=True), "name"),
    "-savings": (F("achieved_total").desc(nulls_last=True), "name"),
}


def with_achieved_total(queryset: QuerySet, *, up_to_year: int | None = None) -> QuerySet:
    """Annotate each partnership with its cumulative achieved savings as the ledger
    counts them (None if none), up to and including `up_to_year` if given."""
    years = SavingsYear.objects.filter(partnership=OuterRef("pk"), kind=SavingsKind.ACHIEVED)
    if up_to_year is not None:
        years = years.filter(year__lte=up_to_year)
    total = years.order_by().values("partnership").annotate(total=Sum("amount")).values("total")
    return queryset.annotate(
        achieved_total=Subquery(total, output_field=DecimalField(max_digits=16, decimal_places=2))
    )


def _query_dict(data: dict) -> QueryDict:
    """A plain dict of parameters as a QueryDict, so repeatable filters read lists."""
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(
            key, [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        )
    return query


def region_choices() -> list[tuple[str, str]]:
    return list(Region.objects.values_list("slug", "name"))


def category_choices() -> list[tuple[str, str]]:
    return list(ServiceCategory.objects.values_list("slug", "name"))


def year_choices() -> list[tuple[int, str]]:
    """Every financial year there is a map of, newest first (from 2009/10, the first
    council generation, to the current year)."""
    years = range(current_financial_year(), FIRST_YEAR - 1, -1)
    return [(year, financial_year_label(year)) for year in years]


class OneOfManySelect(forms.Select):
    """A plain select for a filter that takes several values (`category`): one is
    chosen in the form; an address may still carry several, and all are kept."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return [v for v in values if v] if isinstance(values, list) else values


def _not_a_choice(thing: str) -> dict[str, str]:
    return {"invalid_choice": f"There is no {thing} “%(value)s”. {CHOOSE_FROM_LIST}"}


class TextFilter(django_filters.CharFilter):
    """Text, bounded in length, without control characters (core.parsing)."""

    field_class = TextField


class YearFilter(django_filters.NumberFilter):
    """A year as four ASCII digits within its bounds (core.parsing): "²", "1e300"
    or "2019.5" get a message beside the field."""

    field_class = StrictYearField


def _year_errors(what: str) -> dict[str, str]:
    return {
        "invalid": f"Give {what} as four digits, like 2019.",
        **START_YEARS.errors(),
    }


def geography_choices(name: str) -> list[tuple[str, str]]:
    """The areas of one kind (`search.GEOGRAPHIES`) as (ONS code, name)."""
    kind = search.GEOGRAPHIES[name][0]
    return list(
        PublicBody.objects.filter(kind=kind)
        .exclude(code=None)
        .order_by("name")
        .values_list("code", "name")
    )


def all_geography_choices() -> dict[str, list[tuple[str, str]]]:
    """Every kind's areas, {filter name: choices}, in one query (for a page's form)."""
    kinds = {kind: name for name, (kind, _label) in search.GEOGRAPHIES.items()}
    choices: dict[str, list[tuple[str, str]]] = {name: [] for name in search.GEOGRAPHIES}
    rows = (
        PublicBody.objects.filter(kind__in=list(kinds))
        .exclude(code=None)
        .order_by("name")
        .values_list("kind", "code", "name")
    )
    for kind, code, name in rows:
        choices[kinds[kind]].append((code, name))
    return choices


class GeographyFilter(django_filters.ChoiceFilter):
    """A member council is in one area of a kind (a police force area, …), given by the
    area's ONS code (E23000030), as `/api/public-bodies/` lists them."""

    def __init__(self, name: str, **kwargs):
        label = search.GEOGRAPHIES[name][1]
        super().__init__(
            label=label,
            choices=lambda: geography_choices(name),
            method="filter_geography",
            empty_label=f"Any {label[0].lower()}{label[1:]}",
            help_text=f"A member council is in this {label[0].lower()}{label[1:]}.",
            error_messages=_not_a_choice(label[0].lower() + label[1:]),
            **kwargs,
        )


class PartnershipFilter(django_filters.FilterSet):
    """Filters for published partnerships; see the module docstring."""

    q = TextFilter(
        label="Name or code",
        max_length=SEARCH_MAX_LENGTH,
        help_text=(
            "Words of a partnership's name, or of a member council's or public body's, "
            "a service (legal), or a council's GSS code (E07000240)."
        ),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = django_filters.MultipleChoiceFilter(
        label="Service category",
        choices=category_choices,
        method="filter_category",
        error_messages=_not_a_choice("service category"),
    )
    region = django_filters.ChoiceFilter(
        label="Region",
        choices=region_choices,
        method="filter_region",
        empty_label="Any region",
        help_text="A member council is in this region.",
        error_messages=_not_a_choice("region"),
    )
    council_type = django_filters.ChoiceFilter(
        label="Council type",
        choices=CouncilType.choices,
        method="filter_council_type",
        empty_label="Any type",
        help_text="A member council is of this type.",
        error_messages=_not_a_choice("type of council"),
    )
    combined_authority = GeographyFilter("combined_authority")
    fire_rescue_authority = GeographyFilter("fire_rescue_authority")
    police_force_area = GeographyFilter("police_force_area")
    integrated_care_board = GeographyFilter("integrated_care_board")
    sector = django_filters.ChoiceFilter(
        label="Partner sector",
        choices=Sector.choices,
        method="filter_sector",
        empty_label="Any sector",
        help_text="A member public body is in this sector.",
        error_messages=_not_a_choice("partner sector"),
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[*PartnershipStatus.choices, (UNKNOWN_STATUS, "Status not confirmed")],
        method="filter_status",
        empty_label="Running or not confirmed",
        help_text="Ended and proposed partnerships are shown only when asked for.",
        error_messages=_not_a_choice("status"),
    )
    savings = django_filters.ChoiceFilter(
        label="Achieved savings",
        choices=[(value, label) for value, label, *_ in SAVINGS_BANDS],
        method="filter_savings",
        empty_label="Any amount",
        error_messages=_not_a_choice("savings band"),
    )
    start_from = YearFilter(
        label="Started in or after",
        field_name="start_year",
        lookup_expr="gte",
        min_value=START_YEARS.earliest,
        max_value=START_YEARS.latest,
        error_messages=_year_errors("the year"),
    )
    start_to = YearFilter(
        label="Started in or before",
        field_name="start_year",
        lookup_expr="lte",
        min_value=START_YEARS.earliest,
        max_value=START_YEARS.latest,
        error_messages=_year_errors("the year"),
    )
    council = TextFilter(
        label="Council",
        method="filter_council",
        max_length=COUNCIL_CODE_MAX_LENGTH,
        help_text="Its GSS code, e.g. E07000223.",
    )
    year = YearFilter(
        label="As at financial year",
        method="filter_year",
        help_text="That year's councils, and the partnerships and members of that year.",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=None,
        error_messages={
            "invalid_choice": f"“%(value)s” is not a way to sort this list. {CHOOSE_FROM_LIST}"
        },
    )

    class Meta:
        model = Partnership
        fields: list[str] = []
        # Fields in error point at their messages (WCAG 3.3.1).
        form = FilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        if data is not None and not hasattr(data, "getlist"):
            data = _query_dict(data)
        if queryset is None:
            queryset = Partnership.objects.filter(published=True)
        year = None
        if data and data.get("year"):
            try:
                year = parse_year(
                    str(data["year"]), min_year=FIRST_YEAR, max_year=current_financial_year()
                )
            except ParseError:
                pass  # the form puts the message beside the field
        self.period: Period = period_for(year)
        # A year whose map was published reads what was frozen then.
        self.snapshot = snapshot_for(year)
        if self.snapshot is not None:
            queryset = on_snapshot(queryset, self.snapshot)
        # Only a status the filter knows widens what counts; a wrong one is refused
        # beside the field and counts as none asked for.
        statuses_asked = bool(data and data.get("status") in self.status_values())
        queryset = partnerships_running(queryset, self.period, statuses_asked=statuses_asked)
        super().__init__(data, with_achieved_total(queryset, up_to_year=year), **kwargs)
        outside = year_range_text()
        self.filters["year"].extra.update(
            min_value=FIRST_YEAR,
            max_value=current_financial_year(),
            error_messages={
                "invalid": f"Give the financial year as four digits, like 2019. {outside}",
                "min_value": outside,
                "max_value": outside,
            },
        )

    @staticmethod
    def status_values() -> set[str]:
        return {*PartnershipStatus.values, UNKNOWN_STATUS}

    def memberships(self, **conditions) -> Exists:
        """Whether the partnership has a member that counts in the view's period and
        whose standing-in council (that year's, or its successor now) meets
        `conditions` (lookups on `GenerationCouncil`)."""
        lookups = {f"{SHOWN}{key}": value for key, value in conditions.items()}
        return Exists(
            PartnershipCouncil.objects.filter(
                membership_in(self.period), partnership=OuterRef("pk")
            ).filter(**stand_in_lookup(self.period), **lookups)
        )

    @classmethod
    def for_page(cls, data) -> "PartnershipFilter":
        """The filters as a page's form shows them: the year as a choice of the years in
        the data (one more query)."""
        filterset = cls(data or None)
        fields = filterset.form.fields
        # Read each list of choices once, for checking the value and drawing the select.
        # (The field puts its own "Any region" first.)
        fields["region"].choices = region_choices()
        for name, choices in all_geography_choices().items():
            fields[name].choices = choices
        fields["category"].choices = category_choices()
        fields["category"].widget = OneOfManySelect(
            choices=[("", "Any service"), *fields["category"].choices]
        )
        filterset.form.fields["year"].widget = forms.Select(choices=[("", "Now"), *year_choices()])
        filterset.form.period_note = filterset.period_note
        filterset.form.fields["year"].help_text = (
            "That year's councils and the partnerships running then: as published at the "
            "end of that year's refresh where there is a snapshot, otherwise reconstructed "
            "from start and end dates."
        )
        return filterset

    def period_note(self) -> str:
        """What the view counts, in words, for the page beside its count."""
        if self.period.year is not None and self.is_bound and "year" in self.form.errors:
            return ""
        if self.period.is_now:
            if self.cleaned("status"):
                return "Now: partnerships of the status asked for, with their present members."
            return (
                "Now: partnerships that are operational or whose status is not confirmed, "
                "with their present members; councils that no longer exist count for their "
                "successors. Ended and proposed partnerships are shown when the status "
                "filter asks for them."
            )
        year = financial_year_label(self.period.year)
        snapshot = self.snapshot
        note = (
            f"As at {year}, as published on {snapshot.published_at:%d %B %Y}."
            if snapshot
            else f"As at {year}: {year}'s councils and the partnerships running then, "
            "reconstructed from start and end dates."
        )
        left_out = left_out_of_year(
            Partnership.objects.filter(published=True, status__in=STATUSES_NOW), self.period
        )
        if left_out:
            note += (
                f" {left_out} partnership{'s' if left_out != 1 else ''} with no known start "
                "year {verb} left out of past years, because when {pronoun} began is not "
                "known.".format(
                    verb="are" if left_out != 1 else "is", pronoun="they" if left_out != 1 else "it"
                )
            )
        return note

    def cleaned(self, name: str):
        """A filter's valid value, or None when it was not given or not valid."""
        if not self.is_bound or not (self.is_valid() or name not in self.form.errors):
            return None
        return self.form.cleaned_data.get(name) or None

    def query_string(self) -> str:
        """The filters in force (valid ones only) as a query string, for links that carry
        the current view elsewhere: the list, the map, the figures and the downloads."""
        if not self.is_bound:
            return ""
        query = QueryDict(mutable=True)
        self.is_valid()
        for name in self.filters:
            if name in self.form.errors:
                continue
            values = [v for v in self.data.getlist(name) if str(v).strip()]
            if values:
                query.setlist(name, values)
        return query.urlencode()

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("name")
        return super().filter_queryset(queryset)

    def applied(self) -> list[tuple[str, str]]:
        """The filters in force, as (label, value shown to people), for headings and files."""
        if not self.is_bound or not self.is_valid():
            return []
        applied = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", []) or name == "sort":
                continue
            field = self.form.fields[name]
            choices = dict(getattr(field, "choices", []))
            values = value if isinstance(value, list) else [value]
            shown = ", ".join(str(choices.get(v, v)) for v in values)
            if name == "year":
                shown = financial_year_label(value)
            elif name == "council":
                code = value.strip().upper()
                shown = (
                    Council.objects.filter(gss_code=code)
                    .values_list("short_name", flat=True)
                    .first()
                    or code
                )
            applied.append((str(field.label), shown))
        return applied

    def describe(self) -> str:
        applied = self.applied()
        if not applied:
            return "all published partnerships"
        return "published partnerships where " + "; ".join(f"{k}: {v}" for k, v in applied)

    def filter_search(self, queryset, name, value):
        """A partnership whose name holds every word typed, or one with a member council
        (by its own name or that of the council standing for it in the period), a
        member public body or a service category that does, or with that GSS code
        (`partnerships.search`)."""
        words, code = search.search_words(value), search.code_in(value)
        if not value.strip():
            return queryset
        if not words and not code:
            return queryset.none()
        shown = GenerationCouncil.objects.filter(generation_id=self.period.generation_id).filter(
            search.words_match(words, "name") | (Q(gss_code=code) if code else Q(pk__in=[]))
        )
        members = PartnershipCouncil.objects.filter(
            membership_in(self.period),
            partnership=OuterRef("pk"),
            council__in=search.councils_matching(value).values("pk"),
        )
        bodies = PartnershipPublicBody.objects.filter(
            membership_in(self.period),
            partnership=OuterRef("pk"),
            public_body__in=search.bodies_matching(value).values("pk"),
        )
        categories = Partnership.categories.through.objects.filter(
            partnership=OuterRef("pk"),
            servicecategory__in=search.categories_matching(value).values("pk"),
        )
        return queryset.filter(
            search.words_match(words, "name")
            | Exists(members)
            | self.memberships(pk__in=shown.values("pk"))
            | Exists(bodies)
            | Exists(categories)
        )

    def filter_category(self, queryset, name, value):
        if not value:
            return queryset
        through = Partnership.categories.through
        return queryset.filter(
            Exists(
                through.objects.filter(partnership=OuterRef("pk"), servicecategory__slug__in=value)
            )
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(self.memberships(region__slug=value))

    def filter_council_type(self, queryset, name, value):
        return queryset.filter(self.memberships(council_type=value))

    def filter_sector(self, queryset, name, value):
        return queryset.filter(
            Exists(
                PartnershipPublicBody.objects.filter(
                    membership_in(self.period),
                    partnership=OuterRef("pk"),
                    public_body__sector=value,
                )
            )
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(status="" if value == UNKNOWN_STATUS else value)

    def filter_savings(self, queryset, name, value):
        for band, _label, lower, upper in SAVINGS_BANDS:
            if band != value:
                continue
            if lower is None and upper is None:
                return queryset.filter(achieved_total__isnull=True)
            queryset = queryset.filter(achieved_total__gte=lower)
            return queryset.filter(achieved_total__lt=upper) if upper is not None else queryset
        return queryset

    def filter_geography(self, queryset, name, value):
        """A member council (the one standing for it in the period) is in the area."""
        return queryset.filter(self.memberships(**{f"council__{name}__code": value}))

    def filter_council(self, queryset, name, value):
        return queryset.filter(self.memberships(council__gss_code=value.strip().upper()))

    def filter_year(self, queryset, name, value):
        """The year is applied to the base queryset in `__init__` (`partnerships.timeline`),
        because every other filter reads the period too."""
        return queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["name"]))
