"""OpenAPI schema refinements for drf-spectacular."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension


class FilterChoicesFromDatabase(DjangoFilterExtension):
    """Lists the values of filters whose choices come from the database (regions, service
    categories) as the schema's enums, read when the schema is generated. Without this
    they are documented as untyped, or as the model's foreign key (an integer)."""

    priority = 1

    def _get_explicit_filter_choices(self, filter_field):
        choices = filter_field.extra.get("choices")
        if callable(choices):
            return [value for value, _label in choices()]
        return super()._get_explicit_filter_choices(filter_field)

    def _get_schema_from_model_field(self, auto_schema, filter_field, model):
        if callable(filter_field.extra.get("choices")):
            # Not the model field of the same name: the values are the choices.
            raise LookupError(filter_field.field_name)
        return super()._get_schema_from_model_field(auto_schema, filter_field, model)
