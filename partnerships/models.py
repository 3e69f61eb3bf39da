"""Councils, the public bodies they share with, partnerships and their savings."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.money import money_exact


def financial_year_label(start_year: int) -> str:
    """2018 -> '2018/19' (a financial year runs from April to March)."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


class CouncilType(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district"
    LONDON_BOROUGH = "london_borough", "London borough"
    CITY_CORPORATION = "city_corporation", "City corporation"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    STRATEGIC_AUTHORITY = "strategic_authority", "Strategic regional authority"


class Sector(models.TextChoices):
    """The wider public sector a partner belongs to."""

    FIRE = "fire", "Fire and rescue"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    HOUSING = "housing", "Housing"
    PLANNING = "planning", "Planning"
    OTHER = "other", "Other"


class PublicBodyKind(models.TextChoices):
    FIRE_RESCUE_AUTHORITY = "fire_rescue_authority", "Fire and rescue authority"
    POLICE_FORCE_AREA = "police_force_area", "Police force area"
    INTEGRATED_CARE_BOARD = "integrated_care_board", "Integrated care board"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    NHS_TRUST = "nhs_trust", "NHS trust or health body"
    POLICE_BODY = "police_body", "Police force or commissioner"
    FIRE_SERVICE = "fire_service", "Fire and rescue service"
    HOUSING_ASSOCIATION = "housing_association", "Housing association"
    NATIONAL_PARK = "national_park", "National park authority"
    UNIVERSITY = "university", "University or college"
    OTHER = "other", "Other public body"


class Region(models.Model):
    """An English region (ONS), with its boundary for the map."""

    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="What the region filters take in addresses and the API: the name, slugified.",
    )
    boundary = models.TextField(blank=True, help_text="GeoJSON geometry (WGS84).")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublicBody(models.Model):
    """A public-sector partner that is not a council: fire, police, health and others."""

    code = models.CharField(
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text="ONS code where the body has one; blank for bodies added by hand.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=PublicBodyKind.choices)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    website = models.URLField(blank=True)
    boundary = models.TextField(
        blank=True, help_text="GeoJSON geometry (WGS84), if it has an area."
    )
    area = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The ONS area it serves (a police force area for a constabulary).",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "public bodies"
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="public_body_name_kind_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Council(models.Model):
    """An English council, current or former."""

    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    register_code = models.CharField(
        max_length=6, unique=True, help_text="Local authority register code (mySociety)."
    )
    official_name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=120)
    council_type = models.CharField("type", max_length=30, choices=CouncilType.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="councils"
    )
    population = models.PositiveIntegerField(null=True, blank=True, help_text="2020 estimate.")
    area_km2 = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    boundary = models.TextField(blank=True, help_text="GeoJSON geometry, detailed (20 m).")
    boundary_low = models.TextField(
        blank=True, help_text="GeoJSON geometry, light, for the national view."
    )
    current = models.BooleanField(default=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    county = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="districts",
        limit_choices_to={"council_type": CouncilType.COUNTY},
    )
    replaced_by = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors"
    )
    neighbours = models.ManyToManyField("self", symmetrical=True, blank=True)
    fire_rescue_authority = models.ForeignKey(
        PublicBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": PublicBodyKind.FIRE_RESCUE_AUTHORITY},
    )
    police_force_area = models.ForeignKey(
        PublicBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": PublicBodyKind.POLICE_FORCE_AREA},
    )
    integrated_care_board = models.ForeignKey(
        PublicBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": PublicBodyKind.INTEGRATED_CARE_BOARD},
    )
    combined_authority = models.ForeignKey(
        PublicBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": PublicBodyKind.COMBINED_AUTHORITY},
    )
    alt_names = models.TextField(blank=True, help_text="Other names, one per line.")
    # The shapes are reference data, reloaded whole; the history keeps everything else.
    history = HistoricalRecords(excluded_fields=["boundary", "boundary_low"])

    class Meta:
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name if self.current else f"{self.short_name} (former)"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:council-detail", args=[self.gss_code])


