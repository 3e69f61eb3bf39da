"""The read-only API: lists and details of councils, regions, public bodies, service
categories, partnerships and savings records, and GeoJSON for the map's layers.

Every list is paginated (`?page=`, `?page_size=` up to 500) and filtered by a
django-filter FilterSet. Every query parameter an operation takes is declared in
`partnerships.api.params`, which refuses a bad value with a 400 naming it before the
filters or the paginator read it, and describes each one in the schema. List pages,
layers and boundaries are stored as their final bytes (`partnerships.api.caching`).
"""

import json
from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView
from rest_framework.viewsets import ReadOnlyModelViewSet

from partnerships import map_layers
from partnerships.api import params, selectors, serializers
from partnerships.api.caching import (
    GeoJSONRenderer,
    StoredListMixin,
    boundaries_version,
    conditional_geojson,
    etag_for,
    layers_version,
)
from partnerships.api.filters import CouncilFilter, PublicBodyFilter, SavingsRecordFilter
from partnerships.filters import PartnershipFilter
from partnerships.licence import GEOJSON_LICENCE_MEMBERS
from partnerships.models import Council, Generation, PublicBody, Region
from partnerships.timeline import current_financial_year
from partnerships.views.map import LayerRequest

GEOJSON_RENDERERS = [JSONRenderer, GeoJSONRenderer]

DETAIL = params.Choice(
    "detail",
    "`low`: light shapes for a national view; `high`: detailed (20 m) shapes.",
    choices=map_layers.DETAILS,
    default="low",
)
LAYER = params.Choice(
    "layer",
    "`districts`: the councils that tile England at district level (districts, unitaries, "
    "metropolitan districts, London boroughs); `counties`: county councils.",
    choices=map_layers.LAYERS,
    default="districts",
)
BBOX = params.BoundingBox(
    "bbox", "Only councils touching this box: `west,south,east,north` (WGS84)."
)
PARTNERSHIP = params.Text(
    "partnership",
    "Slug of a published partnership: its member councils, whatever their tier, instead "
    "of a layer.",
    max_length=200,
    pattern=params.SLUG,
    pattern_means="a partnership's slug (letters, digits, - and _)",
)


# In every GeoJSON ETag: the bodies carry the licence since this mark, so a copy (or a
# stored body) from before it is not taken for a current one.
LICENSED = "licensed"


def _geojson_response(description: str) -> dict:
    return {
        (200, "application/geo+json"): OpenApiResponse(
            OpenApiTypes.OBJECT, description=description
        ),
        304: OpenApiResponse(
            description="Not modified: the copy named in If-None-Match is current."
        ),
    }


def _boundary_action(summary: str):
    """A detail route `boundary/` that answers with one GeoJSON Feature, unfiltered and
    unpaginated, documented under `summary`."""

    def decorate(view):
        view = action(
            detail=True,
            renderer_classes=GEOJSON_RENDERERS,
            filter_backends=[],
            pagination_class=None,
        )(view)
        return extend_schema(
            summary=summary, responses=_geojson_response("A GeoJSON Feature (WGS84).")
        )(view)

    return decorate


def _feature(*, feature_id: str, properties: dict, geometry: str, licensed: bool = True) -> str:
    """A Feature around stored geometry text, which is passed through unparsed; as a file
    of its own (`licensed`) it carries the licence and attribution."""
    licence = GEOJSON_LICENCE_MEMBERS + "," if licensed else ""
    return (
        f'{{"type":"Feature",{licence}"id":{json.dumps(feature_id)},'
        f'"properties":{json.dumps(properties, separators=(",", ":"))},'
        f'"geometry":{geometry}}}'
    )


