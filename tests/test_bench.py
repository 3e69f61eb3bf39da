"""The benchmark's own parts: its options, its data sizes and the synthetic data it adds
(bench/serve.py, bench/scale.py). Nothing here is timed."""

import argparse

import pytest

from bench import scale, serve
from partnerships.models import (
    Council,
    Partnership,
    PartnershipCouncil,
    PartnershipPublicBody,
    SavingsRecord,
    SavingsYear,
)


def test_one_size_by_default_and_two_side_by_side():
    assert serve.options_parse([]).scales == [1]
    assert serve.options_parse(["--scale", "10"]).scales == [10]
    options = serve.options_parse(["--scales", "10,1", "--requests", "50"])
    assert options.scales == [1, 10]
    assert options.requests == 50


@pytest.mark.parametrize("text", ["0", "1,x", "", "101", "-3"])
def test_sizes_that_are_not_whole_numbers_from_1_are_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        serve.scales_parse(text)


def test_one_size_and_several_cannot_both_be_given(capsys):
    with pytest.raises(SystemExit):
        serve.options_parse(["--scale", "2", "--scales", "1,10"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_each_size_has_its_own_database():
    base = "postgres://postgres@127.0.0.1:5432/sharedmap_bench"
    assert serve.database_url_for(base, 1) == base
    assert serve.database_url_for(base, 10).endswith("/sharedmap_bench_x10")
    assert serve.database_url_for(base + "?sslmode=disable", 10).endswith(
        "/sharedmap_bench_x10?sslmode=disable"
    )


def test_the_map_page_names_its_layer_files_and_counts():
    page = (
        '<div data-layer-url="/layers/districts-low.0123abcd89.topojson"></div>'
        '<script id="map-config" type="application/json">{"layerUrl": "/map/councils.geojson",'
        ' "countsUrl": "/map/counts.json", "files": {"counties": "/layers/v3/counties.json",'
        ' "pattern": "/layers/{version}/x.json"}}</script>'
    )
    found = serve.page_addresses(page)
    assert sorted(url for _, url in found["layer_file"]) == [
        "/layers/districts-low.0123abcd89.topojson",
        "/layers/v3/counties.json",
    ]
    assert found["counts"] == [("countsUrl", "/map/counts.json")]


def test_a_row_the_map_page_does_not_name_is_missing():
    rows = [serve.Row("layer file", "{layer_file}"), serve.Row("page", "/", query="a=1")]
    measured = serve.rows_expand(rows, {"layer_file": []})
    assert measured[0].path is None and measured[0].note.startswith("missing")
    assert measured[1].path == "/?a=1"


def test_ten_times_the_data_copies_every_real_partnership_with_real_members(real_data):
    live = Partnership.objects.filter(snapshot__isnull=True, published=True)
    real = live.count()
    real_records = SavingsRecord.objects.filter(partnership__in=live).count()

    report = scale.partnerships_scale(factor=3)

    assert report.partnerships == live.count() == 3 * real
    copies = live.filter(slug__startswith=scale.COPY_PREFIX)
    assert copies.count() == 2 * real
    assert not copies.filter(published=False).exists()
    original = live.exclude(slug__startswith=scale.COPY_PREFIX).order_by("pk").first()
    copy = Partnership.objects.get(slug=scale.copy_slug(original.slug, 2))
    assert sorted(copy.council_memberships.values_list("council_id", "is_lead")) == sorted(
        original.council_memberships.values_list("council_id", "is_lead")
    )
    assert set(copy.categories.all()) == set(original.categories.all())
    assert PartnershipCouncil.objects.filter(partnership__in=copies).count() > 2 * real
    assert Council.objects.filter(memberships__partnership__in=copies).exists()
    years = set(copy.savings_records.values_list("start_year", flat=True))
    assert set(scale.SYNTHETIC_YEARS) <= years
    # Ten synthetic figures a copy, besides the originals' own: 10x gives 10,000+.
    assert report.savings_records == 3 * real_records + 2 * real * len(scale.SYNTHETIC_YEARS)
    assert SavingsYear.objects.filter(partnership=copy).exists(), "the ledger counts them"
    assert report.memberships == (
        PartnershipCouncil.objects.filter(partnership__in=live).count()
        + PartnershipPublicBody.objects.filter(partnership__in=live).count()
    )


def test_scaling_again_changes_nothing_and_another_factor_replaces_the_copies(real_data):
    real = Partnership.objects.filter(snapshot__isnull=True, published=True).count()
    scale.partnerships_scale(factor=2)
    again = scale.partnerships_scale(factor=2)
    assert again.added == 0 and again.partnerships == 2 * real
    smaller = scale.partnerships_scale(factor=1)
    assert smaller.partnerships == real
    assert not SavingsRecord.objects.filter(partnership__slug__startswith="bench-").exists()


def test_the_pages_measured_are_real_ones(real_data):
    scale.partnerships_scale(factor=2)
    samples = scale.samples()
    assert not samples["partnership"].startswith(scale.COPY_PREFIX)
    assert Partnership.objects.filter(slug=samples["partnership"]).exists()
    assert Council.objects.filter(gss_code=samples["council"], current=True).exists()


def test_goals_are_judged_at_every_size_and_growth_between_the_first_and_last():
    assert serve.verdict(serve.GEOMETRY, [0.97, 0.99], None) == "met"
    assert serve.verdict(serve.GEOMETRY, [0.99, 0.90], 1.0) == "not met"
    assert serve.verdict(serve.HTML_PAGE, [0.1], 1.4) == "met"
    assert serve.verdict(serve.HTML_PAGE, [0.1], 1.6) == "not met"
    assert serve.verdict(serve.API_UNCACHED, [0.1], None) == "needs two sizes"
