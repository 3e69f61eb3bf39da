"""Loading the real reference data and partnership CSVs."""

import csv
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils.text import slugify

from partnerships.models import (
    Council,
    CouncilStandIn,
    DataLoad,
    Generation,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    PublicBody,
    Region,
    SavingsRecord,
)
from partnerships.services.csv_rows import (
    PARTNERSHIP_COLUMNS,
    name_lookup_rows,
    partnerships_load_csv,
)
from partnerships.services.loading import reference_data_load

pytestmark = pytest.mark.django_db


def csv_text(*rows: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PARTNERSHIP_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in PARTNERSHIP_COLUMNS})
    return out.getvalue()


def load(text: str, **kwargs):
    return partnerships_load_csv(
        text=text, name_lookup_rows=name_lookup_rows(data_dir=settings.DATA_DIR), **kwargs
    )


GOOD_ROW = {
    "name": "Adur and Arun shared pest control",
    "members": "Adur District Council; Arun District Council",
    "lead_member": "Arun District Council",
    "category": "Environmental health and regulatory services",
    "start_year": "2019",
    "savings_text": "£40,000 saved in 2020/21",
    "savings_gbp_total": "40000",
    "savings_period": "2020/21",
    "status": "operational",
    "description": "A made-up test partnership.",
    "source_url": "https://example.org/a ; https://example.org/b",
}


def test_every_english_council_is_loaded_current_and_former_with_boundaries():
    english = Council.objects.all()
    assert english.count() == 380
    assert english.filter(current=True).count() == 332
    current_principal = english.filter(current=True).exclude(
        council_type__in=["combined_authority", "strategic_authority"]
    )
    assert current_principal.count() == 317
    assert not current_principal.filter(boundary="").exists()
    assert not current_principal.filter(boundary_low="").exists()
    adur = Council.objects.get(gss_code="E07000223")
    assert adur.official_name == "Adur District Council"
    assert adur.region.name == "South East"
    assert adur.county.short_name == "West Sussex"
    assert adur.fire_rescue_authority.name == "West Sussex"
    assert adur.police_force_area.name == "Sussex"
    assert adur.integrated_care_board is not None


def test_regions_keep_the_slugs_their_addresses_always_had():
    # ?region=south-east in addresses and the API: what slugifying the name gave.
    slugs = dict(Region.objects.values_list("name", "slug"))
    assert len(slugs) == 9
    assert slugs == {name: slugify(name) for name in slugs}
    assert slugs["Yorkshire and The Humber"] == "yorkshire-and-the-humber"
    assert slugs["East of England"] == "east-of-england"


def test_neighbours_come_from_the_boundaries():
    adur = Council.objects.get(gss_code="E07000223")
    assert set(adur.neighbours.values_list("short_name", flat=True)) == {
        "Arun",
        "Brighton and Hove",
        "Horsham",
        "Worthing",
    }
    worthing = Council.objects.get(short_name="Worthing")
    assert adur in worthing.neighbours.all()
    # A county is not its own districts' neighbour.
    assert not adur.neighbours.filter(short_name="West Sussex").exists()


def test_former_councils_know_their_successors_and_keep_their_partnerships():
    taunton = Council.objects.get(official_name="Taunton Deane Borough Council")
    assert not taunton.current
    assert [c.short_name for c in taunton.replaced_by.all()] == ["Somerset West and Taunton"]
    waste = Partnership.objects.get(name="Somerset Waste Partnership")
    assert taunton in waste.councils.all()


