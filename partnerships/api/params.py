"""The API's query parameters, each read strictly and described once: the same object
refuses a bad value (a 400 whose body names the parameter and says what was wrong) and
declares its type, bounds, enum or pattern in the OpenAPI schema, so what the schema
allows is exactly what the API takes.

Numbers are ASCII digits only, checked for length before `int()` sees them ("²" passes
`str.isdigit()`, "1.9e+241" passes a float parser, and `int()` refuses strings over
4,300 digits with an error of its own); text has a length limit and no control
characters (NUL among them: PostgreSQL cannot compare one); choices are enums. A
parameter given twice, or given empty when it takes a number or a choice, is refused.
Parameters an operation does not take are ignored, as HTTP APIs usually do.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import django_filters
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from core import parsing
from partnerships import timeline
from partnerships.rules import START_YEARS

# PostgreSQL's `integer` bounds ids and pages (core.parsing); a start year is one a
# partnership may have (partnerships.rules).
MAX_INT = parsing.MAX_ID
TEXT_MAX_LENGTH = 100
# C0 and C1 control characters and DEL, NUL among them; as a JSON Schema pattern too.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NO_CONTROL_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*$"
SLUG = r"[-a-zA-Z0-9_]+"

Choices = Sequence[str] | Callable[[], Sequence[str]]


def _shown(value: str) -> str:
    """A refused value quoted in a message: printable and short."""
    value = _CONTROL.sub("?", value)
    return f"“{value[:20]}…”" if len(value) > 20 else f"“{value}”"


@dataclass(frozen=True)
class QueryParameter:
    name: str
    description: str = ""

    def read(self, values: list[str]) -> str | None:
        """None if `values` (every value sent under this name) are acceptable, else what
        is wrong with them, for a person."""
        if len(values) > 1:
            return f"Give {self.name} once, not {len(values)} times."
        return self.check(values[0])

    def check(self, value: str) -> str | None:
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError

    def openapi(self) -> OpenApiParameter:
        return OpenApiParameter(self.name, type=self.schema(), description=self.description)


@dataclass(frozen=True)
class Integer(QueryParameter):
    minimum: int = 1
    maximum: int = MAX_INT
    # Digits exactly, when a value has a fixed width (years).
    digits: int | None = None

    def check(self, value: str) -> str | None:
        """Read by the site's one set of strict parsers (core.parsing), which bound a
        value before converting it; the message names the parameter."""
        try:
            if self.digits == 4:
                parsing.parse_year(value, min_year=self.minimum, max_year=self.maximum)
            else:
                parsing.parse_int(
                    value, what=self.name, min_value=self.minimum, max_value=self.maximum
                )
        except parsing.ParseError as error:
            return f"{self.name}: {error}"
        return None

    def schema(self) -> dict:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


def year(name: str, description: str = "") -> Integer:
    return Integer(
        name, description, minimum=START_YEARS.earliest, maximum=START_YEARS.latest, digits=4
    )


@dataclass(frozen=True)
class FinancialYear(Integer):
    """A financial year there is a map of (`partnerships.timeline`)."""

    def check(self, value: str) -> str | None:
        if super().check(value) is None:
            return None
        return f"{self.name}: {timeline.year_range_text()}"


def financial_year(name: str, description: str = "") -> FinancialYear:
    return FinancialYear(
        name,
        description,
        minimum=timeline.FIRST_YEAR,
        maximum=timeline.current_financial_year(),
        digits=4,
    )


@dataclass(frozen=True)
class Text(QueryParameter):
    max_length: int = TEXT_MAX_LENGTH
    # A regular expression the whole value must match, with what it means to a person.
    pattern: str | None = None
    pattern_means: str = ""

    def check(self, value: str) -> str | None:
        if _CONTROL.search(value):
            return f"{self.name} cannot contain control characters such as NUL."
        if len(value) > self.max_length:
            return f"Give {self.name} in at most {self.max_length} characters, not {len(value)}."
        if self.pattern and not re.fullmatch(self.pattern, value):
            return f"Give {self.name} as {self.pattern_means}, not {_shown(value)}."
        return None

    def schema(self) -> dict:
        pattern = f"^{self.pattern}$" if self.pattern else _NO_CONTROL_PATTERN
        return {"type": "string", "maxLength": self.max_length, "pattern": pattern}


@dataclass(frozen=True)
class Choice(QueryParameter):
    """One of `choices`, or with `many` several (the parameter repeated). Choices read
    from the database (a callable: regions, service categories) are listed in the
    schema, but here only their form is checked: the FilterSet that reads them anyway
    refuses one that is not among them, naming it, so the list is not read twice."""

    choices: Choices = ()
    many: bool = False
    default: str | None = None

    MAX_MANY = 50

    def values(self) -> list[str]:
        return [str(c) for c in (self.choices() if callable(self.choices) else self.choices)]

    def read(self, values: list[str]) -> str | None:
        if not self.many:
            return super().read(values)
        if len(values) > self.MAX_MANY:
            return f"Give at most {self.MAX_MANY} of {self.name}, not {len(values)}."
        problems = (self.check(value) for value in values)
        return next((problem for problem in problems if problem), None)

    def check(self, value: str) -> str | None:
        if callable(self.choices):
            if re.fullmatch(SLUG, value) and len(value) <= TEXT_MAX_LENGTH:
                return None
            return f"There is no {self.name} {_shown(value)}: use one from the list."
        allowed = self.values()
        if value in allowed:
            return None
        return f"There is no {self.name} {_shown(value)}: use one of {', '.join(allowed)}."

    def schema(self) -> dict:
        schema = {"type": "string", "enum": self.values()}
        if self.default is not None:
            schema["default"] = self.default
        if self.many:
            return {"type": "array", "items": schema, "maxItems": self.MAX_MANY}
        return schema

    def openapi(self) -> OpenApiParameter:
        parameter = super().openapi()
        if self.many:
            parameter.style, parameter.explode = "form", True
        return parameter


class Flag(Choice):
    """true or false (a boolean in the schema)."""

    def schema(self) -> dict:
        return {"type": "boolean"}


def flag(name: str, description: str = "") -> Flag:
    return Flag(name, description, choices=("true", "false"))


# West, south, east, north in degrees: up to three whole digits and six decimals each.
_DEGREES = r"-?[0-9]{1,3}(?:\.[0-9]{1,6})?"


@dataclass(frozen=True)
class BoundingBox(Text):
    """Four numbers; a box outside the world's degrees, or inside out, touches nothing."""

    max_length: int = 60
    pattern: str = ",".join([_DEGREES] * 4)
    pattern_means: str = "west,south,east,north in degrees, such as -0.5,50.7,0.2,51.0"

    def schema(self) -> dict:
        return {**super().schema(), "example": "-0.5,50.7,0.2,51.0"}


