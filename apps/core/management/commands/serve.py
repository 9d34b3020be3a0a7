"""`manage.py serve`: the development web server and the background worker, as one command.

Both run as child processes of this one, each in a process group of its own; when either
stops, or this command is interrupted (Ctrl+C) or terminated, both are stopped with SIGINT
to their whole group (the web server's autoreloader child included). The web server stops
first, so the worker, the last to let go of the embedded database, stops that too.

Once the web server answers, a short block says where to go (and, with --demo, the demo
logins): printed after the children's start-up lines, it is the last thing on the screen.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
STOP_TIMEOUT = 10  # seconds a child gets to stop before it is killed
READY_TIMEOUT = 60  # seconds the web server gets to answer before the block is skipped
SETTLE = 1.0  # seconds for the worker's and the reloader's start-up lines to come out first


class Command(BaseCommand):
    help = _("Run the development web server and the background worker together.")
    requires_system_checks = []  # the web server runs them

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--noreload", action="store_true", help=_("Do not restart on code changes.")
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help=_("Also print the demo logins (after seed_demo; development only)."),
        )

    def handle(self, *args, addrport, noreload, demo, **options):
        web_args = [sys.executable, MANAGE, "runserver", addrport]
        if noreload:
            web_args.append("--noreload")
        # The handler turns SIGTERM into SystemExit so that `finally` stops the children.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        web = _start(web_args)
        worker = _start([sys.executable, MANAGE, "db_worker", "--no-reload", "--queue-name", "*"])
        try:
            host, port = _host_and_port(addrport)
            if _wait_until_listening(host, port, (web, worker)):
                time.sleep(SETTLE)
                logins = _demo_logins() if demo else ()
                self.stdout.write(first_run_block(_base_url(host, port), logins))
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


def first_run_block(base_url: str, logins=()) -> str:
    """What to open, as whom: the lines `make run` leaves on the screen."""
    rule = "─" * 64
    lines = [
        "",
        rule,
        "  " + _("Loam is running on %(url)s") % {"url": base_url},
        "",
        "  " + _("Annotate:  %(url)s") % {"url": base_url},
        "  " + _("Admin:     %(url)s") % {"url": f"{base_url}admin/"},
        "  " + _("API docs:  %(url)s") % {"url": f"{base_url}api/docs/"},
    ]
    if logins:
        lines += ["", "  " + _("Demo logins (development only):")]
        for login in logins:
            lines.append(
                "    "
                + _("%(username)s password %(password)s  API key %(key)s")
                % {
                    "username": f"{login.username:<11}",
                    "password": f"{login.password:<20}",
                    "key": login.api_key,
                }
            )
        lines += [
            "",
            "  " + _("Start as the annotator in the annotation app; the owner also has the admin."),
        ]
    lines += ["  " + _("Ctrl+C stops the server and the worker."), rule, ""]
    return "\n".join(lines)


def _demo_logins():
    from apps.datasets.demo import LOGINS

    return LOGINS


def _host_and_port(addrport: str) -> tuple[str, int]:
    host, _sep, port = addrport.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


def _base_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::"):  # every interface: this machine's own address reaches it
        host = "127.0.0.1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _wait_until_listening(host: str, port: int, children) -> bool:
    """True once the web server accepts connections; False if a child stops or time runs out."""
    target = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return False
        try:
            with socket.create_connection((target, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False