class ServiceCategory(models.Model):
    """A kind of service that councils share (revenues and benefits, legal, …)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=100, help_text="Order in lists.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "service categories"

    def __str__(self) -> str:
        return self.name


class PartnershipStatus(models.TextChoices):
    """Blank means the sources do not establish it: shown as "status not confirmed"."""

    OPERATIONAL = "operational", "Operational"
    ENDED = "ended", "Ended"
    PROPOSED = "proposed", "Proposed"


# What "now" counts unless the status filter asks for more: running partnerships and
# those whose status the sources do not establish.
STATUSES_NOW = (PartnershipStatus.OPERATIONAL, "")
STATUS_NOT_CONFIRMED = "Status not confirmed"


class NoSavingsReason(models.TextChoices):
    NOT_FOR_SAVINGS = "not_for_savings", "Not set up to save money"
    NOT_MEASURED = "not_measured", "Savings are not measured"
    NOT_YET_KNOWN = "not_yet_known", "Not yet known"
    OTHER = "other", "Other"


class Partnership(models.Model):
    """Councils (and other public bodies) sharing one or more services."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    categories = models.ManyToManyField(ServiceCategory, related_name="partnerships")
    status = models.CharField(
        max_length=20, choices=PartnershipStatus.choices, blank=True, help_text="Blank if unknown."
    )
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    councils = models.ManyToManyField(
        Council, through="PartnershipCouncil", related_name="partnerships"
    )
    public_bodies = models.ManyToManyField(
        PublicBody, through="PartnershipPublicBody", related_name="partnerships", blank=True
    )
    website = models.URLField("public website", blank=True, max_length=500)
    source = models.TextField(
        blank=True, help_text='Where the facts come from: links, separated by " ; ".'
    )
    reported_savings = models.TextField(
        blank=True, help_text="The savings in the source's own words."
    )
    no_savings_reason = models.CharField(
        "reason there is no savings figure",
        max_length=20,
        choices=NoSavingsReason.choices,
        blank=True,
    )
    no_savings_reason_other = models.CharField("other reason", max_length=300, blank=True)
    # Private: for the LGA's staff only, never shown publicly or exported.
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=50, blank=True)
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A frozen copy made when a year's map was published (`MapSnapshot`): never published
    # itself, read only by that year's views; `public_slug` is the live partnership's.
    snapshot = models.ForeignKey(
        "MapSnapshot",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partnerships",
        editable=False,
    )
    public_slug = models.SlugField(max_length=200, blank=True, editable=False)
    history = HistoricalRecords(
        m2m_fields=[categories],
        excluded_fields=[
            "contact_name",
            "contact_email",
            "contact_phone",
            "updated_at",
            "snapshot",
            "public_slug",
        ],
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="partnership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partnership-detail", args=[self.live_slug])

    def clean(self) -> None:
        # rules reads timeline, which reads this module: imported when first needed.
        from partnerships.rules import START_YEARS, years_check

        years_check(START_YEARS, start_year=self.start_year, end_year=self.end_year)
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The end year cannot be before the start year."})
        if self.no_savings_reason == NoSavingsReason.OTHER and not self.no_savings_reason_other:
            raise ValidationError({"no_savings_reason_other": "Say what the other reason is."})

    @property
    def live_slug(self) -> str:
        """The slug of the live partnership (a snapshot's copy carries its original's)."""
        return self.public_slug or self.slug

    @property
    def status_label(self) -> str:
        return self.get_status_display() if self.status else STATUS_NOT_CONFIRMED

    @property
    def is_current(self) -> bool:
        """Counted "now" (running, or its status not established)."""
        return self.status in STATUSES_NOW

    @property
    def source_links(self) -> list[str]:
        return [part.strip() for part in self.source.split(" ; ") if part.strip()]

    @property
    def partner_sectors(self) -> list[str]:
        """Sectors of the non-council members, in the order of Sector."""
        present = {body.sector for body in self.public_bodies.all()}
        return [label for value, label in Sector.choices if value in present]

    # Totals come from the ledger (`SavingsYear`): one counted figure per year and kind,
    # chosen by the rule in `partnerships.services.ledger`; overlapping figures are
    # never added up. They read `savings_years.all()` so that a prefetch serves them.
    def _counted(self, kind: str) -> list["SavingsYear"]:
        return [y for y in self.savings_years.all() if y.kind == kind]

    @property
    def achieved_savings_total(self) -> Decimal | None:
        years = self._counted(SavingsKind.ACHIEVED)
        return sum((y.amount for y in years), Decimal("0")) if years else None

    @property
    def expected_savings_total(self) -> Decimal | None:
        years = self._counted(SavingsKind.EXPECTED)
        return sum((y.amount for y in years), Decimal("0")) if years else None

    @property
    def latest_achieved_record(self) -> "SavingsRecord | None":
        records = [
            r
            for r in self.savings_records.all()
            if r.kind == SavingsKind.ACHIEVED and r.end_year is not None
        ]
        return max(records, key=lambda r: (r.end_year, r.start_year)) if records else None


