"""Trackers made through the services, as a council officer would make them."""

from decimal import Decimal

from benefits import services
from benefits.models import Tracker
from partnerships.models import Council, Partnership, ServiceCategory


def tracker_for(slug: str, *, first_year: int = 2024, months: int = 12) -> tuple[Tracker, str]:
    """A private tracker for a real published partnership, and its link's token."""
    partnership = Partnership.objects.get(slug=slug)
    return services.tracker_create(
        partnership=partnership,
        first_year=first_year,
        first_year_months=months,
        creator_name="Jo Bloggs",
        creator_email="jo.bloggs@adur-worthing.gov.uk",
    )


def planned_tracker(
    *gss_codes: str, category: str = "legal", name: str = "Planned legal service"
) -> tuple[Tracker, str]:
    return services.tracker_create(
        partnership=None,
        name=name,
        category=ServiceCategory.objects.get(slug=category),
        councils=list(Council.objects.filter(gss_code__in=gss_codes)),
        first_year=2025,
        creator_name="Sam Planner",
        creator_email="sam@example.gov.uk",
    )


def figures_enter(tracker: Tracker, *, years=None, costs=None, baselines=None) -> Tracker:
    """Example A of test_calculations: payback in 2025/26."""
    partners = list(tracker.partners.all())
    baselines = baselines or [Decimal("600000"), Decimal("400000")] + [Decimal("0")] * 10
    return services.tracker_figures_update(
        tracker=tracker,
        first_year=2024,
        first_year_months=12,
        share_method="baseline",
        partners=[
            services.PartnerFigures(
                partner_id=p.pk,
                baseline_cost=baselines[i],
                baseline_fte=Decimal("10"),
                agreed_share=None,
            )
            for i, p in enumerate(partners)
        ],
        setup_costs=costs
        if costs is not None
        else [
            services.SetupCostFigures(kind="redundancy", year=2024, amount=Decimal("150000")),
            services.SetupCostFigures(kind="it", year=2024, amount=Decimal("50000")),
        ],
        years=years
        if years is not None
        else [
            services.YearFigures(
                year=2024,
                staff=Decimal("100000"),
                it=Decimal("20000"),
                procurement=Decimal("10000"),
                running_costs=Decimal("30000"),
                achieved=True,
            ),
            services.YearFigures(
                year=2025,
                staff=Decimal("120000"),
                it=Decimal("20000"),
                procurement=Decimal("15000"),
                process=Decimal("5000"),
                running_costs=Decimal("30000"),
                achieved=True,
            ),
        ],
        ratings=[services.RatingFigures(aspect="resilience", rating=4, notes="Cover for leave.")],
    )
