"""Webhooks under /api/v1 (Argilla 2.x): owners only, as in Argilla."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.api.permissions import IsOwner
from apps.core.errors import ValidationFailed
from apps.webhooks import selectors, services
from apps.webhooks.access import access_webhook
from apps.webhooks.api.serializers import (
    WebhookCreateSerializer,
    WebhookListSerializer,
    WebhookSerializer,
    WebhookUpdateSerializer,
)

# PATCH carries the SDK's whole dump (id, secret, timestamps …): only these are applied.
EDITABLE = ("url", "events", "enabled", "description")


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise ValidationFailed.single((), _("The body must be a JSON object."))
    return request.data


class WebhooksView(GenericAPIView):
    serializer_class = WebhookSerializer
    permission_classes = [IsOwner]

    @extend_schema(responses={200: WebhookListSerializer})
    def get(self, request):
        webhooks = selectors.webhooks_for(request.user)
        return Response({"items": WebhookSerializer(webhooks, many=True).data})

    @extend_schema(request=WebhookCreateSerializer, responses={201: WebhookSerializer})
    def post(self, request):
        body = _body(request)
        if "url" not in body or "events" not in body:
            missing = [name for name in ("url", "events") if name not in body]
            raise ValidationFailed.single((missing[0],), _("This field is required."))
        webhook = services.create_webhook(
            url=body["url"], events=body["events"], description=body.get("description")
        )
        return Response(WebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(GenericAPIView):
    serializer_class = WebhookSerializer
    permission_classes = [IsOwner]

    @extend_schema(request=WebhookUpdateSerializer, responses={200: WebhookSerializer})
    def patch(self, request, webhook_id):
        webhook = access_webhook(request.user, webhook_id)
        changes = {key: value for key, value in _body(request).items() if key in EDITABLE}
        webhook = services.update_webhook(webhook=webhook, **changes)
        return Response(WebhookSerializer(webhook).data)

    @extend_schema(responses={200: WebhookSerializer})
    def delete(self, request, webhook_id):
        webhook = access_webhook(request.user, webhook_id)
        data = WebhookSerializer(webhook).data
        services.delete_webhook(webhook=webhook)
        return Response(data)


class WebhookPingView(GenericAPIView):
    permission_classes = [IsOwner]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, webhook_id):
        services.ping_webhook(webhook=access_webhook(request.user, webhook_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
