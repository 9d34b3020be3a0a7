from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.annotation.markdown import render_markdown
from apps.responses.models import ResponseStatus

register = template.Library()


@register.filter
def markdown(text):
    return mark_safe(render_markdown(text))  # sanitised by nh3


@register.filter
def percent(part, whole):
    try:
        return round(100 * part / whole) if whole else 0
    except (TypeError, ZeroDivisionError):
        return 0


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def status_label(status):
    """A response status ("pending": none yet) in the reader's language."""
    if status == "pending":
        return _("Pending")
    try:
        return ResponseStatus(status).label
    except ValueError:
        return status
