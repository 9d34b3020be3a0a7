"""config.urls plus the exports web pages (until config/urls.py includes apps.exports.urls)."""

from django.urls import include, path

from config.urls import urlpatterns as project_urls

included = any(getattr(p, "app_name", None) == "exports" for p in project_urls)
urlpatterns = [*project_urls] + ([] if included else [path("", include("apps.exports.urls"))])
