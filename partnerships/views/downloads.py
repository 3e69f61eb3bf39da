"""Open data downloads of the current (filtered) view."""

from django.http import HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from partnerships import exports
from partnerships.filters import PartnershipFilter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request) -> PartnershipFilter | HttpResponse:
    filterset = PartnershipFilter(request.GET)
    if not filterset.is_valid():
        problems = "\n".join(
            f"{filterset.form.fields[name].label}: {' '.join(errors)}"
            for name, errors in filterset.form.errors.items()
        )
        return HttpResponse(
            f"The download could not be made because of these filters:\n{problems}\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return filterset


def _attachment(content, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(filterset: PartnershipFilter, stem: str, extension: str) -> str:
    applied = "-".join(slugify(value) for _label, value in filterset.applied())[:80]
    return f"{stem}{'-' + applied if applied else ''}.{extension}"


@require_GET
def partnerships_csv(request):
    filterset = _filtered(request)
    if isinstance(filterset, HttpResponse):
        return filterset
    partnerships = exports.partnerships_for_export(partnerships=filterset.qs)
    text = exports.csv_export(
        rows=exports.partnership_rows(partnerships, base_url=request.build_absolute_uri("/")[:-1]),
        columns=exports.PARTNERSHIP_COLUMNS,
        description=filterset.describe(),
    )
    return _attachment(
        text,
        content_type="text/csv; charset=utf-8",
        name=_file_name(filterset, "shared-services-partnerships", "csv"),
    )


@require_GET
def savings_csv(request):
    filterset = _filtered(request)
    if isinstance(filterset, HttpResponse):
        return filterset
    partnerships = exports.partnerships_for_export(partnerships=filterset.qs)
    text = exports.csv_export(
        rows=exports.savings_rows(partnerships),
        columns=exports.SAVINGS_COLUMNS,
        description=f"savings records of {filterset.describe()}",
    )
    return _attachment(
        text,
        content_type="text/csv; charset=utf-8",
        name=_file_name(filterset, "shared-services-savings", "csv"),
    )


@require_GET
def partnerships_xlsx(request):
    filterset = _filtered(request)
    if isinstance(filterset, HttpResponse):
        return filterset
    partnerships = list(exports.partnerships_for_export(partnerships=filterset.qs))
    content = exports.xlsx_export(
        sheets=[
            (
                "Partnerships",
                exports.PARTNERSHIP_COLUMNS,
                exports.partnership_rows(
                    partnerships, base_url=request.build_absolute_uri("/")[:-1]
                ),
            ),
            ("Savings", exports.SAVINGS_COLUMNS, exports.savings_rows(partnerships)),
        ],
        description=filterset.describe(),
    )
    return _attachment(
        content, content_type=XLSX, name=_file_name(filterset, "shared-services", "xlsx")
    )
