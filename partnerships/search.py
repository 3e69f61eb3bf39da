"""Forgiving name matching, shared by the search box (`selectors.name_search`), the
filters' `q` (`filters.PartnershipFilter`) and the API's `q`.

A name matches when every word of what was typed occurs in it, ignoring case and
apostrophes ("King's" is "kings"), with punctuation read as spaces and "and" or "&"
left out. So "St. Albans", "St Albans" and "st albans council" all find St Albans City
and District Council, "Stoke on Trent" finds Stoke-on-Trent, "saint" is "st", and
"Hampshire Constabulary" finds "Hampshire & Isle of Wight Constabulary". A GSS or ONS
code (E07000240) finds the council or body with that code.

The stored names are normalised in SQL rather than kept in a column of their own: as
words are matched anywhere in a name, only apostrophes need dropping there (two
`Replace`s inside a `Lower`, the same on SQLite and PostgreSQL). The tables are small
(hundreds of councils and bodies, about a thousand partnerships at ten times today's
data), so a scan costs well under a millisecond, and there is no second copy of every
name to keep in step with each place that writes one (the loader, the admin, the
refresh, the map snapshots). Lower case is ASCII-only in SQLite, which English
council names are.
"""

import re

from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat, Lower, Replace
from django.db.models.lookups import Contains, StartsWith

from partnerships.models import (
    Council,
    GenerationCouncil,
    PublicBody,
    PublicBodyKind,
    ServiceCategory,
)

# The areas a council is in that people filter by: {filter name (the council's field):
# (the kind of body, its label)}. A body of these kinds is found by the search box as
# the list of partnerships of the councils in its area.
GEOGRAPHIES = {
    "combined_authority": (PublicBodyKind.COMBINED_AUTHORITY, "Combined authority"),
    "fire_rescue_authority": (PublicBodyKind.FIRE_RESCUE_AUTHORITY, "Fire and rescue area"),
    "police_force_area": (PublicBodyKind.POLICE_FORCE_AREA, "Police force area"),
    "integrated_care_board": (PublicBodyKind.INTEGRATED_CARE_BOARD, "Integrated care board"),
}
GEOGRAPHY_FILTERS = {kind: name for name, (kind, _label) in GEOGRAPHIES.items()}

# The most words of a search that are matched (the rest are ignored): bounds the query.
MAX_WORDS = 8
APOSTROPHES = ("'", "\u2019")
# Words that say nothing about which name is meant ("Adur & Worthing"), and spellings.
LEFT_OUT = {"and"}
WORD_FOR = {"saint": "st"}
CODE = re.compile(r"^[A-Z]\d{8}$")


def search_words(text: str) -> list[str]:
    """The words of typed text in the form names are compared in (see the module
    docstring), at most `MAX_WORDS`."""
    text = text.lower()
    for mark in (*APOSTROPHES, "\u2018", "`"):
        text = text.replace(mark, "")
    words = re.sub(r"[\W_]+", " ", text).split()
    return [WORD_FOR.get(word, word) for word in words if word not in LEFT_OUT][:MAX_WORDS]


def code_in(text: str) -> str | None:
    """The GSS or ONS code `text` is (E07000240, any case, spaces around), or None."""
    code = text.strip().upper()
    return code if CODE.match(code) else None


def normalised(*fields: str):
    """The stored text of `fields` (joined by spaces) as typed words are looked for in
    it: lower case, apostrophes dropped."""
    # One output type throughout: names are CharFields, other names a TextField.
    text = TextField()
    parts = [ExpressionWrapper(F(name), output_field=text) for name in fields]
    expression = (
        parts[0]
        if len(parts) == 1
        else Concat(
            *[p for part in parts for p in (part, Value(" ", output_field=text))],
            output_field=text,
        )
    )
    for mark in APOSTROPHES:
        expression = Replace(expression, Value(mark), Value(""), output_field=text)
    return Lower(expression, output_field=text)


def words_match(words: list[str], *fields: str) -> Q:
    """Every word occurs in the normalised text of `fields` (none: nothing matches)."""
    if not words:
        return Q(pk__in=[])
    text = normalised(*fields)
    condition = Q()
    for word in words:
        condition &= Q(Contains(text, word))
    return condition


def starts_with(words: list[str], field: str):
    """The normalised `field` starts with the first word typed (to rank such names first)."""
    return StartsWith(normalised(field), words[0]) if words else Value(False)


def councils_matching(text: str) -> QuerySet[Council]:
    """Councils, current and former, whose names (short, official or other) hold every
    word of `text`, or whose GSS code (now or in a past generation) it is."""
    code = code_in(text)
    condition = words_match(search_words(text), "short_name", "official_name", "alt_names")
    if code:
        condition |= Q(gss_code=code) | Exists(
            GenerationCouncil.objects.filter(council=OuterRef("pk"), gss_code=code)
        )
    return Council.objects.filter(condition)


def bodies_matching(text: str) -> QuerySet[PublicBody]:
    """Public bodies whose names hold every word of `text`, or whose code it is."""
    code = code_in(text)
    condition = words_match(search_words(text), "name")
    if code:
        condition |= Q(code=code)
    return PublicBody.objects.filter(condition)


def categories_matching(text: str) -> QuerySet[ServiceCategory]:
    """Service categories whose names hold every word of `text` ("legal" is Legal)."""
    return ServiceCategory.objects.filter(words_match(search_words(text), "name"))
