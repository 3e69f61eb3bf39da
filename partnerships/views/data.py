"""The "Data and API" page: every download and layer with what it holds, its format,
period and licence, and the API with its addresses, examples, limits and pages, so that
someone reusing the data finds it all in one place."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from partnerships.api.pagination import PageNumberPagination
from partnerships.licence import LICENCE_NAME, LICENCE_URL
from partnerships.models import SavingsRecord, financial_year_label
from partnerships.services.ledger import COUNTING_RULE
from partnerships.views.figures import TABLES


@dataclass(frozen=True)
class DataFile:
    """A download as the page lists it."""

    name: str
    url: str
    format: str
    contents: str
    about_url: str = ""


def _savings_years() -> str:
    """The financial years the published savings figures cover (one query)."""
    years = SavingsRecord.objects.filter(partnership__published=True).aggregate(
        first=Min("start_year"), last_start=Max("start_year"), last_end=Max("end_year")
    )
    last = max(y for y in (years["last_start"], years["last_end"], 0) if y is not None)
    if years["first"] is None or not last:
        return "no savings figures with a period are published yet"
    return f"{financial_year_label(years['first'])} to {financial_year_label(last)}"


def _files() -> list[DataFile]:
    files = [
        DataFile(
            "Partnerships",
            reverse("partnerships:partnerships-csv"),
            "CSV (UTF-8)",
            "One row per partnership: its page, service categories, status, start and end "
            "years, lead, member councils (names and GSS codes), public bodies, the "
            "councils and savings counted in the view, the latest achieved figure, "
            "description, website and sources.",
            reverse("partnerships:partnerships-csv-about"),
        ),
        DataFile(
            "Savings figures",
            reverse("partnerships:savings-csv"),
            "CSV (UTF-8)",
            "One row per savings figure: partnership, financial years, amount, per year or "
            "in all, achieved or expected, the years it counts in totals, cashable, "
            "recurring, where it came from, evidence, date reported, the source's words and "
            "link.",
            reverse("partnerships:savings-csv-about"),
        ),
        DataFile(
            "Partnerships and savings workbook",
            reverse("partnerships:partnerships-xlsx"),
            "XLSX (Excel)",
            "Both tables above as sheets, numbers and years as numbers, each with a filter "
            'on its header row, and an "About" sheet with the licence, attribution, period '
            "and source.",
        ),
    ]
    files += [
        DataFile(
            f"Figures: {spec.heading.lower()}",
            reverse("partnerships:figures-csv", args=[spec.slug]),
            "CSV (UTF-8)",
            f"{spec.caption}, as the table on the figures page. {spec.note}".strip(),
            reverse("partnerships:figures-csv-about", args=[spec.slug]),
        )
        for spec in TABLES
    ]
    return files


def _layers() -> list[DataFile]:
    return [
        DataFile(
            "Councils as a map layer",
            reverse("api:councils-geojson"),
            "GeoJSON (WGS84)",
            "The current district-level councils (or counties with ?layer=counties), each "
            "with its GSS code, name, type and number of partnerships; the same filters as "
            "the map.",
        ),
        DataFile(
            "Regions",
            reverse("api:regions-geojson"),
            "GeoJSON (WGS84)",
            "The nine regions of England with their GSS codes, names and slugs.",
        ),
        DataFile(
            "One council's or public body's boundary",
            reverse("api:council-boundary", args=["E07000223"]),
            "GeoJSON Feature (WGS84)",
            "Any council by its GSS code (Adur here; ?detail=high for the detailed "
            "boundary), or a fire and rescue, police or health body's area at "
            "/api/public-bodies/<code>/boundary/.",
        ),
    ]


_PERIODS = {"s": "a second", "m": "a minute", "h": "an hour", "d": "a day"}


def rate_words(rate: str) -> str:
    """A DRF throttle rate ("600/hour") in words: "600 requests an hour"."""
    number, _, period = rate.partition("/")
    return f"{number} requests {_PERIODS.get(period[:1], 'per ' + period)}"


@require_safe
def data_api(request: HttpRequest) -> HttpResponse:
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    site = request.build_absolute_uri("/")[:-1]
    return render(
        request,
        "partnerships/data_api.html",
        {
            "files": _files(),
            "layers": _layers(),
            "savings_years": _savings_years(),
            "counting_rule": COUNTING_RULE,
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "site": site,
            "api_root": site + reverse("api:api-root"),
            "schema_url": site + reverse("api:schema"),
            "docs_url": site + reverse("api:docs"),
            "redoc_url": site + reverse("api:redoc"),
            "rates": {scope: rate_words(rate) for scope, rate in rates.items()},
            "page_size": settings.REST_FRAMEWORK["PAGE_SIZE"],
            "max_page_size": PageNumberPagination.max_page_size,
            "breadcrumbs": [("Home", reverse("partnerships:map")), ("Data and API", None)],
        },
    )
