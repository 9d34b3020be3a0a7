from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from apps.accounts.models import Role


class IsOwner(BasePermission):
    message = _("Only owners can do this.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_owner)


class IsOwnerOrAdmin(BasePermission):
    message = _("Only owners and admins can do this.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.role in (Role.OWNER, Role.ADMIN))
