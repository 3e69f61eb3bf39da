"""Councils, the public bodies they share with, partnerships and their savings."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse


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
    PLANNED = "planned", "Planned"
    OPERATIONAL = "operational", "Operational"
    ENDED = "ended", "Ended"


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
        return reverse("partnerships:partnership-detail", args=[self.slug])

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The end year cannot be before the start year."})
        if self.no_savings_reason == NoSavingsReason.OTHER and not self.no_savings_reason_other:
            raise ValidationError({"no_savings_reason_other": "Say what the other reason is."})

    @property
    def source_links(self) -> list[str]:
        return [part.strip() for part in self.source.split(" ; ") if part.strip()]

    @property
    def partner_sectors(self) -> list[str]:
        """Sectors of the non-council members, in the order of Sector."""
        present = {body.sector for body in self.public_bodies.all()}
        return [label for value, label in Sector.choices if value in present]

    # Savings totals are derived from the records, never typed twice. They read
    # `savings_records.all()` so that a prefetch serves them without queries.
    def _records(self, kind: str) -> list["SavingsRecord"]:
        return [r for r in self.savings_records.all() if r.kind == kind]

    @property
    def achieved_savings_total(self) -> Decimal | None:
        records = self._records(SavingsKind.ACHIEVED)
        return sum((r.amount for r in records), Decimal("0")) if records else None

    @property
    def expected_savings_total(self) -> Decimal | None:
        records = self._records(SavingsKind.EXPECTED)
        return sum((r.amount for r in records), Decimal("0")) if records else None

    @property
    def latest_achieved_record(self) -> "SavingsRecord | None":
        records = self._records(SavingsKind.ACHIEVED)
        return max(records, key=lambda r: (r.end_year, r.start_year)) if records else None


class PartnershipCouncil(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="council_memberships"
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="memberships")
    is_lead = models.BooleanField("lead or host", default=False)

    class Meta:
        ordering = ["-is_lead", "council__short_name"]
        verbose_name = "member council"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "council"], name="partnership_council_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} in {self.partnership}"


class PartnershipPublicBody(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="body_memberships"
    )
    public_body = models.ForeignKey(
        PublicBody, on_delete=models.PROTECT, related_name="memberships"
    )
    is_lead = models.BooleanField("lead or host", default=False)

    class Meta:
        ordering = ["-is_lead", "public_body__name"]
        verbose_name = "member public body"
        verbose_name_plural = "member public bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "public_body"], name="partnership_body_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.public_body} in {self.partnership}"


class SavingsKind(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    EXPECTED = "expected", "Expected"


class Recurrence(models.TextChoices):
    RECURRING = "recurring", "Recurring"
    ONE_OFF = "one_off", "One-off"
    UNKNOWN = "unknown", "Not known"


class SavingsRecord(models.Model):
    """One savings figure of one partnership over one or more financial years.

    Financial years are stored by the calendar year they start in: 2018 is 2018/19.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="savings_records"
    )
    start_year = models.PositiveSmallIntegerField(
        "first financial year", help_text="The year it starts in: 2018 for 2018/19."
    )
    end_year = models.PositiveSmallIntegerField(
        "last financial year", help_text="Same as the first for a one-year figure."
    )
    amount = models.DecimalField(
        "amount (£)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    kind = models.CharField(max_length=10, choices=SavingsKind.choices)
    cashable = models.BooleanField(null=True, blank=True, help_text="Blank if not known.")
    recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.UNKNOWN
    )
    wording = models.TextField(blank=True, help_text="The figure as the source reported it.")
    source = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["start_year", "end_year", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="savings_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="savings_years_in_order",
            ),
            models.UniqueConstraint(
                fields=["partnership", "start_year", "end_year", "kind"],
                name="savings_one_figure_per_year_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount:,.2f} {self.get_kind_display().lower()}, {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.start_year == self.end_year:
            return financial_year_label(self.start_year)
        return f"{financial_year_label(self.start_year)} to {financial_year_label(self.end_year)}"

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def clean(self) -> None:
        if self.start_year is not None and self.end_year is not None:
            if self.end_year < self.start_year:
                raise ValidationError(
                    {"end_year": "The last financial year cannot be before the first."}
                )
            if self.partnership_id:
                overlapping = SavingsRecord.objects.filter(
                    partnership_id=self.partnership_id,
                    kind=self.kind,
                    start_year__lte=self.end_year,
                    end_year__gte=self.start_year,
                ).exclude(pk=self.pk)
                if overlapping.exists():
                    other = overlapping.first()
                    raise ValidationError(
                        f"This partnership already has an {self.get_kind_display().lower()} "
                        f"figure covering {other.period_label}; two figures of one kind "
                        "cannot cover the same year."
                    )


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
