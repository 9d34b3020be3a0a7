"""The work queue over the API (a Loam extension): the caller's next record to annotate."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.annotation.queue import next_record
from apps.datasets.access import access_dataset
from apps.records.api.render import Include, render_records

_WITH_SUGGESTIONS_AND_OWN_RESPONSES = Include(responses=True, suggestions=True)


class NextRecordSerializer(serializers.Serializer):
    item = serializers.DictField(
        allow_null=True,
        help_text=(
            "The record, as in GET /api/v1/records/{id}, with its suggestions and the "
            "caller's own response (a draft to resume); null when nothing is left for them."
        ),
    )
    lease_expires_at = serializers.DateTimeField(
        allow_null=True,
        help_text="Until when the record is reserved for the caller (the dataset's lease).",
    )


class NextRecordView(APIView):
    """`GET /api/v1/datasets/{id}/records/next`: the record the caller should annotate next.

    Follows the dataset's assignment rules (their drafts first, then their queue's order)
    and leases the record to them. Asking again before answering gives the same record.
    """

    @extend_schema(
        operation_id="next_record_to_annotate",
        responses={200: NextRecordSerializer},
        summary="Next record to annotate (Loam extension)",
    )
    def get(self, request, dataset_id):
        # Not need="annotate": asking for a draft's next record answers {"item": null} here.
        dataset = access_dataset(request.user, dataset_id)
        record = next_record(dataset=dataset, user=request.user)
        if record is None:
            return Response({"item": None, "lease_expires_at": None})
        [item] = render_records(
            [record],
            _WITH_SUGGESTIONS_AND_OWN_RESPONSES,
            user=request.user,
            dataset=dataset,
            own_only=True,
        )
        return Response({"item": item, "lease_expires_at": record.lease_expires_at})