def _boundary_response(
    request,
    *,
    rows: QuerySet,
    geometry_field: str,
    columns: tuple[str, ...],
    feature: Callable[[dict], tuple[str, dict]],
    etag: str,
    not_found: str,
):
    """One object's boundary as a GeoJSON Feature, conditional on `etag` and compressed
    once per ETag. `feature` turns the object's `columns` into the Feature's id and
    properties; 404 with `not_found` if `rows` holds no object with that boundary."""

    def body() -> str:
        row = rows.exclude(**{geometry_field: ""}).values(*columns, geometry_field).first()
        if row is None:
            raise Http404(not_found)
        feature_id, properties = feature(row)
        return _feature(feature_id=feature_id, properties=properties, geometry=row[geometry_field])

    return conditional_geojson(request, etag=etag, body=body)


class StrictQueryMixin:
    """Checks the query parameters this action takes (`query_parameters()`, which the
    schema documents too) before anything reads them: a bad one is a 400 naming it."""

    def query_parameters(self) -> list[params.QueryParameter]:
        return []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            params.check(request.query_params, self.query_parameters())
        except ValidationError as error:
            # Name every refused parameter at once, the FilterSet's refusals too.
            raise ValidationError({**self.filter_errors(), **error.detail}) from error

    def filter_errors(self) -> dict:
        return {}


class ReadOnlyViewSet(StoredListMixin, StrictQueryMixin, ReadOnlyModelViewSet):
    """Lists and details. Filters narrow lists only: a detail's address always finds its
    object, whatever else is in the query string. List pages in JSON are stored as
    their final bytes per data version and query (`StoredListMixin`)."""

    # Filters read more strictly than the generic reading of their FilterSet's fields.
    filter_parameters: dict[str, params.QueryParameter] = {}

    def query_parameters(self) -> list[params.QueryParameter]:
        if self.action != "list":
            return []
        found = []
        if getattr(self, "filterset_class", None):
            found += params.FilterParameters(self.filterset_class, self.filter_parameters)
        if self.pagination_class:
            found += [params.PAGE, params.PAGE_SIZE]
        return found

    def filter_errors(self) -> dict:
        if self.action != "list" or not getattr(self, "filterset_class", None):
            return {}
        filterset = self.filterset_class(
            self.request.query_params, queryset=self.get_queryset(), request=self.request
        )
        return {} if filterset.is_valid() else {k: list(v) for k, v in filterset.errors.items()}

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)


@extend_schema_view(
    list=extend_schema(summary="Councils, current and former"),
    retrieve=extend_schema(summary="One council, by GSS code"),
)
class CouncilViewSet(ReadOnlyViewSet):
    """English councils from the ONS and mySociety registers: codes, names, type, region,
    population, the areas that cover them, their neighbours and successors, and how
    many published partnerships they are in. Boundaries are served separately."""

    serializer_class = serializers.CouncilSerializer
    filterset_class = CouncilFilter
    lookup_field = "gss_code"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self):
        return selectors.council_list()

    def get_object(self):
        self.kwargs["gss_code"] = self.kwargs["gss_code"].upper()
        return super().get_object()

    def query_parameters(self) -> list[params.QueryParameter]:
        if self.action == "boundary":
            return [DETAIL]
        return super().query_parameters()

    @_boundary_action("A council's boundary as a GeoJSON Feature")
    def boundary(self, request, gss_code: str):
        detail = request.query_params.get("detail", "low")
        gss_code = gss_code.upper()
        return _boundary_response(
            request,
            rows=Council.objects.filter(gss_code=gss_code),
            geometry_field="boundary" if detail == "high" else "boundary_low",
            columns=("short_name", "council_type", "current"),
            feature=lambda row: (
                gss_code,
                {
                    "gss_code": gss_code,
                    "name": row["short_name"],
                    "type": row["council_type"],
                    "current": row["current"],
                },
            ),
            etag=etag_for("council", LICENSED, gss_code, detail, layers_version()),
            not_found="No council with a boundary has that GSS code.",
        )


