from rest_framework import serializers

from apps.webhooks.models import Event


class WebhookSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices))
    enabled = serializers.BooleanField()
    description = serializers.CharField(allow_null=True)
    secret = serializers.CharField()
    inserted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WebhookListSerializer(serializers.Serializer):
    items = WebhookSerializer(many=True)


class WebhookCreateSerializer(serializers.Serializer):
    """The body's shape for the schema; the service validates the values (422 by field)."""

    url = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=Event.choices))
    description = serializers.CharField(required=False, allow_null=True)


class WebhookUpdateSerializer(serializers.Serializer):
    url = serializers.CharField(required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Event.choices), required=False
    )
    enabled = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_null=True)
