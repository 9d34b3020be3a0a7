from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.accounts.models import Role

MASKED_API_KEY = "********"


class UserSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField(allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices)
    api_key = serializers.SerializerMethodField()
    inserted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_api_key(self, user) -> str:
        # Keys are stored hashed; only /me echoes the caller's own key (from the request).
        return self.context.get("api_key") or MASKED_API_KEY

    def to_representation(self, user):
        data = super().to_representation(user)
        data["first_name"] = user.first_name or user.username
        data["last_name"] = user.last_name or None
        return data


class LegacyUserSerializer(UserSerializer):
    full_name = serializers.SerializerMethodField()
    workspaces = serializers.SerializerMethodField()

    def get_full_name(self, user) -> str:
        return user.get_full_name() or user.username

    def get_workspaces(self, user) -> list[str]:
        from apps.workspaces.access import workspaces_for

        return list(workspaces_for(user).values_list("name", flat=True))


@extend_schema_field({"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$", "maxLength": 150})
class UsernameIn(serializers.CharField):
    """Documents `services.USERNAME_RE`, which `services.create_user` checks."""


class UserCreateSerializer(serializers.Serializer):
    username = UsernameIn(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.ANNOTATOR)
    first_name = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    last_name = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    password = serializers.CharField(min_length=8, max_length=100, write_only=True)
    workspaces = serializers.ListField(child=serializers.CharField(), required=False)


class UserUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(allow_blank=True, required=False)
    last_name = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    password = serializers.CharField(min_length=8, max_length=100, required=False)


class UserDeleteQuery(serializers.Serializer):
    hard = serializers.BooleanField(
        default=False,
        help_text=_(
            "Delete the user and their answers for good (records are recounted). Without it, "
            "the user is deactivated: no more sign-in or API keys, their answers stay."
        ),
    )
