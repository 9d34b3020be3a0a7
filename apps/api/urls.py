"""/api: Argilla's v1 dialect plus argilla-v1's legacy paths. No trailing slashes, ever:
neither SDK follows redirects."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from apps.accounts.api import views as users
from apps.api import views
from apps.workspaces.api import views as workspaces

v1 = [
    path("me", users.MeView.as_view()),
    path("version", views.InfoView.as_view()),
    path("status", views.StatusView.as_view()),
    path("users", users.UsersView.as_view()),
    path("users/<str:user_id>", users.UserDetailView.as_view()),
    path("users/<str:user_id>/workspaces", users.UserWorkspacesView.as_view()),
    path("me/workspaces", workspaces.MyWorkspacesView.as_view()),
    path("workspaces", workspaces.WorkspacesView.as_view()),
    path("workspaces/<str:workspace_id>", workspaces.WorkspaceDetailView.as_view()),
    path("workspaces/<str:workspace_id>/users", workspaces.WorkspaceUsersView.as_view()),
    path(
        "workspaces/<str:workspace_id>/users/<str:user_id>",
        workspaces.WorkspaceUserView.as_view(),
    ),
    path("", include("apps.datasets.api.urls")),
    path("", include("apps.records.api.urls")),
    path("", include("apps.responses.api.urls")),
    path("", include("apps.annotation.api.urls")),
    path("", include("apps.exports.api.urls")),
    path("", include("apps.webhooks.api.urls")),
]

legacy = [
    path("me", users.LegacyMeView.as_view()),
    path("_info", views.InfoView.as_view()),
    path("users", users.LegacyUsersView.as_view()),
    path("users/<str:user_id>", users.LegacyUserDetailView.as_view()),
    path("workspaces", workspaces.LegacyWorkspacesView.as_view()),
    path("workspaces/<str:workspace_id>/users", workspaces.LegacyWorkspaceUsersView.as_view()),
    path(
        "workspaces/<str:workspace_id>/users/<str:user_id>",
        workspaces.LegacyWorkspaceUserView.as_view(),
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
    *legacy,
]
