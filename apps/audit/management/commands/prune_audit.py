"""`manage.py prune_audit`: forget the audit entries older than LOAM_AUDIT_RETENTION_DAYS."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from apps.audit.trail import prune


class Command(BaseCommand):
    help = _("Delete the audit entries older than LOAM_AUDIT_RETENTION_DAYS (0 keeps all).")

    def handle(self, *args, **options):
        if settings.LOAM_AUDIT_RETENTION_DAYS <= 0:
            self.stdout.write(_("LOAM_AUDIT_RETENTION_DAYS is 0: every entry is kept."))
            return
        count = prune()
        self.stdout.write(
            _("Deleted %(count)d audit entries older than %(days)d days.")
            % {"count": count, "days": settings.LOAM_AUDIT_RETENTION_DAYS}
        )