@extend_schema(
    summary="Current councils as a GeoJSON FeatureCollection (the map's layers)",
    responses=_geojson_response(
        "A FeatureCollection; each Feature's properties: gss_code, name, type, "
        "type_name, partnerships (published, count), url, panel_url."
    ),
)
class CouncilsLayerView(StrictQueryMixin, APIView):
    """The same GeoJSON layers the site's map draws, built and cached by the map: the
    councils of the period's generation (`year` draws that year's councils), each with
    how many of the partnerships matching the site's filters it counts. A box whose west
    is east of its east, or south north of its north, touches no council."""

    renderer_classes = GEOJSON_RENDERERS

    def query_parameters(self) -> list[params.QueryParameter]:
        filters = params.FilterParameters(PartnershipFilter, {"council": params.GSS_CODE})
        return [LAYER, DETAIL, BBOX, PARTNERSHIP, *(f for f in filters if f.name != "sort")]

    def filter_errors(self) -> dict:
        filterset = PartnershipFilter(self.request.query_params)
        return {} if filterset.is_valid() else {k: list(v) for k, v in filterset.errors.items()}

    def _prepared(self, request) -> dict:
        """The period, generation, counts, layer and members the query asks for (worked
        out once per request); a 400 or 404 for a query that asks for none."""
        if not hasattr(self, "_layer"):
            query = request.query_params
            bbox = query.get("bbox")
            filterset = PartnershipFilter(query)
            if not filterset.is_valid():
                raise ValidationError(self.filter_errors())
            period = filterset.period
            layer_request = LayerRequest(
                layer=query.get("layer", LAYER.default),
                detail=query.get("detail", DETAIL.default),
                bbox=params.bbox_value(bbox) if bbox else None,
                partnership=query.get("partnership") or None,
                filters="&".join(sorted(filterset.query_string().split("&"))),
            )
            member_codes = None
            if layer_request.partnership:
                member_codes = map_layers.partnership_member_codes(
                    slug=layer_request.partnership, period=period
                )
                if member_codes is None:
                    raise Http404("No published partnership has that slug.")
            self._layer = {
                "generation": Generation.objects.get(pk=period.generation_id),
                "counts": map_layers.partnership_counts(partnerships=filterset.qs, period=period),
                "request": layer_request,
                "member_codes": member_codes,
            }
        return self._layer

    def get(self, request):
        version = layers_version()
        # The data version, the financial year (what "now" counts) and the address: a
        # revalidation or a stored body costs one cache read and no query.
        etag = etag_for(
            "councils-layer",
            LICENSED,
            version,
            current_financial_year(),
            request.META.get("QUERY_STRING", ""),
        )

        def body() -> str:
            layer = self._prepared(request)
            return map_layers.councils_layer_geojson(
                version=version,
                generation=layer["generation"],
                counts=layer["counts"],
                layer=layer["request"].layer,
                detail=layer["request"].detail,
                bbox=layer["request"].bbox,
                member_codes=layer["member_codes"],
            )

        return conditional_geojson(request, etag=etag, body=body)


@extend_schema_view(
    list=extend_schema(summary="Regions of England"),
    retrieve=extend_schema(summary="One region, by GSS code"),
)
class RegionViewSet(ReadOnlyViewSet):
    """The nine English regions (ONS); their slugs are the values of the `region` filters."""

    serializer_class = serializers.RegionSerializer
    lookup_field = "gss_code"
    lookup_value_regex = "[A-Za-z0-9]+"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.region_list()


@extend_schema(
    summary="The regions' boundaries as a GeoJSON FeatureCollection",
    responses=_geojson_response(
        "A FeatureCollection; each Feature's properties: gss_code, name, slug."
    ),
)
class RegionsLayerView(StrictQueryMixin, APIView):
    renderer_classes = GEOJSON_RENDERERS

    def get(self, request):
        def body() -> str:
            rows = Region.objects.exclude(boundary="").order_by("name")
            features = [
                _feature(
                    feature_id=region.gss_code,
                    properties={
                        "gss_code": region.gss_code,
                        "name": region.name,
                        "slug": region.slug,
                    },
                    geometry=region.boundary,
                    licensed=False,
                )
                for region in rows.only("gss_code", "name", "slug", "boundary")
            ]
            return (
                '{"type":"FeatureCollection",'
                + GEOJSON_LICENCE_MEMBERS
                + ',"features":['
                + ",".join(features)
                + "]}"
            )

        return conditional_geojson(
            request, etag=etag_for("regions", LICENSED, boundaries_version()), body=body
        )


