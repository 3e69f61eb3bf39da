"""Filters for the API lists that the site has no counterpart for (councils, public
bodies, savings records). Partnerships use `partnerships.filters.PartnershipFilter`
itself, and savings records are filtered by it too, so a filter means the same thing on
the site, in the downloads and here."""

import copy

import django_filters

from partnerships import search
from partnerships.filters import SEARCH_MAX_LENGTH, PartnershipFilter, region_choices
from partnerships.models import (
    Council,
    CouncilType,
    PublicBody,
    PublicBodyKind,
    SavingsKind,
    SavingsRecord,
    Sector,
)


class CouncilFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=(
            "Every word in the name, ignoring case, apostrophes and punctuation "
            "(St. Albans, St Albans), or the GSS code, now or in a past year"
        ),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
    )
    region = django_filters.ChoiceFilter(
        label="Region (slug, as in /api/regions/)", choices=region_choices, method="filter_region"
    )
    type = django_filters.ChoiceFilter(
        label="Council type", field_name="council_type", choices=CouncilType.choices
    )
    current = django_filters.BooleanFilter(label="Current (true) or former (false) councils")

    class Meta:
        model = Council
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        """As the site's search box finds councils (`partnerships.search`)."""
        if not value.strip():
            return queryset
        return queryset.filter(pk__in=search.councils_matching(value).values("pk"))

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__slug=value)


class PublicBodyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Every word in the name, ignoring case and punctuation, or the ONS code",
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
    )
    kind = django_filters.ChoiceFilter(label="Kind of body", choices=PublicBodyKind.choices)
    sector = django_filters.ChoiceFilter(label="Sector", choices=Sector.choices)

    class Meta:
        model = PublicBody
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        """As the site's search box finds bodies ("Hampshire Constabulary" finds
        Hampshire & Isle of Wight Constabulary; `partnerships.search`)."""
        if not value.strip():
            return queryset
        return queryset.filter(pk__in=search.bodies_matching(value).values("pk"))


YEAR_LABEL = "Financial year (2018 for 2018/19): records covering it, of partnerships running then"


def _applied_through_partnership_filter(queryset, name, value):
    """Stands in for a partnership filter on savings records: they are applied together,
    by `PartnershipFilter`, in `SavingsRecordFilter.filter_queryset`."""
    return queryset


class SavingsRecordFilter(django_filters.FilterSet):
    """Savings records of the partnerships `PartnershipFilter` selects with the same
    parameters, optionally of one kind and covering one financial year."""

    kind = django_filters.ChoiceFilter(label="Achieved or expected", choices=SavingsKind.choices)

    class Meta:
        model = SavingsRecord
        fields: list[str] = []

    @classmethod
    def get_filters(cls):
        # Every partnership filter, for validation and the schema, then this set's own.
        filters = {}
        for name, partnership_filter in PartnershipFilter.base_filters.items():
            filters[name] = copy.deepcopy(partnership_filter)
            filters[name].method = _applied_through_partnership_filter
        filters["year"].label = YEAR_LABEL
        filters.update(super().get_filters())
        return filters

    def filter_queryset(self, queryset):
        partnerships = PartnershipFilter(self.data, request=self.request)
        queryset = queryset.filter(partnership__in=partnerships.qs.values("pk"))
        kind = self.form.cleaned_data.get("kind")
        if kind:
            queryset = queryset.filter(kind=kind)
        year = self.form.cleaned_data.get("year")
        if year is not None:
            queryset = queryset.filter(start_year__lte=year, end_year__gte=year)
        return queryset
