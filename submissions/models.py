"""The annual refresh: cycles, council contacts, questionnaires and their secure links,
and the review queue of proposed changes. (The history of published data is
django-simple-history's; what people do to a questionnaire is in core.activity.)"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from core.activity.models import ActivityEntry
from partnerships.models import (
    Council,
    NoSavingsReason,
    Partnership,
    PartnershipStatus,
    PublicBody,
    Recurrence,
    SavingsKind,
    ServiceCategory,
    financial_year_label,
)

DUPLICATE_EMAIL_MESSAGE = (
    "This council already has a contact with this email address (in upper or lower case)."
)


class CouncilContact(models.Model):
    """Someone at a council who answers the refresh. Private to staff."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    role = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True, help_text="Untick to stop sending them email.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council__short_name", "name"]
        constraints = [
            # One mailbox, one contact: "Ann@Adur.gov.uk" and "ann@adur.gov.uk" are the
            # same person, who would otherwise get every email twice.
            models.UniqueConstraint(
                Lower("email"),
                "council",
                name="contact_one_email_per_council",
                violation_error_message=DUPLICATE_EMAIL_MESSAGE,
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.council.short_name})"

    def clean(self) -> None:
        # Said beside the field (the constraint alone would say it above the form); the
        # constraint is then skipped, as Django skips those on fields already in error.
        if self.email and self.council_id:
            others = CouncilContact.objects.filter(
                council_id=self.council_id, email__iexact=self.email
            ).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"email": DUPLICATE_EMAIL_MESSAGE})


def _default_deadline() -> datetime.date:
    today = datetime.date.today()
    year = today.year + (1 if today > datetime.date(today.year, 4, 15) else 0)
    return datetime.date(year, 4, 15)


class RefreshCycle(models.Model):
    """One year's refresh of the map."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    financial_year = models.PositiveSmallIntegerField(
        unique=True,
        help_text="The financial year whose figures are collected: 2025 for 2025/26.",
    )
    opens_on = models.DateField(default=datetime.date.today)
    deadline = models.DateField(default=_default_deadline, help_text="Mid-April by custom.")
    reminder_days = models.CharField(
        "reminders (days before the deadline)",
        max_length=100,
        default="21,7,1",
        help_text="Comma-separated, for example 21,7,1.",
    )
    chaser_days = models.CharField(
        "chasers (days after the deadline)",
        max_length=100,
        default="3",
        help_text="Comma-separated, for example 3 or 3,10.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Its status moves (submissions.workflow), kept in core.activity; deleted with it.
    activity = GenericRelation(ActivityEntry)

    class Meta:
        ordering = ["-financial_year"]

    def __str__(self) -> str:
        return f"Refresh {self.year_label}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @staticmethod
    def _days(text: str) -> list[int]:
        return sorted({int(part) for part in text.replace(" ", "").split(",") if part})

    @property
    def reminder_offsets(self) -> list[int]:
        return sorted(self._days(self.reminder_days), reverse=True)

    @property
    def chaser_offsets(self) -> list[int]:
        return self._days(self.chaser_days)

    def clean(self) -> None:
        errors = {}
        for field in ("reminder_days", "chaser_days"):
            try:
                days = self._days(getattr(self, field))
            except ValueError:
                errors[field] = "Give whole numbers of days separated by commas, like 21,7,1."
                continue
            if any(day < 0 or day > 365 for day in days):
                errors[field] = "Each number of days must be between 0 and 365."
        if self.opens_on and self.deadline and self.deadline < self.opens_on:
            errors["deadline"] = "The deadline must be on or after the opening date."
        if errors:
            raise ValidationError(errors)


class Questionnaire(models.Model):
    """One council's questionnaire in one cycle."""

    class Status(models.TextChoices):
        NOT_OPENED = "not_opened", "Not opened"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Reviewed"

    class Method(models.TextChoices):
        ONLINE = "online", "Online, by the council"
        PHONE = "phone", "By phone, confirmed by staff"
        EMAIL = "email", "By email, entered by staff"

    cycle = models.ForeignKey(RefreshCycle, on_delete=models.CASCADE, related_name="questionnaires")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="questionnaires")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_OPENED)
    # Raised on every save of the questionnaire or one of its items: a save that was
    # based on an older version is told what changed instead of overwriting it.
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by_name = models.CharField(max_length=200, blank=True)
    submitted_by_email = models.EmailField(blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.ONLINE)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member of staff who filled it in or confirmed it for the council.",
    )
    confirmed_with = models.CharField(
        max_length=200, blank=True, help_text="Who at the council confirmed it."
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Who did what to it and when (QuestionnaireVerb); deleted with it.
    activity = GenericRelation(ActivityEntry)

    class Meta:
        ordering = ["cycle", "council__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "council"], name="questionnaire_one_per_council_and_cycle"
            )
        ]
        permissions = [
            ("confirm_questionnaire", "Can confirm a questionnaire on a council's behalf"),
        ]

    def __str__(self) -> str:
        return f"{self.council.short_name}, {self.cycle}"


