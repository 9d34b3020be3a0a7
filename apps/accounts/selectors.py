from django.db.models import Q, QuerySet

from apps.accounts.models import Role, User


def users_visible_to(user: User) -> QuerySet[User]:
    """Owners see everyone; admins the members of their workspaces; annotators themselves."""
    if user.role == Role.OWNER:
        return User.objects.order_by("date_joined")
    if user.role == Role.ADMIN:
        # Members of a workspace `user` is a member of, through the relations (workspaces
        # build on accounts: this module imports none of them).
        return (
            User.objects.filter(Q(memberships__workspace__memberships__user=user) | Q(pk=user.pk))
            .distinct()
            .order_by("date_joined")
        )
    return User.objects.filter(pk=user.pk)
