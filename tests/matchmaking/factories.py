"""Factories for match-making test data; councils come from the real reference data."""

from decimal import Decimal

import factory

from core.secret_links import token_digest
from matchmaking.models import (
    AssessmentCriterion,
    ExpertApplication,
    FundingBudget,
    MatchRequest,
)
from partnerships.models import Council, Partnership, ServiceCategory


def council(gss_code: str) -> Council:
    return Council.objects.get(gss_code=gss_code)


def category(slug: str) -> ServiceCategory:
    return ServiceCategory.objects.get(slug=slug)


class MatchRequestFactory(factory.django.DjangoModelFactory):
    """A request, confirmed unless a status is given. Its link's token is `token`."""

    class Meta:
        model = MatchRequest
        skip_postgeneration_save = True

    class Params:
        token = factory.Sequence(lambda n: f"test-request-token-{n}")

    council = factory.LazyFunction(lambda: Council.objects.get(gss_code="E07000223"))
    requester_name = "Jo Requester"
    requester_role = "Head of Building Control"
    requester_email = factory.Sequence(lambda n: f"requester{n}@adur-worthing.gov.uk")
    reach = "county"
    description = "We would like to share building control with a neighbour."
    status = MatchRequest.Status.EMAIL_CONFIRMED
    token_digest = factory.LazyAttribute(lambda o: token_digest(o.token))

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create:
            self.categories.set(extracted or [ServiceCategory.objects.get(slug="building-control")])


class FundingBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingBudget
        django_get_or_create = ["financial_year"]

    financial_year = 2026
    expert_days = Decimal("100.0")
    mediation_amount = Decimal("50000.00")
    programme_amount = Decimal("200000.00")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentCriterion
        django_get_or_create = ["title"]

    title = factory.Sequence(lambda n: f"Criterion {n}")
    guidance = "What a high score looks like."
    max_score = 5


class ExpertApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted (confirmed) application from a member council of a real partnership."""

    class Meta:
        model = ExpertApplication

    class Params:
        token = factory.Sequence(lambda n: f"test-application-token-{n}")

    partnership = factory.LazyFunction(
        lambda: (
            Partnership.objects.filter(published=True, council_memberships__isnull=False)
            .order_by("name")
            .first()
        )
    )
    council = factory.LazyAttribute(lambda o: o.partnership.council_memberships.first().council)
    applicant_name = "Sam Applicant"
    applicant_role = "Shared service manager"
    applicant_email = factory.Sequence(lambda n: f"applicant{n}@council.gov.uk")
    improvement = "Bring the two teams onto one case system."
    expertise_needed = "Systems integration."
    funding_requested = Decimal("20000.00")
    outcomes_expected = "£50k a year saved from 2027."
    status = ExpertApplication.Status.SUBMITTED
    token_digest = factory.LazyAttribute(lambda o: token_digest(o.token))