def test_the_sourced_pack_loads_with_statuses_years_members_and_each_figure():
    assert Partnership.objects.count() == 109
    statuses = Counter(Partnership.objects.values_list("status", flat=True))
    assert statuses == {"operational": 78, "ended": 17, "proposed": 2, "": 12}
    assert not Partnership.objects.filter(status="ended", end_year__isnull=True).exists()
    assert SavingsRecord.objects.count() == 91
    assert SavingsRecord.objects.filter(start_year__isnull=True).count() == 11
    assert set(SavingsRecord.objects.values_list("origin", flat=True)) == {"reference"}
    sovw = Partnership.objects.get(slug="south-oxfordshire-vale-shared-services")
    achieved, expected = sovw.savings_records.order_by("kind")
    assert (achieved.kind, achieved.amount, achieved.period_label) == (
        "achieved",
        Decimal("5690000.00"),
        "2007/08 to 2011/12",
    )
    assert achieved.per_year is False and "£5.69 million" in achieved.wording
    assert achieved.source_url.startswith("https://docslib.org/")
    assert (expected.kind, expected.amount) == ("expected", Decimal("4920000.00"))
    hoople = Partnership.objects.get(slug="hoople")
    assert hoople.council_memberships.get().is_lead
    assert {"Wye Valley NHS Trust", "NHS Herefordshire"} <= {
        b.name for b in hoople.public_bodies.all()
    }
    assert "Health" in hoople.partner_sectors
    # Members with the years a source gives.
    lgss = Partnership.objects.get(slug="lgss")
    assert (lgss.start_year, lgss.end_year, lgss.status) == (2010, 2020, "ended")
    milton_keynes = lgss.council_memberships.get(council__short_name="Milton Keynes")
    assert milton_keynes.joined_year == 2016
    joined = PartnershipCouncil.objects.filter(joined_year__isnull=False).count()
    joined += PartnershipPublicBody.objects.filter(joined_year__isnull=False).count()
    assert joined == 54  # as the pack's README counts them
    # A constabulary is its own member, linked to the police force area it serves.
    police = PublicBody.objects.get(name="Hampshire & Isle of Wight Constabulary")
    assert police.area.code == "E23000030"


def test_the_council_generations_since_2009_load_with_their_councils():
    counts = {
        g.code: (
            g.councils.filter(is_county=False).count(),
            g.councils.filter(is_county=True).count(),
        )
        for g in Generation.objects.all()
    }
    assert counts == {
        "G2009": (326, 27),
        "G2019": (317, 26),
        "G2020": (314, 25),
        "G2021": (309, 24),
        "G2023": (296, 21),
    }
    g2009 = Generation.objects.get(code="G2009")
    forest_heath = g2009.councils.get(council__short_name="Forest Heath")
    assert forest_heath.boundary.startswith('{"type":')
    assert not g2009.councils.filter(council__short_name="North Yorkshire", council__current=True)


def test_a_former_council_stands_for_its_successors_in_later_generations():
    now = Generation.objects.get(code="G2023")

    def shown(name: str, generation) -> set[str]:
        return set(
            CouncilStandIn.objects.filter(
                generation=generation, member__short_name=name, member__current=False
            ).values_list("shown__name", flat=True)
        )

    assert shown("Forest Heath", now) == {"West Suffolk"}
    # Taunton Deane became Somerset West and Taunton (2019), then Somerset (2023).
    assert shown("Taunton Deane", now) == {"Somerset"}
    assert shown("Taunton Deane", Generation.objects.get(code="G2019")) == {
        "Somerset West and Taunton"
    }
    assert shown("Taunton Deane", Generation.objects.get(code="G2009")) == {"Taunton Deane"}
    assert shown("Northamptonshire", now) == {"North Northamptonshire", "West Northamptonshire"}


def test_the_reference_load_leaves_a_history_entry_for_what_it_wrote():
    orbis = Partnership.objects.get(slug="orbis")
    assert orbis.history.filter(history_type="+").exists()
    assert SavingsRecord.history.filter(partnership_id=orbis.pk, history_type="+").count() == 2


def test_loading_twice_changes_nothing():
    counts = (Council.objects.count(), Partnership.objects.count(), PublicBody.objects.count())
    report = reference_data_load(data_dir=settings.DATA_DIR, force=True)
    assert not report.errors
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    assert counts == (
        Council.objects.count(),
        Partnership.objects.count(),
        PublicBody.objects.count(),
    )


