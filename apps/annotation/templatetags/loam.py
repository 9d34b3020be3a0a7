from django import template
from django.utils.safestring import mark_safe

from apps.annotation.markdown import render_markdown

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
