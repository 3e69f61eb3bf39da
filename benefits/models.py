"""Benefits trackers: what a shared service costs, saves and pays back.

A tracker belongs to a published partnership or to a planned one (a business case).
It is private: reached only with a secure link whose token is never stored, only its
SHA-256 digest. When it is submitted, its achieved figures go to the review queue.
"""

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.activity.models import ActivityEntry
from core.money import money_exact
from partnerships.models import Council, Partnership, ServiceCategory, financial_year_label

NOT_NEGATIVE = [MinValueValidator(Decimal("0"), "Enter an amount of £0 or more.")]


def _money_field(label: str) -> models.DecimalField:
    """A year row's amount in pounds: £0 unless entered, never negative."""
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, default=0, validators=NOT_NEGATIVE
    )


class ShareMethod(models.TextChoices):
    BASELINE = "baseline", "In proportion to each partner's baseline cost"
    RATIO = "ratio", "By an agreed ratio (percentages)"


class TrackerStatus(models.TextChoices):
    PRIVATE = "private", "Private"
    SUBMITTED = "submitted", "Submitted for the map"


class Tracker(models.Model):
    """One partnership's (or planned partnership's) costs, savings and benefits."""

    SECRET_LINK_PURPOSE = "benefits-tracker"
    SECRET_LINK_LIVE: dict = {}  # revoking clears the digest

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="benefit_trackers",
        help_text="Blank for a planned partnership.",
    )
    name = models.CharField(max_length=200, help_text="The planned partnership's name.")
    category = models.ForeignKey(
        ServiceCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The main service of a planned partnership, for comparisons.",
    )
    councils = models.ManyToManyField(
        Council, blank=True, related_name="+", help_text="A planned partnership's councils."
    )
    first_year = models.PositiveSmallIntegerField(
        "first financial year of the shared service",
        help_text="The year it starts in: 2024 for 2024/25.",
    )
    first_year_months = models.PositiveSmallIntegerField(
        "months in operation in the first year",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    share_method = models.CharField(
        "how the figures are shared",
        max_length=10,
        choices=ShareMethod.choices,
        default=ShareMethod.BASELINE,
    )
    status = models.CharField(
        max_length=10, choices=TrackerStatus.choices, default=TrackerStatus.PRIVATE
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Private: for the LGA's staff only, never shown on a page.
    creator_name = models.CharField(max_length=200)
    creator_email = models.EmailField()
    # The secret link (core.secret_links): its digest, and the salt it is derived from.
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_salt = models.CharField(max_length=64, blank=True, default="", editable=False)
    token_issued_at = models.DateTimeField(null=True, blank=True)
    token_issues = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Its status moves (benefits.workflow), kept in core.activity; deleted with it.
    activity = GenericRelation(ActivityEntry)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Benefits tracker {self.pk}: {self.name}"

    @property
    def is_planned(self) -> bool:
        return self.partnership_id is None

    @property
    def first_year_label(self) -> str:
        return financial_year_label(self.first_year) if self.first_year else ""

    @property
    def link_active(self) -> bool:
        return bool(self.token_digest)

    def clean(self) -> None:
        if not self.partnership_id and not self.name:
            raise ValidationError({"name": "Give the planned partnership a name."})


class TrackerPartner(models.Model):
    """One partner's baseline: the service's annual cost and staff before sharing."""

    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="partners")
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    baseline_cost = models.DecimalField(
        "annual cost before sharing (£)",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    baseline_fte = models.DecimalField(
        "staff before sharing (FTE)",
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), "Enter a number of staff of 0 or more.")],
    )
    agreed_share = models.DecimalField(
        "agreed share (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), "Enter a share of 0%% or more."),
            MaxValueValidator(Decimal("100"), "A share cannot be more than 100%%."),
        ],
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class SetupCostKind(models.TextChoices):
    REDUNDANCY = "redundancy", "Redundancy"
    IT = "it", "IT"
    PROPERTY = "property", "Property"
    LEGAL = "legal", "Legal"
    PROJECT_TEAM = "project_team", "Project team"
    OTHER = "other", "Other"


class SetupCost(models.Model):
    """A one-off cost of setting up the shared service, in the year it falls in."""

    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="setup_costs")
    kind = models.CharField(max_length=20, choices=SetupCostKind.choices)
    year = models.PositiveSmallIntegerField("financial year")
    amount = models.DecimalField(
        "amount (£)", max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["year", "pk"]

    def __str__(self) -> str:
        year = financial_year_label(self.year)
        return f"{self.get_kind_display()} {year}: {money_exact(self.amount)}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)


class TrackerYear(models.Model):
    """One financial year's savings by kind and new running costs (full-year amounts)."""

    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField("financial year")
    staff = _money_field("staff savings (£)")
    it = _money_field("IT savings (£)")
    property = _money_field("property savings (£)")
    procurement = _money_field("procurement savings (£)")
    process = _money_field("process savings (£)")
    income = _money_field("new income (£)")
    running_costs = _money_field("new running costs (£)")
    achieved = models.BooleanField(
        default=False, help_text="Achieved (actual) figures rather than expected ones."
    )

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["tracker", "year"], name="tracker_one_row_per_year")
        ]

    def __str__(self) -> str:
        return financial_year_label(self.year)

    # Not a @property: the field called `property` hides the builtin in this class.
    def label(self) -> str:
        return financial_year_label(self.year)


class BenefitAspect(models.TextChoices):
    RESILIENCE = "resilience", "Resilience"
    PERFORMANCE = "performance", "Service performance"
    STAFF = "staff", "Staff"
    OTHER = "other", "Other"


class BenefitRating(models.Model):
    """A non-financial benefit rated 1 (much worse) to 5 (much better), with notes."""

    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="ratings")
    aspect = models.CharField(max_length=20, choices=BenefitAspect.choices)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["tracker", "aspect"], name="tracker_one_rating_each")
        ]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()}: {self.rating or 'not rated'}"


RATING_LABELS = {
    1: "1 – much worse",
    2: "2 – worse",
    3: "3 – no change",
    4: "4 – better",
    5: "5 – much better",
}


class TrackerProposal(models.Model):
    """A savings figure this tracker sent to the review queue, to show its progress."""

    tracker = models.ForeignKey(Tracker, on_delete=models.CASCADE, related_name="proposals")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    change = models.ForeignKey(
        "submissions.ProposedChange", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "pk"]

    def __str__(self) -> str:
        return f"{financial_year_label(self.year)}: {money_exact(self.amount)}"

    def get_absolute_url(self) -> str:  # pragma: no cover - admin convenience
        return reverse("admin:submissions_proposedchange_change", args=[self.change_id])