def test_a_repeat_load_of_the_same_files_is_skipped():
    report = reference_data_load(data_dir=settings.DATA_DIR)
    assert report.skipped
    assert DataLoad.objects.filter(finished_at__isnull=False).exists()


def test_a_new_partnership_row_is_loaded_with_lead_savings_and_sources():
    report = load(csv_text(GOOD_ROW))
    assert not report.errors
    partnership = Partnership.objects.get(name=GOOD_ROW["name"])
    assert partnership.councils.count() == 2
    assert partnership.council_memberships.get(is_lead=True).council.short_name == "Arun"
    assert partnership.source_links == ["https://example.org/a", "https://example.org/b"]
    assert partnership.savings_records.get().amount == Decimal("40000.00")


def test_an_unmatched_member_is_reported_with_its_row_and_nothing_of_that_row_is_saved():
    bad = {
        **GOOD_ROW,
        "name": "Half a partnership",
        "members": "Adur District Council; Nowhere Parish Council",
    }
    report = load(csv_text(GOOD_ROW, bad))
    assert [(e.row, e.name) for e in report.errors] == [(3, "Nowhere Parish Council")]
    assert "Row 3" in str(report.errors[0])
    assert not Partnership.objects.filter(name="Half a partnership").exists()
    assert Partnership.objects.filter(name=GOOD_ROW["name"]).exists()


def test_a_non_council_member_is_added_as_a_public_body_of_the_rows_sector():
    row = {
        **GOOD_ROW,
        "name": "Adur housing hub",
        "members": "Adur District Council; Adur Homes Trust",
        "lead_member": "",
        "partner_sectors": "Housing",
        "savings_gbp_total": "",
    }
    report = load(csv_text(row))
    assert not report.errors
    body = PublicBody.objects.get(name="Adur Homes Trust")
    assert body.sector == "housing"
    assert Partnership.objects.get(name="Adur housing hub").partner_sectors == ["Housing"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # (Without a lead: Arun, the lead, is no member either, a problem of its own.)
        ({"members": "Adur District Council", "lead_member": ""}, "at least two members"),
        ({"category": "Juggling"}, "unknown service category"),
        ({"status": "thriving"}, "status must be"),
        ({"start_year": "twenty ten"}, "start year"),
        ({"savings_gbp_total": "-5"}, "cannot be negative"),
        ({"savings_gbp_total": "lots"}, "number of pounds"),
        ({"savings_period": "whenever"}, "period not understood"),
        ({"lead_member": "Worthing Borough Council"}, "lead member"),
    ],
)
def test_bad_rows_are_reported_and_not_saved(change, message):
    report = load(csv_text({**GOOD_ROW, **change}))
    assert len(report.errors) == 1
    assert report.errors[0].row == 2
    assert message in report.errors[0].message
    assert not Partnership.objects.filter(name=GOOD_ROW["name"]).exists()


def test_a_file_missing_columns_is_refused_whole():
    report = load("name,members\nA,B\n")
    assert "missing columns" in str(report.errors[0])
    assert Partnership.objects.count() == 109


def test_existing_partnerships_are_left_alone_unless_asked_to_update():
    load(csv_text(GOOD_ROW))
    changed = {
        **GOOD_ROW,
        "description": "New words.",
        "members": GOOD_ROW["members"] + "; Worthing Borough Council",
    }
    report = load(csv_text(changed))
    partnership = Partnership.objects.get(name=GOOD_ROW["name"])
    assert report.unchanged["partnerships"] == 1
    assert partnership.description == "A made-up test partnership."
    report = load(csv_text(changed), update_existing=True)
    partnership.refresh_from_db()
    assert report.updated["partnerships"] == 1
    assert partnership.description == "New words."
    assert partnership.councils.count() == 3