@extend_schema_view(
    list=extend_schema(summary="Public bodies councils share services with"),
    retrieve=extend_schema(summary="One public body, by ONS code (or number if it has none)"),
)
class PublicBodyViewSet(ReadOnlyViewSet):
    """Fire and rescue authorities, police force areas, integrated care boards, combined
    authorities and the other public bodies that are partners."""

    serializer_class = serializers.PublicBodySerializer
    filterset_class = PublicBodyFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]+"

    def get_queryset(self):
        return selectors.public_body_list()

    def _lookup(self) -> dict:
        value = self.kwargs["code"]
        if not (value.isascii() and value.isdigit()):
            return {"code": value.upper()}
        pk = params.row_id(value)
        if pk is None:
            raise Http404("No public body has that number.")
        return {"pk": pk}

    def get_object(self):
        body = self.get_queryset().filter(**self._lookup()).first()
        if body is None:
            raise Http404("No public body has that code.")
        self.check_object_permissions(self.request, body)
        return body

    @_boundary_action("A public body's area as a GeoJSON Feature")
    def boundary(self, request, code: str):
        lookup = self._lookup()
        return _boundary_response(
            request,
            rows=PublicBody.objects.filter(**lookup),
            geometry_field="boundary",
            columns=("pk", "code", "name", "kind", "sector"),
            feature=lambda row: (
                row["code"] or str(row["pk"]),
                {key: row[key] for key in ("code", "name", "kind", "sector")},
            ),
            etag=etag_for("public-body", LICENSED, sorted(lookup.items()), boundaries_version()),
            not_found="No public body with a boundary has that code.",
        )


@extend_schema_view(
    list=extend_schema(summary="Service categories"),
    retrieve=extend_schema(summary="One service category, by slug"),
)
class CategoryViewSet(ReadOnlyViewSet):
    """The kinds of service councils share; their slugs are the values of `category`."""

    serializer_class = serializers.CategorySerializer
    lookup_field = "slug"
    lookup_value_regex = params.SLUG
    filter_backends: list = []

    def get_queryset(self):
        return selectors.category_list()


@extend_schema_view(
    list=extend_schema(summary="Published partnerships, filtered as on the site"),
    retrieve=extend_schema(summary="One published partnership, by slug"),
)
class PartnershipViewSet(ReadOnlyViewSet):
    """Published shared-service partnerships with their members and savings. The filters
    are the site's own, so `?category=legal&region=south-east` here lists what the
    partnership list and the downloads list for the same filters."""

    filterset_class = PartnershipFilter
    filter_parameters = {"council": params.GSS_CODE}
    lookup_field = "slug"
    lookup_value_regex = params.SLUG

    def get_queryset(self):
        return selectors.partnership_list()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PartnershipDetailSerializer
        return serializers.PartnershipSerializer


@extend_schema_view(
    list=extend_schema(summary="Savings figures of published partnerships"),
    retrieve=extend_schema(summary="One savings figure"),
)
class SavingsRecordViewSet(ReadOnlyViewSet):
    """Each savings figure reported for a published partnership, over one or more
    financial years (2018 is 2018/19). Takes every partnership filter (the figures of the
    partnerships that match) and `kind` and `year` (figures covering that year)."""

    serializer_class = serializers.SavingsRecordSerializer
    filterset_class = SavingsRecordFilter
    filter_parameters = {"council": params.GSS_CODE}
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return selectors.savings_record_list()

    def get_object(self):
        if params.row_id(self.kwargs["pk"]) is None:
            raise Http404("No savings figure has that number.")
        return super().get_object()
