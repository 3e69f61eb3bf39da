"""Match-making requests between councils, the funding budget they draw on, and the
Shared Service Expert Programme's applications, assessments and reported outcomes.

Requesters' and applicants' names and emails are private to the LGA's staff: no public
page shows them. A requester reaches their own request only through the secret link
emailed to them, of which only a SHA-256 digest is stored.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.activity.models import ActivityEntry
from partnerships.models import (
    Council,
    CouncilType,
    Partnership,
    Recurrence,
    SavingsKind,
    ServiceCategory,
    financial_year_label,
)

ZERO = Decimal("0")

# The kinds of council a requester may say they would consider (the ones that run
# services; combined and strategic authorities are not partners for these).
CONSIDERED_TYPES = [
    CouncilType.DISTRICT,
    CouncilType.UNITARY,
    CouncilType.COUNTY,
    CouncilType.METROPOLITAN_DISTRICT,
    CouncilType.LONDON_BOROUGH,
    CouncilType.CITY_CORPORATION,
]


def current_financial_year(today=None) -> int:
    """The year the current financial year starts in (April to March)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


class FundingBudget(models.Model):
    """What the LGA can fund in one financial year: days of a shared service expert and
    pounds of external mediation for match-making, and pounds for the Expert Programme."""

    financial_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year it starts in: 2026 for 2026/27."
    )
    expert_days = models.DecimalField(
        "expert days for match-making",
        max_digits=7,
        decimal_places=1,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    mediation_amount = models.DecimalField(
        "mediation for match-making (£)",
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    programme_amount = models.DecimalField(
        "Expert Programme (£)",
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-financial_year"]

    def __str__(self) -> str:
        return f"Budget {financial_year_label(self.financial_year)}"

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)


class Reach(models.TextChoices):
    NEIGHBOURS = "neighbours", "Neighbouring councils only"
    COUNTY = "county", "Neighbours and councils in the same county"
    REGION = "region", "Neighbours and councils in the same region"
    ANYWHERE = "anywhere", "Anywhere in England"


class FundingWanted(models.TextChoices):
    NONE = "none", "No funding"
    EXPERT = "expert", "A dedicated shared service expert"
    MEDIATION = "mediation", "External mediation"
    BOTH = "both", "Both an expert and mediation"


class MatchRequest(models.Model):
    """A council asking the LGA to find partners to share services or a management team."""

    SECRET_LINK_PURPOSE = "match-request"
    SECRET_LINK_LIVE: dict = {}  # revoking clears the digest

    class Status(models.TextChoices):
        NEW = "new", "New (email not confirmed)"
        EMAIL_CONFIRMED = "email_confirmed", "Email confirmed"
        IN_DISCUSSION = "in_discussion", "In discussion"
        INTRODUCED = "introduced", "Introduced"
        PARTNERSHIP_FORMED = "partnership_formed", "Partnership formed"
        CLOSED = "closed", "Closed"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="match_requests")
    # Private: staff only.
    requester_name = models.CharField("your name", max_length=200)
    requester_role = models.CharField("your role", max_length=200)
    requester_email = models.EmailField("your work email")
    categories = models.ManyToManyField(
        ServiceCategory, related_name="match_requests", verbose_name="services to share"
    )
    reach = models.CharField(
        "how far afield", max_length=12, choices=Reach.choices, default=Reach.COUNTY
    )
    council_types = models.JSONField(
        "kinds of council considered",
        default=list,
        blank=True,
        help_text="CouncilType values; empty means any kind.",
    )
    description = models.TextField("what you hope to achieve")
    funding_wanted = models.CharField(
        max_length=10, choices=FundingWanted.choices, default=FundingWanted.NONE
    )
    expert_days_requested = models.DecimalField(
        "expert days requested",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    mediation_requested = models.DecimalField(
        "mediation requested (£)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
    )
    funding_budget = models.ForeignKey(
        FundingBudget,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="match_requests",
        help_text="The year's budget any award is drawn from.",
    )
    expert_days_awarded = models.DecimalField(
        max_digits=6, decimal_places=1, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    mediation_awarded = models.DecimalField(
        "mediation awarded (£)",
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    closed_reason = models.TextField(blank=True)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="match_requests",
        help_text="The partnership that came out of this request.",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_requests",
        help_text="Set when staff merge a duplicate into another request.",
    )
    # The secret link (core.secret_links): its digest, and the salt it is derived from.
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_salt = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Every action on it, by staff or the requester (core.activity); deleted with it.
    activity = GenericRelation(ActivityEntry)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expert_days_awarded__gte=0) & Q(mediation_awarded__gte=0),
                name="match_request_awards_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"Request {self.pk} from {self.council.short_name}"

    @property
    def reference(self) -> str:
        return f"MM-{self.pk:04d}"

    @property
    def open(self) -> bool:
        return self.status not in (self.Status.NEW, self.Status.CLOSED)

    def council_type_labels(self) -> list[str]:
        labels = dict(CouncilType.choices)
        return [labels.get(value, value) for value in self.council_types]

    def clean(self) -> None:
        errors = {}
        wanted = self.funding_wanted
        if wanted in (FundingWanted.EXPERT, FundingWanted.BOTH) and not self.expert_days_requested:
            errors["expert_days_requested"] = "Say roughly how many days of an expert you need."
        if wanted in (FundingWanted.MEDIATION, FundingWanted.BOTH) and not self.mediation_requested:
            errors["mediation_requested"] = "Say roughly how much mediation would cost, in £."
        unknown = set(self.council_types or []) - set(CouncilType.values)
        if unknown:
            errors["council_types"] = "Choose kinds of council from the list."
        if self.status == self.Status.CLOSED and not self.closed_reason.strip():
            errors["closed_reason"] = "Say why the request is closed."
        if errors:
            raise ValidationError(errors)


class MatchSuggestion(models.Model):
    """A council staff have shortlisted for a request: from the ranking or added by hand.
    Staff choose which are shown to the requester, and introduce the two councils."""

    match_request = models.ForeignKey(
        MatchRequest, on_delete=models.CASCADE, related_name="suggestions"
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    # What the councils read (the requester's page, the introduction emails): plain
    # words, written from the ranking's reasons or by staff; never points or weights.
    reasons = models.TextField(
        blank=True,
        help_text="Why it was suggested, in plain words: the requester and the suggested "
        "council read this (no points or weights).",
    )
    # The ranking's reasons as data ([{"code": …, "params": {…}}], `matchmaking.ranking`):
    # staff see them with their weights.
    ranking_reasons = models.JSONField(default=list, blank=True, editable=False)
    score = models.PositiveSmallIntegerField(default=0, help_text="The ranking's score.")
    added_by_hand = models.BooleanField(default=False)
    shared_with_requester = models.BooleanField(
        "show to requester",
        default=False,
        help_text="Show this council on the requester's page.",
    )
    # Private: the person at the suggested council the introduction goes to.
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    introduced_at = models.DateTimeField(null=True, blank=True)
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "council__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["match_request", "council"], name="match_suggestion_one_per_council"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council.short_name} for {self.match_request}"

    def clean(self) -> None:
        if self.match_request_id and self.council_id == self.match_request.council_id:
            raise ValidationError({"council": "A council cannot be its own partner."})


class ExpertApplication(models.Model):
    """A council in a published partnership asking the Expert Programme for an expert to
    develop and improve the arrangement."""

    SECRET_LINK_PURPOSE = "expert-application"
    SECRET_LINK_LIVE: dict = {}  # revoking clears the digest

    class Status(models.TextChoices):
        NEW = "new", "New (email not confirmed)"
        SUBMITTED = "submitted", "Submitted for assessment"
        AWARDED = "awarded", "Awarded"
        DECLINED = "declined", "Declined"
        WORK_COMPLETE = "work_complete", "Work complete, outcomes due"
        OUTCOMES_REPORTED = "outcomes_reported", "Outcomes reported"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="expert_applications"
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="expert_applications",
        help_text="The member council applying.",
    )
    # Private: staff only.
    applicant_name = models.CharField("your name", max_length=200)
    applicant_role = models.CharField("your role", max_length=200)
    applicant_email = models.EmailField("your work email")
    improvement = models.TextField("what you want to improve")
    expertise_needed = models.TextField("the expertise you need")
    funding_requested = models.DecimalField(
        "funding asked for (£)",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1"))],
    )
    outcomes_expected = models.TextField("the outcomes you expect")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    decision_reason = models.TextField(blank=True)
    expert_name = models.CharField("expert assigned", max_length=200, blank=True)
    amount_awarded = models.DecimalField(
        "amount awarded (£)",
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    funding_budget = models.ForeignKey(
        FundingBudget,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expert_applications",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The secret link (core.secret_links): its digest, and the salt it is derived from.
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_salt = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Every action on it, by staff or the applicant (core.activity); deleted with it.
    activity = GenericRelation(ActivityEntry)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Application {self.reference}: {self.partnership.name}"

    @property
    def reference(self) -> str:
        return f"EP-{self.pk:04d}"

    @property
    def committed(self) -> bool:
        """Whether its award counts against the budget."""
        return self.status in COMMITTED_APPLICATION_STATUSES


COMMITTED_APPLICATION_STATUSES = (
    ExpertApplication.Status.AWARDED,
    ExpertApplication.Status.WORK_COMPLETE,
    ExpertApplication.Status.OUTCOMES_REPORTED,
)


class AssessmentCriterion(models.Model):
    """One written criterion staff score Expert Programme applications against."""

    title = models.CharField(max_length=200, unique=True)
    guidance = models.TextField(help_text="What a high score looks like.")
    max_score = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True, help_text="Untick to stop using it.")

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "assessment criteria"

    def __str__(self) -> str:
        return self.title


class CriterionScore(models.Model):
    application = models.ForeignKey(
        ExpertApplication, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(AssessmentCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position", "criterion__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="criterion_score_one_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"

    def clean(self) -> None:
        if self.criterion_id and self.score is not None and self.score > self.criterion.max_score:
            raise ValidationError(
                {"score": f"The most this criterion can score is {self.criterion.max_score}."}
            )


class OutcomeReport(models.Model):
    """What the expert's work achieved, reported by the council through its secret link.
    A savings figure goes to the review queue before it reaches the partnership."""

    application = models.ForeignKey(
        ExpertApplication, on_delete=models.CASCADE, related_name="outcome_reports"
    )
    service_improvements = models.TextField()
    savings_amount = models.DecimalField(
        "savings (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    savings_year = models.PositiveSmallIntegerField(
        "financial year", null=True, blank=True, help_text="The year it starts in."
    )
    savings_kind = models.CharField(max_length=10, choices=SavingsKind.choices, blank=True)
    savings_cashable = models.BooleanField(null=True, blank=True)
    savings_recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.UNKNOWN
    )
    proposed_change = models.ForeignKey(
        "submissions.ProposedChange",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"Outcomes of {self.application.reference}"


class Note(models.Model):
    """A member of staff's note on a request or application."""

    match_request = models.ForeignKey(
        MatchRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    application = models.ForeignKey(
        ExpertApplication, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]
