"""What the API shows: published facts only. Fields are listed one by one, never
`__all__`, so a partnership's contact name, email and phone can never appear."""

from rest_framework import serializers
from rest_framework.reverse import reverse

from partnerships.models import (
    Council,
    Partnership,
    PublicBody,
    Region,
    SavingsRecord,
    Sector,
    ServiceCategory,
)


class PublicPageField(serializers.ReadOnlyField):
    """The absolute address of the object's page on the site."""

    def __init__(self, **kwargs):
        super().__init__(source="get_absolute_url", **kwargs)

    def to_representation(self, value):
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request else value


def _amount_field(**kwargs) -> serializers.DecimalField:
    # Exact amounts in pounds, as decimal strings ("16000000.00").
    return serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, **kwargs)


class RegionSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(read_only=True, help_text="The value the `region` filters take.")
    council_count = serializers.IntegerField(read_only=True, help_text="Current councils.")

    class Meta:
        model = Region
        fields = ["gss_code", "name", "slug", "council_count"]


class RegionRefSerializer(RegionSerializer):
    class Meta(RegionSerializer.Meta):
        fields = ["gss_code", "name", "slug"]


class CategorySerializer(serializers.ModelSerializer):
    published_partnership_count = serializers.IntegerField(read_only=True)
    partnerships = serializers.SerializerMethodField(
        help_text="The published partnerships that share this service."
    )

    class Meta:
        model = ServiceCategory
        fields = ["slug", "name", "position", "published_partnership_count", "partnerships"]

    def get_partnerships(self, category: ServiceCategory) -> str:
        url = reverse("api:partnership-list", request=self.context.get("request"))
        return f"{url}?category={category.slug}"


class PublicBodySerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True, allow_null=True, help_text="ONS code, if any.")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    sector_label = serializers.CharField(source="get_sector_display", read_only=True)
    published_partnership_count = serializers.IntegerField(read_only=True)
    api_url = serializers.SerializerMethodField()
    boundary_url = serializers.SerializerMethodField(
        help_text="Its area as a GeoJSON Feature; null if it has none on record."
    )

    class Meta:
        model = PublicBody
        fields = [
            "code",
            "name",
            "kind",
            "kind_label",
            "sector",
            "sector_label",
            "website",
            "published_partnership_count",
            "api_url",
            "boundary_url",
        ]

    @staticmethod
    def lookup(body: PublicBody) -> str:
        """Bodies are addressed by ONS code, or by number if they have none."""
        return body.code or str(body.pk)

    def get_api_url(self, body: PublicBody) -> str:
        request = self.context.get("request")
        return reverse("api:public-body-detail", args=[self.lookup(body)], request=request)

    def get_boundary_url(self, body: PublicBody) -> str | None:
        if not body.has_boundary:
            return None
        request = self.context.get("request")
        return reverse("api:public-body-boundary", args=[self.lookup(body)], request=request)


class CoveringBodiesSerializer(serializers.Serializer):
    """The ONS codes of the areas a council lies in (null where not known)."""

    fire_rescue_authority = serializers.CharField(
        source="fire_rescue_authority.code", default=None, allow_null=True
    )
    police_force_area = serializers.CharField(
        source="police_force_area.code", default=None, allow_null=True
    )
    integrated_care_board = serializers.CharField(
        source="integrated_care_board.code", default=None, allow_null=True
    )
    combined_authority = serializers.CharField(
        source="combined_authority.code", default=None, allow_null=True
    )


class CouncilSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="council_type", read_only=True)
    type_label = serializers.CharField(source="get_council_type_display", read_only=True)
    alt_names = serializers.SerializerMethodField(help_text="Other names it is known by.")
    region = RegionRefSerializer(read_only=True, allow_null=True)
    county = serializers.SlugRelatedField(slug_field="gss_code", read_only=True, allow_null=True)
    replaced_by = serializers.SlugRelatedField(slug_field="gss_code", many=True, read_only=True)
    neighbours = serializers.SlugRelatedField(slug_field="gss_code", many=True, read_only=True)
    covering_bodies = CoveringBodiesSerializer(source="*", read_only=True)
    published_partnership_count = serializers.IntegerField(
        read_only=True,
        help_text="Partnerships it counts now, as the map counts them; 0 for a former "
        "council, whose memberships count for its successors.",
    )
    url = PublicPageField()
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:council-detail", lookup_field="gss_code"
    )
    boundary_url = serializers.HyperlinkedIdentityField(
        view_name="api:council-boundary", lookup_field="gss_code"
    )

    class Meta:
        model = Council
        fields = [
            "gss_code",
            "register_code",
            "official_name",
            "short_name",
            "alt_names",
            "type",
            "type_label",
            "region",
            "population",
            "area_km2",
            "latitude",
            "longitude",
            "current",
            "start_date",
            "end_date",
            "county",
            "replaced_by",
            "neighbours",
            "covering_bodies",
            "published_partnership_count",
            "url",
            "api_url",
            "boundary_url",
        ]

    def get_alt_names(self, council: Council) -> list[str]:
        return [name.strip() for name in council.alt_names.splitlines() if name.strip()]


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceCategory
        fields = ["slug", "name"]


class MemberCouncilSerializer(serializers.Serializer):
    gss_code = serializers.CharField(source="council.gss_code")
    name = serializers.CharField(source="council.short_name")
    official_name = serializers.CharField(source="council.official_name")
    current = serializers.BooleanField(source="council.current")
    is_lead = serializers.BooleanField(help_text="The lead or host council.")
    joined_year = serializers.IntegerField(
        allow_null=True, help_text="Null for a founding member or where no source says."
    )
    left_year = serializers.IntegerField(allow_null=True, help_text="Null while a member.")


