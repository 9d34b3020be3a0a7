"""Responses (Argilla /api/v1): any member answers for themselves; annotators touch only
their own responses, owners and admins of the workspace any of them."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ValidationFailed
from apps.records.access import access_record
from apps.records.api import schema as oas
from apps.records.api.render import response_dict
from apps.responses import services
from apps.responses.access import access_response


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise ValidationFailed.single((), _("The body must be an object {values, status}."))
    return request.data


class RecordResponsesView(APIView):
    @extend_schema(
        operation_id="create_record_response",
        description="The caller's response to the record; a second one is a 409.",
        request=oas.ResponseIn,
        responses={201: oas.ResponseOut},
    )
    def post(self, request, record_id):
        record = access_record(request.user, record_id)
        body = _body(request)
        response = services.create_response(
            user=request.user, record=record, values=body.get("values"), status=body.get("status")
        )
        return Response(response_dict(response), status=status.HTTP_201_CREATED)


class ResponseView(APIView):
    @extend_schema(
        operation_id="update_response",
        request=oas.ResponseIn,
        responses={200: oas.ResponseOut},
    )
    def put(self, request, response_id):
        response = access_response(request.user, response_id)
        body = _body(request)
        response = services.update_response(
            response=response, values=body.get("values"), status=body.get("status")
        )
        return Response(response_dict(response))

    @extend_schema(operation_id="delete_response", responses={200: oas.ResponseOut})
    def delete(self, request, response_id):
        response = access_response(request.user, response_id)
        data = response_dict(response)
        services.delete_response(response=response)
        return Response(data)