class PartnershipCouncil(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="council_memberships"
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="memberships")
    is_lead = models.BooleanField("lead or host", default=False)
    joined_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank if it was a founding member or no source says."
    )
    left_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank while it is a member."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_lead", "council__short_name"]
        verbose_name = "member council"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "council"], name="partnership_council_unique"
            ),
            models.CheckConstraint(
                condition=Q(left_year__isnull=True)
                | Q(joined_year__isnull=True)
                | Q(left_year__gte=models.F("joined_year")),
                name="partnership_council_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} in {self.partnership}"

    def clean(self) -> None:
        from partnerships.rules import START_YEARS, years_check

        years_check(START_YEARS, joined_year=self.joined_year, left_year=self.left_year)


class PartnershipPublicBody(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="body_memberships"
    )
    public_body = models.ForeignKey(
        PublicBody, on_delete=models.PROTECT, related_name="memberships"
    )
    is_lead = models.BooleanField("lead or host", default=False)
    joined_year = models.PositiveSmallIntegerField(null=True, blank=True)
    left_year = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_lead", "public_body__name"]
        verbose_name = "member public body"
        verbose_name_plural = "member public bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "public_body"], name="partnership_body_unique"
            ),
            models.CheckConstraint(
                condition=Q(left_year__isnull=True)
                | Q(joined_year__isnull=True)
                | Q(left_year__gte=models.F("joined_year")),
                name="partnership_body_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_body} in {self.partnership}"

    def clean(self) -> None:
        from partnerships.rules import START_YEARS, years_check

        years_check(START_YEARS, joined_year=self.joined_year, left_year=self.left_year)


class SavingsKind(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    EXPECTED = "expected", "Expected"


class Recurrence(models.TextChoices):
    RECURRING = "recurring", "Recurring"
    ONE_OFF = "one_off", "One-off"
    UNKNOWN = "unknown", "Not known"


class SavingsOrigin(models.TextChoices):
    """Where a figure came from. Figures of different origins never replace each other."""

    REFRESH = "refresh", "Annual refresh questionnaire"
    TRACKER = "tracker", "Costs and benefits tracker"
    EXPERT_PROGRAMME = "expert_programme", "Shared Service Expert Programme outcome"
    STAFF = "staff", "Entered by LGA staff"
    REFERENCE = "reference", "Published source (reference data)"
    PROPOSAL = "proposal", "Public proposal"


class SavingsEvidence(models.TextChoices):
    AS_REPORTED = "as_reported", "As reported"
    CONFIRMED = "confirmed", "Confirmed by LGA staff"
    AUDITED = "audited", "Audited"


class SavingsRecord(models.Model):
    """One savings figure of one partnership, as one source gave it.

    Financial years are stored by the calendar year they start in: 2018 is 2018/19. A
    figure without a period (the source gave none) is shown but not counted in totals.
    Several figures may cover the same years (two sources, or a refresh answer and an
    Expert Programme outcome): all stand; `partnerships.services.ledger` decides which
    one counts in totals, one per year and kind.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="savings_records"
    )
    start_year = models.PositiveSmallIntegerField(
        "first financial year",
        null=True,
        blank=True,
        help_text="The year it starts in: 2018 for 2018/19. Blank if the source gives no period.",
    )
    end_year = models.PositiveSmallIntegerField(
        "last financial year",
        null=True,
        blank=True,
        help_text="Same as the first for a one-year figure.",
    )
    amount = models.DecimalField(
        "amount (£)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    kind = models.CharField(max_length=10, choices=SavingsKind.choices)
    per_year = models.BooleanField(
        "amount is per year",
        null=True,
        blank=True,
        help_text="Yes: a rate for each year of the period. No: one total over the period.",
    )
    cashable = models.BooleanField(null=True, blank=True, help_text="Blank if not known.")
    recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.UNKNOWN
    )
    origin = models.CharField(
        max_length=20, choices=SavingsOrigin.choices, default=SavingsOrigin.STAFF
    )
    origin_detail = models.CharField(
        max_length=200,
        blank=True,
        help_text="Which questionnaire (council and cycle), tracker or application.",
    )
    evidence = models.CharField(
        max_length=20, choices=SavingsEvidence.choices, default=SavingsEvidence.AS_REPORTED
    )
    reported_on = models.DateField(null=True, blank=True, help_text="When it was reported.")
    source_url = models.URLField("source link", max_length=500, blank=True)
    wording = models.TextField(blank=True, help_text="The figure as the source reported it.")
    source = models.TextField(blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = [F("start_year").asc(nulls_last=True), "end_year", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="savings_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True, end_year__isnull=True)
                | Q(start_year__isnull=False, end_year__gte=models.F("start_year")),
                name="savings_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{money_exact(self.amount)} {self.get_kind_display().lower()}, {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.start_year is None:
            return "no period given"
        if self.start_year == self.end_year:
            return financial_year_label(self.start_year)
        return f"{financial_year_label(self.start_year)} to {financial_year_label(self.end_year)}"

    @property
    def basis_label(self) -> str:
        """How the amount reads against its period."""
        if self.start_year is None or self.start_year == self.end_year:
            return "for the year" if self.start_year is not None else "no period given"
        return "a year, each year" if self.per_year else "in all over the period"

    @property
    def origin_label(self) -> str:
        label = self.get_origin_display()
        return f"{label}: {self.origin_detail}" if self.origin_detail else label

    @property
    def years(self) -> range:
        if self.start_year is None:
            return range(0)
        return range(self.start_year, self.end_year + 1)

    def clean(self) -> None:
        from partnerships.rules import SAVINGS_YEARS, years_check

        years_check(SAVINGS_YEARS, start_year=self.start_year, end_year=self.end_year)
        if (self.start_year is None) != (self.end_year is None):
            raise ValidationError(
                {"end_year": "Give both the first and the last financial year, or neither."}
            )
        if self.start_year is not None and self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": "The last financial year cannot be before the first."}
            )
        # One source gives one figure of a kind for a year; another source's figure for
        # the same years stands beside it (the ledger picks the one that counts). The
        # reference data may quote two papers of one publisher, so it is not checked.
        if (
            self.partnership_id
            and self.start_year is not None
            and self.origin != SavingsOrigin.REFERENCE
        ):
            same_source = SavingsRecord.objects.filter(
                partnership_id=self.partnership_id,
                kind=self.kind,
                origin=self.origin,
                origin_detail=self.origin_detail,
                start_year__lte=self.end_year,
                end_year__gte=self.start_year,
            ).exclude(pk=self.pk)
            other = same_source.first()
            if other is not None:
                raise ValidationError(
                    f"This partnership already has an {self.get_kind_display().lower()} "
                    f"figure from {self.origin_label} covering {other.period_label}; one "
                    "source gives one figure of a kind for a year. Change that figure, or "
                    "record this one with its own source."
                )


class SavingsYear(models.Model):
    """The ledger: for each partnership, kind and financial year, the one figure that
    counts in totals and how much of it falls in that year. Derived from the savings
    records (rebuilt whenever they change, see `partnerships.services.ledger`); never
    edited by hand."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="savings_years"
    )
    record = models.ForeignKey(SavingsRecord, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=SavingsKind.choices)
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    spread = models.BooleanField(
        default=False, help_text="A share of a total over several years, spread evenly."
    )

    class Meta:
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "year"], name="savings_year_one_per_kind"
            )
        ]
        indexes = [models.Index(fields=["year", "kind"])]

    def __str__(self) -> str:
        return f"{money_exact(self.amount)} {self.kind} in {financial_year_label(self.year)}"


