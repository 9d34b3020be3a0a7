"""`manage.py embedded_postgres status|url|stop`: the embedded database server (no
DATABASE_URL). It starts and stops by itself; this shows it, gives its URL (for psql) and
stops one that a killed process left running."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from config.embedded_postgres import server


class Command(BaseCommand):
    help = _("Show, or stop, the embedded PostgreSQL server of LOAM_DATA_DIR.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "url", "stop"])

    def handle(self, *args, action, **options):
        data_dir = settings.LOAM_DATA_DIR
        state = server.status(data_dir)
        if action == "status":
            if not state["running"]:
                return _("not running (data in %(dir)s)") % {"dir": data_dir}
            holders = ", ".join(map(str, state["holders"])) or _("none")
            return _("running, socket in %(socket)s; held by processes: %(holders)s") % {
                "socket": state["socket_dir"],
                "holders": holders,
            }
        if action == "url":
            if not state["running"]:
                raise CommandError(_("The embedded server is not running: start Loam first."))
            return server.socket_url(state["socket_dir"], server.USER, server.DATABASE)
        return _("stopped") if server.stop(data_dir) else _("was not running")
