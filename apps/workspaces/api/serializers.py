from rest_framework import serializers


class WorkspaceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    inserted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WorkspaceCreateSerializer(serializers.Serializer):
    name = serializers.CharField()


class MemberCreateSerializer(serializers.Serializer):
    user_id = serializers.UUIDField()
