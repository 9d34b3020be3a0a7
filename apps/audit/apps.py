from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = pgettext_lazy("audit", "Audit trail")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.audit.receivers import connect_receivers

        connect_receivers()
