from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponsesConfig(AppConfig):
    name = "apps.responses"
    label = "responses"
    verbose_name = _("Responses")
    default_auto_field = "django.db.models.BigAutoField"
