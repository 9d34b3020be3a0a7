from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class WorkspaceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    inserted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


@extend_schema_field({"type": "string", "pattern": "^[a-zA-Z0-9_-]+$", "maxLength": 200})
class WorkspaceNameIn(serializers.CharField):
    """Documents `workspace_name_validator`; `services.create_workspace` checks it."""


class WorkspaceCreateSerializer(serializers.Serializer):
    name = WorkspaceNameIn()


class MemberCreateSerializer(serializers.Serializer):
    user_id = serializers.UUIDField()