class Generation(models.Model):
    """England's council geography between two reorganisations (MapIt's generations)."""

    code = models.CharField(max_length=10, unique=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Blank for the current one.")
    district_count = models.PositiveSmallIntegerField()
    county_count = models.PositiveSmallIntegerField()
    source = models.TextField(blank=True)
    licence = models.TextField(blank=True)

    class Meta:
        ordering = ["valid_from"]

    def __str__(self) -> str:
        until = f"{self.valid_to:%d %B %Y}" if self.valid_to else "now"
        return f"Councils from {self.valid_from:%d %B %Y} to {until}"

    @property
    def first_year(self) -> int:
        """The first financial year (by start year) it holds on 1 April."""
        return self.valid_from.year if self.valid_from.month <= 4 else self.valid_from.year + 1

    @property
    def last_year(self) -> int | None:
        return None if self.valid_to is None else self.valid_to.year - 1


class GenerationCouncil(models.Model):
    """A council as it stood in one generation: its code then and its boundary then."""

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="councils")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="generations")
    gss_code = models.CharField("GSS code then", max_length=9)
    name = models.CharField(max_length=200)
    council_type = models.CharField("type", max_length=30, choices=CouncilType.choices)
    is_county = models.BooleanField(default=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    county = models.ForeignKey(
        Council, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    boundary = models.TextField(blank=True, help_text="GeoJSON geometry (WGS84, BUC).")

    class Meta:
        ordering = ["generation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "council"], name="generation_council_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.generation.code})"


class CouncilStandIn(models.Model):
    """Which council of a generation stands for a member council: itself while it
    exists, its successors (through every reorganisation) once it is abolished. A
    council created later stands for nobody before it existed."""

    generation = models.ForeignKey(Generation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="stand_ins")
    shown = models.ForeignKey(
        GenerationCouncil, on_delete=models.CASCADE, related_name="standing_for"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "member", "shown"], name="council_stand_in_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} stands as {self.shown}"


class MapSnapshot(models.Model):
    """What was published for a financial year, frozen when staff close that year's
    refresh or publish the year's map: a copy of each partnership running that year,
    with its members and figures (`Partnership.snapshot`). Later edits never change it."""

    year = models.PositiveSmallIntegerField(unique=True, help_text="2025 for 2025/26.")
    published_at = models.DateTimeField()
    published_by = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=200, blank=True)
    payload = models.JSONField(default=dict, help_text="What was frozen, in counts.")

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Map for {financial_year_label(self.year)}, published {self.published_at:%d %B %Y}"


class DataLoad(models.Model):
    """A record of each reference-data load, so a repeat with the same files is skipped."""

    fingerprint = models.CharField(max_length=64)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"Data load {self.started_at:%Y-%m-%d %H:%M}"
