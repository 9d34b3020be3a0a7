"""Users and `me` (Argilla /api/v1), plus the legacy /api/me and /api/users of argilla-v1."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.accounts import services
from apps.accounts.access import access_user
from apps.accounts.api.serializers import (
    LegacyUserSerializer,
    UserCreateSerializer,
    UserDeleteQuery,
    UserSerializer,
    UserUpdateSerializer,
)
from apps.accounts.selectors import users_visible_to
from apps.api.permissions import IsOwner, IsOwnerOrAdmin
from apps.datasets.api.serializers import items_of
from apps.workspaces.access import workspaces_for
from apps.workspaces.api.serializers import WorkspaceSerializer

# `{"items": [...]}` shapes for the schema; built once (one class per component name).
UserListSerializer = items_of(UserSerializer)
WorkspaceListSerializer = items_of(WorkspaceSerializer)


def _items(serializer_class, objects, **context):
    return {"items": serializer_class(objects, many=True, context=context).data}


class MeView(GenericAPIView):
    serializer_class = UserSerializer

    def get(self, request):
        return Response(UserSerializer(request.user).data)


class LegacyMeView(GenericAPIView):
    """argilla-v1 reads its own API key back from here; we echo the key it sent."""

    serializer_class = LegacyUserSerializer

    def get(self, request):
        context = {"api_key": getattr(request, "api_key", None)}
        return Response(LegacyUserSerializer(request.user, context=context).data)


def _create_user(request):
    body = UserCreateSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    with transaction.atomic():
        user, _key, _created = services.create_user(
            username=data["username"],
            role=data["role"],
            password=data["password"],
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
            workspaces=data.get("workspaces") or [],
        )
    return user


def _remove_user(request, user_id, serializer_class) -> dict:
    """DELETE of a user deactivates them (they can no longer sign in or use keys; their
    answers stay); `?hard=true` deletes them and their answers for good. Answers the user as
    they were before."""
    query = UserDeleteQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    user = access_user(request.user, user_id)
    data = serializer_class(user).data
    if query.validated_data["hard"]:
        services.delete_user(user=user, actor=request.user)
    else:
        services.deactivate_user(user=user, actor=request.user)
    return data


class UsersView(GenericAPIView):
    serializer_class = UserSerializer

    def get_permissions(self):
        return [IsOwner()] if self.request.method == "POST" else [IsOwnerOrAdmin()]

    @extend_schema(operation_id="list_users", responses={200: UserListSerializer})
    def get(self, request):
        return Response(_items(UserSerializer, users_visible_to(request.user)))

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def post(self, request):
        user = _create_user(request)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class UserDetailView(GenericAPIView):
    serializer_class = UserSerializer

    def get_permissions(self):
        return (
            [IsOwner()] if self.request.method in ("PATCH", "DELETE") else super().get_permissions()
        )

    def get(self, request, user_id):
        return Response(UserSerializer(access_user(request.user, user_id)).data)

    @extend_schema(request=UserUpdateSerializer)
    def patch(self, request, user_id):
        user = access_user(request.user, user_id)
        body = UserUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.update_user(user=user, **body.validated_data)
        return Response(UserSerializer(user).data)

    @extend_schema(parameters=[UserDeleteQuery], responses={200: UserSerializer})
    def delete(self, request, user_id):
        return Response(_remove_user(request, user_id, UserSerializer))


class UserWorkspacesView(GenericAPIView):
    serializer_class = WorkspaceSerializer

    @extend_schema(responses={200: WorkspaceListSerializer})
    def get(self, request, user_id):
        user = access_user(request.user, user_id)
        visible = workspaces_for(request.user)
        return Response(_items(WorkspaceSerializer, workspaces_for(user) & visible))


class LegacyUsersView(GenericAPIView):
    """argilla-v1 `rg.User.list()` and `rg.User.create()`: a bare array, and 200 on create."""

    serializer_class = LegacyUserSerializer

    def get_permissions(self):
        return [IsOwner()] if self.request.method == "POST" else [IsOwnerOrAdmin()]

    @extend_schema(responses={200: LegacyUserSerializer(many=True)})
    def get(self, request):
        return Response(LegacyUserSerializer(users_visible_to(request.user), many=True).data)

    @extend_schema(request=UserCreateSerializer, responses={200: LegacyUserSerializer})
    def post(self, request):
        return Response(LegacyUserSerializer(_create_user(request)).data)


class LegacyUserDetailView(GenericAPIView):
    serializer_class = LegacyUserSerializer
    permission_classes = [IsOwner]

    @extend_schema(parameters=[UserDeleteQuery], responses={200: LegacyUserSerializer})
    def delete(self, request, user_id):
        return Response(_remove_user(request, user_id, LegacyUserSerializer))