def bbox_value(box: str) -> tuple[float, float, float, float]:
    """A checked `BoundingBox` value as numbers."""
    west, south, east, north = (float(part) for part in box.split(","))
    return west, south, east, north


PAGE = Integer("page", "A page of the list, from 1.")
# A larger page_size is taken, and gives 500 (DRF's max_page_size).
PAGE_SIZE = Integer("page_size", "How many a page holds: 50 unless given, at most 500.")
GSS_CODE = Text(
    "council",
    "Its GSS code, e.g. E07000223.",
    max_length=9,
    pattern="[A-Za-z][0-9]{8}",
    pattern_means="a GSS code, a letter and eight digits such as E07000223",
)
ID = Integer("id")


def row_id(value: str) -> int | None:
    """`value` as a row's id, or None if no row could have it (not ASCII digits, or out
    of range): looked up, such a value would be an error, not a miss."""
    return None if ID.check(value) else int(value)


def check(query, parameters: Iterable[QueryParameter]) -> None:
    """Refuse `query` (a QueryDict) with a 400 naming every parameter that is wrong."""
    errors = {}
    for parameter in parameters:
        values = query.getlist(parameter.name)
        if values:
            problem = parameter.read(values)
            if problem:
                errors[parameter.name] = [problem]
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class FilterParameters:
    """A django-filter FilterSet's filters as query parameters: choices as enums, numbers
    as years, text as bounded text (`overrides` for any that need more)."""

    filterset: type[django_filters.FilterSet]
    overrides: dict[str, QueryParameter] = field(default_factory=dict)

    def __iter__(self):
        for name, filter_ in self.filterset.base_filters.items():
            if name in self.overrides:
                yield self.overrides[name]
                continue
            description = str(filter_.label or "")
            if filter_.extra.get("help_text"):
                description += f". {filter_.extra['help_text']}"
            if isinstance(filter_, django_filters.BooleanFilter):
                yield flag(name, description)
            elif isinstance(
                filter_, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter
            ):
                choices = filter_.extra["choices"]
                yield Choice(
                    name,
                    description,
                    choices=(
                        (lambda choices=choices: [v for v, _label in choices()])
                        if callable(choices)
                        else [v for v, _label in choices]
                    ),
                    many=isinstance(filter_, django_filters.MultipleChoiceFilter),
                )
            elif isinstance(filter_, django_filters.NumberFilter) and name == "year":
                yield financial_year(name, description)
            elif isinstance(filter_, django_filters.NumberFilter):
                yield year(name, description)
            else:
                yield Text(name, description)
