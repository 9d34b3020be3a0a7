"""`manage.py serve` (what `make run` runs): web server and worker start together and stop
together, and leave nothing running, the embedded database included."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from config.embedded_postgres import server
from tests.core.data_dirs import new_data_dir, remove_data_dir

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_from_a_terminal() -> None:
    """Ctrl+C's SIGINT reaches `serve` as from a terminal, however the suite was started: a
    suite run in the background of a script has SIGINT ignored, which its children inherit
    (and `serve` then rightly ignores a SIGINT, as any background job does)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for_status(url: str, process: subprocess.Popen) -> None:
    for _ in range(120):
        assert process.poll() is None, "serve stopped before the web server answered"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                assert answer.status == 200
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail("the web server never answered")


def command_lines(processes: list[psutil.Process]) -> list[str]:
    """What each process runs, passing over those already gone (short-lived helpers)."""
    lines = []
    for process in processes:
        try:
            lines.append(" ".join(process.cmdline()))
        except psutil.Error:
            pass
    return lines


@pytest.fixture(scope="module")
def data_dir():
    """An embedded database of the tests' own, migrated (the worker reads its task table)."""
    data_dir = new_data_dir()
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=loam_env(data_dir),
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr
    yield data_dir
    remove_data_dir(data_dir)


def loam_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "LOAM_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings"}


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_runs_web_and_worker_and_stops_both_and_the_database(data_dir, stop_signal):
    assert not server.status(data_dir)["running"]  # migrate stopped it when it finished
    env = loam_env(data_dir)
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"],
        cwd=ROOT,
        preexec_fn=as_from_a_terminal,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_status(f"http://127.0.0.1:{port}/api/v1/status", serve)
        family = psutil.Process(serve.pid).children(recursive=True)
        commands = command_lines(family)
        assert any("runserver" in c for c in commands), commands
        assert any("db_worker" in c for c in commands), commands
        assert server.status(data_dir)["running"]

        serve.send_signal(stop_signal)
        assert serve.wait(30) == 0
        _gone, alive = psutil.wait_procs(family, timeout=15)
        assert not alive, command_lines(alive)
        assert server.status(data_dir) == {"running": False, "socket_dir": None, "holders": []}
    finally:
        if serve.poll() is None:  # the test failed: leave no process of its own behind
            for process in [*psutil.Process(serve.pid).children(recursive=True)]:
                process.kill()
            serve.kill()


def test_the_first_run_block_says_where_to_go_and_as_whom():
    from apps.core.management.commands.serve import first_run_block
    from apps.datasets.demo import LOGINS

    block = first_run_block("http://127.0.0.1:8000/", LOGINS)

    assert "http://127.0.0.1:8000/admin/" in block
    assert "http://127.0.0.1:8000/api/docs/" in block
    for login in LOGINS:  # the demo's own logins, not a copy of them
        line = next(line for line in block.splitlines() if line.split()[:1] == [login.username])
        assert login.password in line and login.api_key in line
    assert "Demo logins" not in first_run_block("http://127.0.0.1:8000/")


def test_serve_ends_its_start_up_output_with_the_block(data_dir, tmp_path):
    port = free_port()
    output = tmp_path / "serve.out"
    with output.open("w") as sink:
        serve = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--demo", f"127.0.0.1:{port}"],
            cwd=ROOT,
            preexec_fn=as_from_a_terminal,
            env={**loam_env(data_dir), "PYTHONUNBUFFERED": "1"},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            for _ in range(120):
                if "Ctrl+C stops" in output.read_text():
                    break
                assert serve.poll() is None, output.read_text()
                time.sleep(0.5)
            time.sleep(1)  # nothing of the start-up comes after the block
            lines = [line for line in output.read_text().splitlines() if line.strip()]
        finally:
            serve.send_signal(signal.SIGINT)
            serve.wait(30)

    assert "Ctrl+C stops the server and the worker." in lines[-2]
    assert "─" in lines[-1]
    start = max(i for i, line in enumerate(lines[:-1]) if "─" in line)
    block = "\n".join(lines[start:])
    assert f"http://127.0.0.1:{port}/" in block and "loam-owner-demo" in block
    quit_line = next(i for i, line in enumerate(lines) if "Quit the server" in line)
    assert quit_line < start  # the web server's banner came first
