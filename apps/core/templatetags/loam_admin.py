"""Breadcrumbs of the admin's model pages: Home › section › model, by section not Django app.

When a section holds one model of its own name (Datasets › Datasets), the two crumbs are one:
the section's name, linking to the model's list.
"""

from django import template
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

register = template.Library()
SEPARATOR = " › "


@register.simple_tag
def section_crumbs(opts, current=False):
    """The crumbs between Home and the object: `current` on the model's list itself (the last
    crumb then is plain text)."""
    section = admin.site.section_of(opts)
    plural = capfirst(opts.verbose_name_plural)
    changelist = reverse(admin_urlname(opts, "changelist"))
    if str(section["name"]).lower() == str(plural).lower():
        if current:
            return format_html("{}", section["name"])
        return format_html('<a href="{}">{}</a>', changelist, section["name"])
    section_link = format_html('<a href="{}">{}</a>', section["url"], section["name"])
    if current:
        return format_html("{}{}{}", section_link, SEPARATOR, plural)
    return format_html('{}{}<a href="{}">{}</a>', section_link, SEPARATOR, changelist, plural)
