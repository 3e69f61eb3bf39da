"""Form plumbing for the public filters (`partnerships.filters.PartnershipFilter` builds
its form on `FilterForm`). They are GET forms: a bad value in the address gives a
message beside the field, never an error page."""

from django import forms


class FilterForm(forms.Form):
    """A GET filter form, drawn by the site's one field template (core.forms): a field in
    error is described by its message, as Django 5.2 does for every field."""


# The council list's orders: the field's value → its words, in the select and in the
# headings' links. The column a value sorts by is its name without the "-".
COUNCIL_ORDERS = {
    "region": "Region, then name",
    "-region": "Region (Z to A), then name",
    "name": "Name (A to Z)",
    "-name": "Name (Z to A)",
    "type": "Type, then name",
    "-type": "Type (Z to A), then name",
    "-partnerships": "Most partnerships first",
    "partnerships": "Fewest partnerships first",
}
COUNCIL_SHOW = {
    "in": "Only councils in at least one of the partnerships",
    "all": "Every council, with those in none",
}


class CouncilListForm(FilterForm):
    """How the council list is ordered (`order`) and whether councils in none of the
    partnerships are listed (`show`): a value it does not know is refused beside the
    field and the list keeps its usual order."""

    order = forms.ChoiceField(
        label="Sort councils by",
        choices=list(COUNCIL_ORDERS.items()),
        required=False,
        error_messages={
            "invalid_choice": "“%(value)s” is not a way to sort councils. Choose one from the list."
        },
    )
    show = forms.ChoiceField(
        label="Councils listed",
        choices=list(COUNCIL_SHOW.items()),
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "“%(value)s” is not a choice of councils to list. Choose one "
            "from the list."
        },
    )

    def __init__(self, data, *, narrowed: bool):
        # The radios show what is in force: with filters, the councils in a matching
        # partnership; without, every council.
        self.default_show = "in" if narrowed else "all"
        data = data.copy()
        for name, default in (("order", "region"), ("show", self.default_show)):
            if not data.get(name):
                data[name] = default
        super().__init__(data)

    def choice(self, name: str, default: str) -> str:
        if self.is_valid() or name not in self.errors:
            return self.cleaned_data.get(name) or default
        return default

    @property
    def order_in_force(self) -> str:
        return self.choice("order", "region")

    @property
    def show_in_force(self) -> str:
        return self.choice("show", self.default_show)
