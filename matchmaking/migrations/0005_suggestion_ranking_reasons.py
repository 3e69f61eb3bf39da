"""Shortlisted councils keep the ranking's reasons as data, and their `reasons` become
the plain words councils read. Suggestions shortlisted before this kept the staff text
("Neighbouring council (shares a boundary) (+45); …"), which reached the requester's
page and the introduction emails: it is read back into reasons and rewritten in plain
words. Text staff typed themselves is left as it is."""

import re

from django.db import migrations, models

# The labels the ranking wrote, as they were when this migration was made.
LABELS = {
    "Also asking to share the same service": "mutual_request",
    "Neighbouring council (shares a boundary)": "neighbour",
    "Already shares this service with others (experience to join)": "shares_service",
    "In the same county": "same_county",
    "A kind of council the requester would consider": "compatible_type",
    "In the same region": "same_region",
    "Similar population (within half again)": "similar_population",
}
REASON = re.compile("(" + "|".join(re.escape(label) for label in LABELS) + r") \(\+\d+\)(?:: )?")


def reasons_parse(text: str, suggestion) -> list[dict] | None:
    """The ranking's text back as [{"code", "params"}], or None if it is not one."""
    found = list(REASON.finditer(text))
    if not found or found[0].start() != 0:
        return None
    reasons = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        detail = text[match.end() : end].removesuffix("; ").strip()
        code = LABELS[match.group(1)]
        params = {}
        if code == "mutual_request":
            params = {"services": detail.split(", ") if detail else []}
        elif code == "shares_service":
            services = sorted(c.name for c in suggestion.match_request.categories.all())
            params = {"partnerships": detail.split("; ") if detail else [], "services": services}
        elif code == "same_county":
            params = {"county": detail}
        elif code == "compatible_type":
            params = {"council_type": detail, "any": not suggestion.match_request.council_types}
        elif code == "same_region":
            params = {"region": detail}
        elif code == "similar_population":
            digits = detail.replace(",", "")
            params = {"population": int(digits)} if digits.isdigit() else {}
        reasons.append({"code": code, "params": params})
    return reasons


def to_plain_words(apps, schema_editor):
    from matchmaking.ranking import plain_text, reasons_from_data

    MatchSuggestion = apps.get_model("matchmaking", "MatchSuggestion")
    for suggestion in MatchSuggestion.objects.select_related("match_request").filter(
        reasons__contains="(+"
    ):
        data = reasons_parse(suggestion.reasons, suggestion)
        if data is None:
            continue
        suggestion.ranking_reasons = data
        suggestion.reasons = plain_text(reasons_from_data(data))
        suggestion.save(update_fields=["ranking_reasons", "reasons"])


def to_staff_text(apps, schema_editor):
    from matchmaking.ranking import reasons_from_data, staff_text

    MatchSuggestion = apps.get_model("matchmaking", "MatchSuggestion")
    for suggestion in MatchSuggestion.objects.all():
        if not suggestion.ranking_reasons:
            continue
        suggestion.reasons = staff_text(reasons_from_data(suggestion.ranking_reasons))
        suggestion.save(update_fields=["reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("matchmaking", "0004_activity_to_entries"),
    ]

    operations = [
        migrations.AddField(
            model_name="matchsuggestion",
            name="ranking_reasons",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AlterField(
            model_name="matchsuggestion",
            name="reasons",
            field=models.TextField(
                blank=True,
                help_text="Why it was suggested, in plain words: the requester and the "
                "suggested council read this (no points or weights).",
            ),
        ),
        migrations.RunPython(to_plain_words, to_staff_text),
    ]
