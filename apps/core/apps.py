from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every other app builds on: running the product (`manage.py serve`)."""

    name = "apps.core"
    label = "core"
    verbose_name = _("Core")