class QuestionnaireLink(models.Model):
    """A secure link to one questionnaire (core.secret_links): only the token's digest and
    the salt it is derived from are stored; the token itself travels in the emails, which
    rebuild it when they are sent. Forwarding the link is allowed."""

    SECRET_LINK_PURPOSE = "questionnaire"
    SECRET_LINK_LIVE = {"revoked_at__isnull": True}

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="links")
    token_digest = models.CharField(max_length=64, unique=True)
    token_salt = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"Link to {self.questionnaire} ({state})"


class QuestionnaireItem(models.Model):
    """One partnership in a questionnaire: pre-filled from the published partnership,
    or a new collaboration the council adds."""

    class Answer(models.TextChoices):
        UNANSWERED = "unanswered", "Not answered yet"
        UNCHANGED = "unchanged", "Confirmed unchanged"
        UPDATED = "updated", "Updated"
        ENDED = "ended", "Has ended"
        NEW = "new", "New collaboration"

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaire_items",
        help_text="Empty for a new collaboration.",
    )
    answer = models.CharField(max_length=12, choices=Answer.choices, default=Answer.UNANSWERED)
    # The published values when the questionnaire was made, to show and to diff against.
    prefilled = models.JSONField(default=dict, blank=True)
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=PartnershipStatus.choices, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    categories = models.ManyToManyField(ServiceCategory, blank=True, related_name="+")
    councils = models.ManyToManyField(Council, blank=True, related_name="+")
    public_bodies = models.ManyToManyField(PublicBody, blank=True, related_name="+")
    other_partners = models.TextField(
        blank=True, help_text="Partners not in the lists, one per line."
    )
    savings_amount = models.DecimalField(
        "savings (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    savings_kind = models.CharField(max_length=10, choices=SavingsKind.choices, blank=True)
    savings_cashable = models.BooleanField(null=True, blank=True)
    savings_recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.UNKNOWN
    )
    no_savings_reason = models.CharField(max_length=20, choices=NoSavingsReason.choices, blank=True)
    no_savings_reason_other = models.CharField(max_length=300, blank=True)
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["questionnaire", "partnership__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "partnership"],
                condition=Q(partnership__isnull=False),
                name="questionnaire_item_one_per_partnership",
            )
        ]

    def __str__(self) -> str:
        return self.name or (self.partnership.name if self.partnership_id else "New collaboration")

    @property
    def done(self) -> bool:
        return self.answer != self.Answer.UNANSWERED


class ProposedChange(models.Model):
    """A change to published data waiting for staff: from a questionnaire, the public
    proposal form, the Expert Programme or a benefits tracker. Nothing reaches the
    public map before a member of staff accepts it."""

    class Kind(models.TextChoices):
        PARTNERSHIP_UPDATE = "partnership_update", "Update a partnership"
        PARTNERSHIP_NEW = "partnership_new", "New partnership"
        PARTNERSHIP_END = "partnership_end", "Partnership has ended"
        SAVINGS_RECORD = "savings_record", "Savings figure"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        # Kept for audit, out of the queue, nobody told (a public proposal only).
        SPAM = "spam", "Spam"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposed_changes",
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposed_changes",
    )
    item = models.ForeignKey(
        QuestionnaireItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_changes",
    )
    proposed = models.JSONField(default=dict)
    source = models.CharField(max_length=200)
    submitted_by_name = models.CharField(max_length=200, blank=True)
    submitted_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Its decision (submissions.workflow), kept in core.activity; deleted with it.
    activity = GenericRelation(ActivityEntry)

    class Meta:
        ordering = ["status", "created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        target = self.partnership.name if self.partnership_id else self.proposed.get("name", "")
        return f"{self.get_kind_display()}: {target}"


class QuestionnaireVerb(models.TextChoices):
    """What people do to a questionnaire, as kept in its activity log (core.activity):
    the council's own audit trail. The history of published data is simple-history's."""

    OPENED = "opened", "Opened"
    ITEM_SAVED = "item_saved", "Saved a partnership"
    ITEM_ADDED = "item_added", "Added a new collaboration"
    ITEM_REMOVED = "item_removed", "Removed a new collaboration"
    SUBMITTED = "submitted", "Submitted"
    CONFIRMED = "confirmed", "Confirmed by staff on the council's behalf"
