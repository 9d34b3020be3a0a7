"""The embedded PostgreSQL (config/embedded_postgres): started by the first Loam process
that connects, shared by the others, stopped by the last one to exit, even when another
holder died without cleaning up. Each test runs real processes on a data directory of its
own, so it never touches the server the suite itself may be running on."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.embedded_postgres import server
from tests.core.data_dirs import new_data_dir, remove_data_dir

ROOT = Path(__file__).resolve().parents[2]

# A Loam process: connects through Django's settings (no DATABASE_URL: the embedded server),
# prints what it connected to, then waits for a line on stdin (or exits at once).
HOLDER = """
import django, sys
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT current_setting('server_version_num'), current_database(),"
                   " (SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'),"
                   " current_setting('data_checksums'), current_setting('io_method'),"
                   " pg_size_bytes(current_setting('shared_buffers'))")
    version, database, vector, checksums, io_method, shared_buffers = cursor.fetchone()
print(connection.vendor, version[:2], database, vector, checksums, io_method, shared_buffers,
      flush=True)
if sys.argv[1:] == ["wait"]:
    sys.stdin.readline()
"""


@pytest.fixture
def data_dir():
    data_dir = new_data_dir()
    yield data_dir
    remove_data_dir(data_dir)


def loam_process(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(LOAM_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def connected(process: subprocess.Popen) -> str:
    line = process.stdout.readline()
    assert line, process.stderr.read()
    return line.split()


def finish(process: subprocess.Popen) -> None:
    process.communicate("\n", timeout=60)
    assert process.returncode == 0


def test_first_connection_starts_postgres_18_with_pgvector_and_the_last_exit_stops_it(data_dir):
    started = time.monotonic()
    process = loam_process(data_dir)
    shared_buffers = int(server.memory_settings()["shared_buffers"].removesuffix("MB")) << 20
    assert connected(process) == [
        "postgresql",
        "18",
        "loam",
        "1",
        "off",
        "sync",
        str(shared_buffers),
    ]
    finish(process)
    elapsed = time.monotonic() - started
    assert server.status(data_dir) == {"running": False, "socket_dir": None, "holders": []}
    assert (data_dir / "postgres" / "PG_VERSION").read_text().strip() == "18"
    print(f"first start (initdb, start, query, stop): {elapsed:.1f} s")


@pytest.mark.parametrize(
    ("gib", "shared_buffers", "effective_cache_size"),
    [(0.25, "128MB", "128MB"), (2, "512MB", "1024MB"), (24, "4096MB", "12288MB")],
)
def test_memory_is_a_quarter_of_the_machine_within_bounds(
    gib, shared_buffers, effective_cache_size
):
    assert server.memory_settings(int(gib * (1 << 30))) == {
        "shared_buffers": shared_buffers,
        "effective_cache_size": effective_cache_size,
    }


def test_a_running_server_is_shared_and_outlives_all_but_its_last_holder(data_dir):
    first = loam_process(data_dir, "wait")
    connected(first)
    socket_dir = server.status(data_dir)["socket_dir"]
    second = loam_process(data_dir)
    connected(second)
    finish(second)  # one holder left: still running, same server
    assert server.status(data_dir) == {
        "running": True,
        "socket_dir": socket_dir,
        "holders": [first.pid],
    }
    finish(first)
    assert not server.status(data_dir)["running"]


def test_a_holder_killed_without_cleaning_up_does_not_keep_the_server_running(data_dir):
    killed = loam_process(data_dir, "wait")
    connected(killed)
    killed.send_signal(signal.SIGKILL)  # no atexit: it stays in the holders' file
    killed.wait()
    assert server.status(data_dir)["running"]
    survivor = loam_process(data_dir)
    connected(survivor)
    finish(survivor)  # the last live holder: it stops the server
    assert server.status(data_dir) == {"running": False, "socket_dir": None, "holders": []}


def test_a_holder_stopped_with_sigterm_lets_go_of_the_server(data_dir):
    holder = loam_process(data_dir, "wait")
    connected(holder)
    holder.terminate()
    assert holder.wait(30) == 128 + signal.SIGTERM
    assert server.status(data_dir) == {"running": False, "socket_dir": None, "holders": []}
