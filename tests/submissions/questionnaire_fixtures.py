"""Fixtures for the council's questionnaire tests (import them by name)."""

import datetime

import pytest
from django.utils import timezone

from partnerships.models import Council
from submissions.models import CouncilContact, Questionnaire, RefreshCycle
from submissions.services import cycle_open, link_issue

ADUR, WORTHING = "E07000223", "E07000229"


@pytest.fixture
def open_cycle(real_data):
    """An open cycle for 2025/26 whose deadline is a month away, with Adur and Worthing
    invited."""
    today = timezone.localdate()
    cycle = RefreshCycle.objects.create(
        financial_year=2025,
        opens_on=today - datetime.timedelta(days=7),
        deadline=today + datetime.timedelta(days=30),
    )
    for gss_code, email in ((ADUR, "officer@adur.gov.uk"), (WORTHING, "officer@worthing.gov.uk")):
        CouncilContact.objects.create(
            council=Council.objects.get(gss_code=gss_code), name="Officer", email=email
        )
    cycle_open(cycle=cycle)
    return cycle


@pytest.fixture
def adur(open_cycle) -> Questionnaire:
    return Questionnaire.objects.get(cycle=open_cycle, council__gss_code=ADUR)


@pytest.fixture
def worthing(open_cycle) -> Questionnaire:
    return Questionnaire.objects.get(cycle=open_cycle, council__gss_code=WORTHING)


@pytest.fixture
def adur_token(adur) -> str:
    return link_issue(questionnaire=adur)


@pytest.fixture
def worthing_token(worthing) -> str:
    return link_issue(questionnaire=worthing)
