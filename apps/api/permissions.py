from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


def _describing(request) -> bool:
    # OPTIONS only describes the endpoint (apps.api.metadata): any signed-in user may ask.
    return request.method == "OPTIONS" and bool(request.user and request.user.is_authenticated)


class IsOwner(BasePermission):
    message = _("Only owners can do this.")

    def has_permission(self, request, view):
        if _describing(request):
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_owner)


class IsOwnerOrAdmin(BasePermission):
    message = _("Only owners and admins can do this.")

    def has_permission(self, request, view):
        if _describing(request):
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.is_manager)
