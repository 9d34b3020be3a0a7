from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include("apps.api.urls")),
    path("", include("apps.annotation.urls")),
    path("", include("apps.exports.urls")),
]