class MemberBodySerializer(serializers.Serializer):
    code = serializers.CharField(source="public_body.code", allow_null=True)
    name = serializers.CharField(source="public_body.name")
    kind = serializers.CharField(source="public_body.kind")
    sector = serializers.CharField(source="public_body.sector")
    is_lead = serializers.BooleanField(help_text="The lead or host body.")
    joined_year = serializers.IntegerField(allow_null=True)
    left_year = serializers.IntegerField(allow_null=True)


class SavingsFigureSerializer(serializers.ModelSerializer):
    """One savings figure, as part of a partnership."""

    period = serializers.CharField(
        source="period_label",
        read_only=True,
        help_text='Financial years, e.g. "2018/19"; "no period given" if the source gave none.',
    )
    amount = _amount_field(help_text="Pounds.")
    per_year = serializers.BooleanField(
        allow_null=True,
        read_only=True,
        help_text="True: a rate for each year of the period; false: one total over it.",
    )
    origin_label = serializers.CharField(read_only=True)
    evidence_label = serializers.CharField(source="get_evidence_display", read_only=True)

    class Meta:
        model = SavingsRecord
        fields = [
            "start_year",
            "end_year",
            "period",
            "amount",
            "per_year",
            "kind",
            "cashable",
            "recurrence",
            "origin",
            "origin_label",
            "evidence",
            "evidence_label",
            "reported_on",
            "wording",
            "source_url",
            "source",
        ]


class PartnershipSerializer(serializers.ModelSerializer):
    categories = CategoryRefSerializer(many=True, read_only=True)
    status = serializers.SerializerMethodField(
        help_text="Null where the sources do not establish it (shown as status not confirmed)."
    )
    status_label = serializers.SerializerMethodField()
    counted_now = serializers.BooleanField(
        source="is_current",
        read_only=True,
        help_text="Counted by default (operational, or status not confirmed); ended and "
        "proposed partnerships are listed only when `status` asks for them.",
    )
    councils = MemberCouncilSerializer(source="council_memberships", many=True, read_only=True)
    public_bodies = MemberBodySerializer(source="body_memberships", many=True, read_only=True)
    partner_sectors = serializers.SerializerMethodField(
        help_text="Sectors of the member public bodies."
    )
    source_links = serializers.ListField(child=serializers.CharField(), read_only=True)
    achieved_savings_total = _amount_field(
        allow_null=True,
        help_text="Achieved savings as the ledger counts them (one figure per financial "
        "year; overlapping figures never added); null if there are none.",
    )
    expected_savings_total = _amount_field(
        allow_null=True,
        help_text="Expected savings counted the same way; never added to achieved.",
    )
    latest_achieved = SavingsFigureSerializer(
        source="latest_achieved_record", read_only=True, allow_null=True
    )
    no_savings_reason = serializers.SerializerMethodField(
        help_text="Why there is no savings figure, if one is given."
    )
    no_savings_reason_label = serializers.SerializerMethodField()
    slug = serializers.CharField(source="live_slug", read_only=True)
    url = PublicPageField()
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:partnership-detail", lookup_field="live_slug", lookup_url_kwarg="slug"
    )

    class Meta:
        model = Partnership
        fields = [
            "slug",
            "name",
            "description",
            "categories",
            "status",
            "status_label",
            "counted_now",
            "start_year",
            "end_year",
            "councils",
            "public_bodies",
            "partner_sectors",
            "website",
            "source_links",
            "reported_savings",
            "achieved_savings_total",
            "expected_savings_total",
            "latest_achieved",
            "no_savings_reason",
            "no_savings_reason_label",
            "no_savings_reason_other",
            "url",
            "api_url",
        ]

    def get_status(self, partnership: Partnership) -> str | None:
        return partnership.status or None

    def get_status_label(self, partnership: Partnership) -> str:
        return partnership.status_label

    def get_partner_sectors(self, partnership: Partnership) -> list[str]:
        present = {m.public_body.sector for m in partnership.body_memberships.all()}
        return [value for value in Sector.values if value in present]

    def get_no_savings_reason(self, partnership: Partnership) -> str | None:
        return partnership.no_savings_reason or None

    def get_no_savings_reason_label(self, partnership: Partnership) -> str | None:
        if not partnership.no_savings_reason:
            return None
        return partnership.get_no_savings_reason_display()


class PartnershipDetailSerializer(PartnershipSerializer):
    savings_records = SavingsFigureSerializer(many=True, read_only=True)

    class Meta(PartnershipSerializer.Meta):
        fields = [*PartnershipSerializer.Meta.fields, "savings_records"]


class SavingsRecordSerializer(SavingsFigureSerializer):
    """One savings figure, with the partnership it belongs to."""

    partnership = serializers.SlugRelatedField(slug_field="live_slug", read_only=True)
    partnership_name = serializers.CharField(source="partnership.name", read_only=True)
    partnership_api_url = serializers.HyperlinkedRelatedField(
        source="partnership",
        view_name="api:partnership-detail",
        lookup_field="live_slug",
        lookup_url_kwarg="slug",
        read_only=True,
    )

    class Meta(SavingsFigureSerializer.Meta):
        fields = [
            "partnership",
            "partnership_name",
            "partnership_api_url",
            *SavingsFigureSerializer.Meta.fields,
        ]
