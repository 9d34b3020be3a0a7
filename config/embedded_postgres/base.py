"""Django's PostgreSQL backend, connecting to the embedded server (started on first use)."""

from django.db.backends.postgresql import base

from . import server


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        # The first connection of a process starts (or joins) the server; later ones only
        # read the socket directory it found.
        self.settings_dict["HOST"] = str(server.ensure_running(self.settings_dict["DATA_DIR"]))
        return super().get_connection_params()
