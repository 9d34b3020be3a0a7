"""OpenAPI shapes of the records search (POST /datasets/{id}/records/search, §3)."""

from rest_framework import serializers

from apps.records.api.schema.records import RecordOut

# ------------------------------------------------------------------------------ output


class SearchHitOut(serializers.Serializer):
    record = RecordOut()
    query_score = serializers.FloatField(
        allow_null=True,
        help_text="Text relevance or vector similarity; null without a text or vector query.",
    )


class SearchOut(serializers.Serializer):
    items = SearchHitOut(many=True)
    total = serializers.IntegerField(
        help_text="Matching records (for a similarity query: the hits ranked, at most 1000)."
    )


# ------------------------------------------------------------------------------- input


class SearchScopeIn(serializers.Serializer):
    entity = serializers.ChoiceField(choices=["record", "metadata", "suggestion", "response"])
    property = serializers.CharField(
        required=False,
        allow_null=True,
        help_text=(
            "record: id, external_id, inserted_at, updated_at or status; suggestion: value "
            "(null), agent, score or type; response: status (with question null) or null."
        ),
    )
    metadata_property = serializers.CharField(
        required=False, allow_null=True, help_text="entity metadata: the property name."
    )
    question = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="entity suggestion or response: the question name.",
    )


class SearchFilterIn(serializers.Serializer):
    type = serializers.ChoiceField(choices=["terms", "range"])
    scope = SearchScopeIn()
    values = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        min_length=1,
        max_length=250,
        help_text="terms: match any of these.",
    )
    ge = serializers.JSONField(
        required=False, allow_null=True, help_text="range: lower bound (number or ISO datetime)."
    )
    le = serializers.JSONField(
        required=False, allow_null=True, help_text="range: upper bound (number or ISO datetime)."
    )


class SearchFiltersIn(serializers.Serializer):
    type = serializers.CharField(required=False, help_text='"and"; ignored.')
    filters = serializers.ListField(child=SearchFilterIn(), min_length=1, max_length=50)

    def get_fields(self):
        fields = super().get_fields()
        fields["and"] = fields.pop("filters")  # a keyword in Python, a key on the wire
        return fields


class TextQueryIn(serializers.Serializer):
    q = serializers.CharField()
    field = serializers.CharField(
        required=False, allow_null=True, help_text="A text field name; null searches all."
    )


class VectorQueryIn(serializers.Serializer):
    name = serializers.CharField(help_text="A vector settings name of the dataset.")
    record_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="Exactly one of record_id and value."
    )
    value = serializers.ListField(child=serializers.FloatField(), required=False, allow_null=True)
    order = serializers.ChoiceField(
        choices=["most_similar", "least_similar"], required=False, default="most_similar"
    )


class SearchQueryIn(serializers.Serializer):
    text = TextQueryIn(required=False, allow_null=True)
    vector = VectorQueryIn(required=False, allow_null=True)


class SearchSortIn(serializers.Serializer):
    scope = SearchScopeIn(help_text="A record property or a metadata property.")
    order = serializers.ChoiceField(choices=["asc", "desc"], required=False, default="asc")


class SearchIn(serializers.Serializer):
    query = SearchQueryIn(required=False, allow_null=True)
    filters = SearchFiltersIn(required=False, allow_null=True)
    sort = serializers.ListField(
        child=SearchSortIn(),
        required=False,
        allow_null=True,
        min_length=1,
        max_length=10,
        help_text="Default: inserted_at ascending.",
    )
