"""One entry in a workflow's activity log (see the package's docstring)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class ActivityEntry(models.Model):
    """Who did what to which object, and when. `actor` names people without an account
    ("Applicant at Adur", a council officer by name); `detail` keeps what a program may
    need later (the statuses of a move, an item's id) and a `note` shown beside it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    verb = models.CharField(max_length=50, help_text="What happened, as a code.")
    description = models.CharField("what", max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.CharField("by", max_length=200, blank=True)
    detail = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    at = models.DateTimeField("when", default=timezone.now, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        verbose_name = "activity entry"
        verbose_name_plural = "activity"

    def __str__(self) -> str:
        return self.description

    @property
    def note(self) -> str:
        """The free text kept with the entry (a reason, a council's name), if any."""
        detail = self.detail if isinstance(self.detail, dict) else {}
        return str(detail.get("note") or "")
