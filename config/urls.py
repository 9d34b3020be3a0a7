from django.contrib import admin
from django.urls import include, path

from apps.core.views import favicon

urlpatterns = [
    path("favicon.ico", favicon),  # browsers ask for it whatever the page links
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include("apps.api.urls")),
    path("", include("apps.annotation.urls")),
    path("", include("apps.exports.urls")),
]
