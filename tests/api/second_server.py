"""A second Loam web process for the rate-limit tests (tests/api/test_rate_limits.py).

`python tests/api/second_server.py PORT DATABASE_NAME` serves Loam's WSGI application on
127.0.0.1:PORT from the test database, with its own settings (rates from the environment)
and its own cache connection: what it shares with the test's live_server is the database,
so a limit holds across the two only if the cache is shared. Prints "ready" once serving.
"""

import os
import sys
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # the test reads answers, not access logs
        pass


def main(port: int, database_name: str) -> None:
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = database_name  # before the first connection
    # As the test process (tests/conftest.py `_fast_passwords`): its users' hashes verify.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    django.setup()
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", port, get_wsgi_application(), handler_class=QuietHandler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
