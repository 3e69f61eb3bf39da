"""How the API describes itself in OpenAPI (drf-spectacular): each operation's query
parameters are the ones its view checks (`partnerships.api.params`), with their types,
bounds and enums, and every operation documents its refusals (400, 404, 429) with the
body they carry. No authentication scheme appears: the API is public and read-only
(staff's session only earns them a larger throttle allowance), so it is left out with
SPECTACULAR_SETTINGS["AUTHENTICATION_WHITELIST"] = []."""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent

from partnerships.rules import START_YEARS

PARAMETER_ERRORS = {
    "type": "object",
    "description": "Each refused query parameter, with what was wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "minProperties": 1,
    "example": {"start_from": [f"start_from: {START_YEARS.message}"]},
}
DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": False,
}
ERRORS = {
    "400": ("ParameterErrors", PARAMETER_ERRORS, "A query parameter was refused."),
    "404": ("Detail", DETAIL, "Nothing is at this address (or no such page of the list)."),
    "429": (
        "Detail",
        DETAIL,
        "Too many requests from this address; the Retry-After header says when to retry.",
    ),
}
RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds until the address may ask again.",
    }
}


class AutoSchema(openapi.AutoSchema):
    """The project's schema class (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"])."""

    # The view's `query_parameters()` replace what would be read from the filters, the
    # paginator and the renderers (`format`, which the Accept header does better).
    def _get_filter_parameters(self):
        return []

    def _get_pagination_parameters(self):
        return []

    def _get_format_parameters(self):
        return []

    def get_override_parameters(self):
        declared = getattr(self.view, "query_parameters", None)
        own = [parameter.openapi() for parameter in declared()] if declared else []
        return [*own, *super().get_override_parameters()]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        media_types = self.map_renderers("media_type")
        for code, (name, schema, description) in ERRORS.items():
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
            )
            self.registry.register_on_missing(component)
            response = {
                "description": description,
                "content": {media_type: {"schema": component.ref} for media_type in media_types},
            }
            if code == "429":
                response["headers"] = RETRY_AFTER
            responses.setdefault(code, response)
        return responses
