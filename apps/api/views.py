"""Cross-cutting endpoints: version and status (no authentication needed)."""

from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

_version = inline_serializer("Version", {"version": serializers.CharField()})


class InfoView(APIView):
    """`/api/_info` (argilla-v1) and `/api/v1/version`: Loam's version."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=_version)
    def get(self, request):
        return Response({"version": settings.LOAM_VERSION})


class StatusView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses=inline_serializer(
            "Status", {"version": serializers.CharField(), "database": serializers.CharField()}
        )
    )
    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Response({"version": settings.LOAM_VERSION, "database": connection.vendor})
