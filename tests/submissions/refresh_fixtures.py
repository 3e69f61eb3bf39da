"""Fixtures shared by the staff-side refresh tests (import them by name)."""

import datetime

from django.contrib.auth import get_user_model

from partnerships.models import Council
from submissions.models import CouncilContact, RefreshCycle

ADUR, WORTHING, SURREY = "E07000223", "E07000229", "E10000030"


def council(gss_code: str) -> Council:
    return Council.objects.get(gss_code=gss_code)


def contact(gss_code: str, email: str, name: str = "Officer", **kwargs) -> CouncilContact:
    return CouncilContact.objects.create(
        council=council(gss_code), name=name, email=email, **kwargs
    )


def cycle_make() -> RefreshCycle:
    """The 2025/26 cycle, opening on 1 March 2026 with its deadline on 15 April."""
    return RefreshCycle.objects.create(
        financial_year=2025,
        opens_on=datetime.date(2026, 3, 1),
        deadline=datetime.date(2026, 4, 15),
    )


def superuser_make():
    return get_user_model().objects.create_superuser("lga", "lga@local.gov.uk", "x")
