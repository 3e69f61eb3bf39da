"""The licence and attribution that go with every file of published data the site gives
out: the downloads (partnerships.exports) and the GeoJSON layers and boundaries (as
top-level foreign members, which RFC 7946 section 6.1 allows)."""

import json

LICENCE_NAME = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
LICENCE = f"{LICENCE_NAME}, {LICENCE_URL}"
ATTRIBUTION = (
    "Shared Services Map, Local Government Association. Contains OS data © Crown copyright "
    "and database right 2023–2025. Source: Office for National Statistics, licensed under the "
    "Open Government Licence v3.0. Local authority names and codes: mySociety, "
    "uk_local_authority_names_and_codes, CC BY 4.0 (adapted). Partnership facts and savings "
    "are as reported by the sources listed in each row, unverified."
)

# The members as JSON text, to open a GeoJSON object whose body is written as text:
# '{"type":"FeatureCollection",' + GEOJSON_LICENCE_MEMBERS + ',"features":[...]}'.
GEOJSON_LICENCE_MEMBERS = json.dumps(
    {"licence": LICENCE_NAME, "licence_url": LICENCE_URL, "attribution": ATTRIBUTION},
    ensure_ascii=False,
    separators=(",", ":"),
)[1:-1]
