from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.annotation.custom_fields import frame_document, record_data
from apps.annotation.markdown import render_markdown
from apps.annotation.web.choices import choices_of, description_is_in_chips
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


@register.filter
def choices(question):
    return choices_of(question)


@register.filter
def description_in_chips(question):
    return description_is_in_chips(question)


@register.simple_tag(takes_context=True)
def mod_key(context):
    """The modifier key of the reader's keyboard: ⌘ on a Mac, Ctrl elsewhere."""
    request = context.get("request")
    agent = request.headers.get("User-Agent", "") if request else ""
    return "⌘" if "Macintosh" in agent or "Mac OS X" in agent else "Ctrl"


@register.filter
def duration(seconds):
    """Seconds as people read them: "45 s", "3 min 05 s"."""
    if seconds is None:
        return "—"
    seconds = round(seconds)
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    return _("%(m)d min %(s)02d s") % {"m": seconds // 60, "s": seconds % 60}


@register.simple_tag
def custom_field_document(field, record, layout):
    """The srcdoc of a custom field's sandboxed frame (escaped by the template)."""
    return frame_document(
        field_name=field.name,
        settings_=field.settings,
        record_data=record_data(record, layout.visible_metadata),
    )
