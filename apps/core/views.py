"""Answers of the site's root that belong to no app."""

from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    # The SVG under static/ is the icon; /favicon.ico only points there (resolved per request:
    # the production storage names files by their hash).
    return HttpResponseRedirect(static("favicon.svg"))
