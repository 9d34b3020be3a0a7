"""Workspaces and their members (Argilla /api/v1, plus argilla-v1's legacy /api paths)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.accounts.access import access_user
from apps.accounts.api.serializers import LegacyUserSerializer, UserSerializer
from apps.accounts.api.views import UserListSerializer, WorkspaceListSerializer
from apps.accounts.models import User
from apps.api.permissions import IsOwner
from apps.core.access import NotFound
from apps.core.errors import ValidationFailed
from apps.workspaces import services
from apps.workspaces.access import access_workspace, workspaces_for
from apps.workspaces.api.serializers import (
    MemberCreateSerializer,
    WorkspaceCreateSerializer,
    WorkspaceSerializer,
)


def _user_or_422(caller: User, user_id) -> User:
    try:
        return access_user(caller, user_id)
    except NotFound:
        raise ValidationFailed.single(("user_id",), _("No user with this id.")) from None


def _members(workspace):
    return User.objects.filter(memberships__workspace=workspace).order_by("date_joined")


class MyWorkspacesView(GenericAPIView):
    serializer_class = WorkspaceSerializer

    @extend_schema(responses={200: WorkspaceListSerializer})
    def get(self, request):
        workspaces = workspaces_for(request.user).order_by("inserted_at")
        return Response({"items": WorkspaceSerializer(workspaces, many=True).data})


class WorkspacesView(GenericAPIView):
    serializer_class = WorkspaceSerializer
    permission_classes = [IsOwner]
    success_status = status.HTTP_201_CREATED

    @extend_schema(request=WorkspaceCreateSerializer, responses={201: WorkspaceSerializer})
    def post(self, request):
        body = WorkspaceCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workspace = services.create_workspace(name=body.validated_data["name"])
        return Response(WorkspaceSerializer(workspace).data, status=self.success_status)


@extend_schema_view(post=extend_schema(responses={200: WorkspaceSerializer}))
class LegacyWorkspacesView(WorkspacesView):
    """argilla-v1 expects 200, not 201, on create."""

    success_status = status.HTTP_200_OK


class WorkspaceDetailView(GenericAPIView):
    serializer_class = WorkspaceSerializer

    def get_permissions(self):
        return [IsOwner()] if self.request.method == "DELETE" else super().get_permissions()

    def get(self, request, workspace_id):
        return Response(WorkspaceSerializer(access_workspace(request.user, workspace_id)).data)

    @extend_schema(responses={200: WorkspaceSerializer})
    def delete(self, request, workspace_id):
        workspace = access_workspace(request.user, workspace_id)
        data = WorkspaceSerializer(workspace).data
        services.delete_workspace(workspace=workspace)
        return Response(data)


class WorkspaceUsersView(GenericAPIView):
    serializer_class = UserSerializer
    legacy = False

    def get_permissions(self):
        return [IsOwner()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(responses={200: UserListSerializer})
    def get(self, request, workspace_id):
        workspace = access_workspace(request.user, workspace_id, need="manage")
        if self.legacy:
            return Response(LegacyUserSerializer(_members(workspace), many=True).data)
        return Response({"items": UserSerializer(_members(workspace), many=True).data})

    @extend_schema(
        operation_id="add_workspace_member",
        request=MemberCreateSerializer,
        responses={201: UserSerializer},
    )
    def post(self, request, workspace_id):
        workspace = access_workspace(request.user, workspace_id)
        body = MemberCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = _user_or_422(request.user, body.validated_data["user_id"])
        services.add_member(workspace=workspace, user=user)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(responses={200: LegacyUserSerializer(many=True)}),
    post=extend_schema(operation_id="legacy_add_workspace_member"),
)
class LegacyWorkspaceUsersView(WorkspaceUsersView):
    legacy = True


class WorkspaceUserView(GenericAPIView):
    """POST adds (an alias; 201, or 200 on the legacy path), DELETE removes a member."""

    serializer_class = UserSerializer
    permission_classes = [IsOwner]
    legacy = False

    def _serializer(self):
        return LegacyUserSerializer if self.legacy else UserSerializer

    @extend_schema(request=None, responses={201: UserSerializer})
    def post(self, request, workspace_id, user_id):
        workspace = access_workspace(request.user, workspace_id)
        user = access_user(request.user, user_id)
        services.add_member(workspace=workspace, user=user)
        code = status.HTTP_200_OK if self.legacy else status.HTTP_201_CREATED
        return Response(self._serializer()(user).data, status=code)

    @extend_schema(responses={200: UserSerializer})
    def delete(self, request, workspace_id, user_id):
        workspace = access_workspace(request.user, workspace_id)
        user = access_user(request.user, user_id)
        services.remove_member(workspace=workspace, user=user)
        return Response(self._serializer()(user).data)


@extend_schema_view(
    post=extend_schema(request=None, responses={200: LegacyUserSerializer}),
    delete=extend_schema(responses={200: LegacyUserSerializer}),
)
class LegacyWorkspaceUserView(WorkspaceUserView):
    legacy = True
