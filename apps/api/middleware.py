"""Requests whose URL holds a NUL character stop here with a 400.

PostgreSQL text and jsonb cannot hold NUL, so a query value such as `?metadata=split:%00`
reaching a filter was a 500. JSON bodies are checked by the parser (apps.api.renderers).
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def reject_nul_characters(get_response):
    def middleware(request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            message = _("The URL cannot contain the NUL character (%00).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return get_response(request)

    return middleware
