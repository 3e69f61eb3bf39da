"""One row per email: what to send, to whom, about what, and how its delivery went."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class OutboundEmail(models.Model):
    """Every email the site sends: recorded before it is sent, sent at most once."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(
        max_length=200, unique=True, help_text="One per message: the same key is never sent twice."
    )
    kind = models.CharField(max_length=50)
    to = models.EmailField()
    template = models.CharField(max_length=200)
    context = models.JSONField(default=dict, blank=True)
    # The object the email concerns (a questionnaire, a tracker, a request), if any.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    group = models.CharField(
        max_length=100,
        blank=True,
        help_text="The batch the email belongs to, such as a refresh cycle's emails.",
    )
    subject = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the last attempt failed.")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last attempt to send it began."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["group"]),
        ]
        verbose_name = "email"

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.get_status_display().lower()})"
