"""Open data downloads of the current (filtered) view.

Each CSV has an "About" text beside it, at the same address with "-about.txt" for
".csv" and the same filters: what the file holds, its period, source, licence and
attribution. The CSV points to it with a `Link: <…>; rel="describedby"` header (RFC 8288,
a relation in IANA's registry).
"""

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
    """A file to send: its content, its format ("csv", "xlsx" or "txt") and its name's
    stem; the applied filters are added to the name."""

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


def about_path(request: HttpRequest) -> str:
    """The address of the About text of the CSV this request asks for."""
    query = request.META.get("QUERY_STRING", "")
    return request.path.removesuffix(".csv") + "-about.txt" + (f"?{query}" if query else "")


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
        if download.format == "txt":
            # The About text is named after its CSV: "<the CSV's name>-about.txt".
            name = file_name(filterset, download.stem, "csv").removesuffix(".csv") + "-about.txt"
        else:
            name = file_name(filterset, download.stem, download.format)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        if download.format == "csv":
            response["Link"] = f'<{about_path(request)}>; rel="describedby"'
        return response

    return wrapper


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


def about_lines(request: HttpRequest, filterset: PartnershipFilter, description: str) -> list:
    return exports.about_lines(
        description=description, period=filterset.period, site_url=site_url(request)
    )


def csv_or_about(
    request: HttpRequest,
    *,
    about: bool,
    stem: str,
    description: str,
    filterset: PartnershipFilter,
    text: Callable[[], str],
) -> Download:
    """The CSV (its text made only when it is asked for), or the About text beside it."""
    if about:
        lines = about_lines(request, filterset, description)
        return Download(exports.about_text(lines), "txt", stem)
    return Download(text(), "csv", stem)


@filtered_download
def partnerships_csv(
    request: HttpRequest, filterset: PartnershipFilter, about: bool = False
) -> Download:
    def text() -> str:
        partnerships = exports.partnerships_for_export(partnerships=filterset.qs)
        return exports.csv_export(
            rows=exports.partnership_rows(
                partnerships, base_url=site_url(request), period=filterset.period
            ),
            columns=exports.PARTNERSHIP_COLUMNS,
        )

    return csv_or_about(
        request,
        about=about,
        stem="shared-services-partnerships",
        description=filterset.describe(),
        filterset=filterset,
        text=text,
    )


@filtered_download
def savings_csv(
    request: HttpRequest, filterset: PartnershipFilter, about: bool = False
) -> Download:
    def text() -> str:
        partnerships = exports.partnerships_for_export(partnerships=filterset.qs)
        return exports.csv_export(
            rows=exports.savings_rows(partnerships), columns=exports.SAVINGS_COLUMNS
        )

    return csv_or_about(
        request,
        about=about,
        stem="shared-services-savings",
        description=f"savings records of {filterset.describe()}",
        filterset=filterset,
        text=text,
    )


@filtered_download
def partnerships_xlsx(request: HttpRequest, filterset: PartnershipFilter) -> Download:
    partnerships = list(exports.partnerships_for_export(partnerships=filterset.qs))
    content = exports.xlsx_export(
        sheets=[
            (
                "Partnerships",
                exports.PARTNERSHIP_COLUMNS,
                exports.partnership_rows(
                    partnerships, base_url=site_url(request), period=filterset.period
                ),
            ),
            ("Savings", exports.SAVINGS_COLUMNS, exports.savings_rows(partnerships)),
        ],
        about=about_lines(request, filterset, filterset.describe()),
    )
    return Download(content, "xlsx", "shared-services")
