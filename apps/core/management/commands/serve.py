"""`manage.py serve`: the development web server and the background worker, as one command.

Both run as child processes of this one, each in a process group of its own; when either
stops, or this command is interrupted (Ctrl+C) or terminated, both are stopped with SIGINT
to their whole group (the web server's autoreloader child included). The web server stops
first, so the worker, the last to let go of the embedded database, stops that too.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
STOP_TIMEOUT = 10  # seconds a child gets to stop before it is killed


class Command(BaseCommand):
    help = _("Run the development web server and the background worker together.")
    requires_system_checks = []  # the web server runs them

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help=_("Do not restart on code changes.")
        )

    def handle(self, *args, addrport, noreload, **options):
        web_args = [sys.executable, MANAGE, "runserver", addrport]
        if noreload:
            web_args.append("--noreload")
        # The handler turns SIGTERM into SystemExit so that `finally` stops the children.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        web = _start(web_args)
        worker = _start([sys.executable, MANAGE, "db_worker", "--no-reload", "--queue-name", "*"])
        try:
            while web.poll() is None and worker.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in (web, worker):
                _stop(child)
        return None


def _start(args: list[str]) -> subprocess.Popen:
    # SIGINT as Ctrl+C would deliver it, even when this command was started with it ignored
    # (in the background of a script): the children stop cleanly on it.
    return subprocess.Popen(
        args,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        _signal_group(child, signal.SIGINT)
    try:
        child.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        _signal_group(child, signal.SIGKILL)
        child.wait()


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(child.pid, signum)
    except ProcessLookupError:  # the group is gone already
        pass
