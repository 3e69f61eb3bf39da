"""Open data downloads of the current (filtered) view."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from core.exports import CONTENT_TYPES
from partnerships import exports
from partnerships.filters import PartnershipFilter


@dataclass(frozen=True)
class Download:
    """A file to send: its content, its format ("csv" or "xlsx") and its name's stem;
    the applied filters are added to the name."""

    content: str | bytes
    format: str
    stem: str


def filtered_or_400(request: HttpRequest) -> PartnershipFilter | HttpResponse:
    """The request's filters, or a 400 saying which ones could not be understood: a file
    must never quietly hold more than the view it was asked for."""
    filterset = PartnershipFilter(request.GET)
    if filterset.is_valid():
        return filterset
    problems = "\n".join(
        f"{filterset.form.fields[name].label}: {' '.join(errors)}"
        for name, errors in filterset.form.errors.items()
    )
    return HttpResponse(
        f"The download could not be made because of these filters:\n{problems}\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def file_name(filterset: PartnershipFilter, stem: str, extension: str) -> str:
    applied = "-".join(slugify(value) for _label, value in filterset.applied())[:80]
    return f"{stem}{'-' + applied if applied else ''}.{extension}"


def filtered_download(
    view: Callable[..., Download],
) -> Callable[..., HttpResponse]:
    """A download view of the filtered partnerships: it gets the valid filters and returns
    a Download, sent as an attachment; bad filters get a 400 before it runs."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        filterset = filtered_or_400(request)
        if isinstance(filterset, HttpResponse):
            return filterset
        download = view(request, filterset, *args, **kwargs)
        response = HttpResponse(download.content, content_type=CONTENT_TYPES[download.format])
        name = file_name(filterset, download.stem, download.format)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    return wrapper


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@filtered_download
def partnerships_csv(request: HttpRequest, filterset: PartnershipFilter) -> Download:
    partnerships = exports.partnerships_for_export(partnerships=filterset.qs)
    text = exports.csv_export(
        rows=exports.partnership_rows(
            partnerships, base_url=_base_url(request), period=filterset.period
        ),
        columns=exports.PARTNERSHIP_COLUMNS,
        description=filterset.describe(),
    )
    return Download(text, "csv", "shared-services-partnerships")


@filtered_download
def savings_csv(request: HttpRequest, filterset: PartnershipFilter) -> Download:
    partnerships = exports.partnerships_for_export(partnerships=filterset.qs)
    text = exports.csv_export(
        rows=exports.savings_rows(partnerships),
        columns=exports.SAVINGS_COLUMNS,
        description=f"savings records of {filterset.describe()}",
    )
    return Download(text, "csv", "shared-services-savings")


@filtered_download
def partnerships_xlsx(request: HttpRequest, filterset: PartnershipFilter) -> Download:
    partnerships = list(exports.partnerships_for_export(partnerships=filterset.qs))
    content = exports.xlsx_export(
        sheets=[
            (
                "Partnerships",
                exports.PARTNERSHIP_COLUMNS,
                exports.partnership_rows(
                    partnerships, base_url=_base_url(request), period=filterset.period
                ),
            ),
            ("Savings", exports.SAVINGS_COLUMNS, exports.savings_rows(partnerships)),
        ],
        description=filterset.describe(),
    )
    return Download(content, "xlsx", "shared-services")
