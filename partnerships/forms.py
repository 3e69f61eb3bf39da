"""Form plumbing for the public filters (`partnerships.filters.PartnershipFilter` builds
its form on `FilterForm`). They are GET forms: a bad value in the address gives a
message beside the field, never an error page."""

from django import forms


class FilterForm(forms.Form):
    """A GET filter form whose fields in error point at their messages (WCAG 3.3.1)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described_by = [f"{bound.auto_id}-error"]
                if bound.help_text:
                    described_by.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described_by)
