"""The history of published data in words: names, labels and amounts, never raw ids or
codes ("Status: Operational → Ended", "Amount (£): £10,000.00 → £12,000.00").

The records themselves are django-simple-history's; this reads them for people, in the
admin's history pages and anywhere a change is shown.
"""

from decimal import Decimal

from django.db import models
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from core.money import money_exact
from partnerships.models import financial_year_label

# Year fields that hold a financial year by its start year.
FINANCIAL_YEAR_FIELDS = {"start_year", "end_year"}
NONE = "(none)"


def value_in_words(model, field_name: str, value) -> str:
    """One field's value as a person reads it."""
    field = model._meta.get_field(field_name)
    if value is None or value == "":
        return NONE
    if isinstance(value, list):  # many-to-many: the related objects or their rows
        names = [str(v) for v in value]
        return ", ".join(sorted(names)) if names else NONE
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(field, models.DecimalField) or isinstance(value, Decimal):
        return money_exact(value)
    if field_name in FINANCIAL_YEAR_FIELDS and model._meta.model_name == "savingsrecord":
        return financial_year_label(int(value))
    if isinstance(field, models.ForeignKey) and not isinstance(value, models.Model):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"(deleted, was {value})"
    return str(value)


_READ_IT = object()


def change_in_words(record, previous=_READ_IT) -> list[str]:
    """What one history record changed, one line per field, against the record before
    it ("Created" or "Deleted" for those). A caller that read the records before several
    records at once (`previous_records`) passes each one's, saving a query per record."""
    if record.history_type == "+":
        return [f"Created: {record.instance}"]
    if record.history_type == "-":
        return [f"Deleted: {record.instance}"]
    if previous is _READ_IT:
        previous = record.prev_record
    if previous is None:
        return []
    delta = record.diff_against(previous, foreign_keys_are_objs=True)
    model = record.instance_type
    lines = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        old, new = change.old, change.new
        if isinstance(field, models.ManyToManyField):
            name = get_m2m_reverse_field_name(field)
            old, new = [row[name] for row in old], [row[name] for row in new]
            added = sorted({str(o) for o in new} - {str(o) for o in old})
            removed = sorted({str(o) for o in old} - {str(o) for o in new})
            parts = [f"added {', '.join(added)}"] if added else []
            parts += [f"removed {', '.join(removed)}"] if removed else []
            lines.append(f"{str(field.verbose_name).capitalize()}: {'; '.join(parts)}")
            continue
        lines.append(
            f"{str(field.verbose_name).capitalize()}: "
            f"{value_in_words(model, change.field, old)} → "
            f"{value_in_words(model, change.field, new)}"
        )
    return lines


def previous_records(model, records) -> dict[int, object]:
    """The record before each of these history records of `model` (by history id; None
    for the first of its row), read in one query."""
    if not records:
        return {}
    pk = model._meta.pk.attname
    rows = {getattr(r, pk) for r in records}
    earlier: dict = {}
    for row in model.history.filter(**{f"{pk}__in": rows}).order_by(
        pk, "history_date", "history_id"
    ):
        earlier.setdefault(getattr(row, pk), []).append(row)
    previous = {}
    for record in records:
        line = earlier.get(getattr(record, pk), [])
        before = [
            r
            for r in line
            if (r.history_date, r.history_id) < (record.history_date, record.history_id)
        ]
        previous[record.history_id] = before[-1] if before else None
    return previous


class HistoryInWords(HistoricalRecordContextHelper):
    """The admin history page's changes column, in words."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            value = super().prepare_delta_change_value(change, value)
        return value_in_words(self.model, change.field, value)


class HistoryInWordsMixin:
    """For a SimpleHistoryAdmin: its history page shows changes in words."""

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryInWords(self.model, historical_record)
