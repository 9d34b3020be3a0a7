"""A data directory for an embedded server of a test's own."""

import shutil
import tempfile
from pathlib import Path

from config.embedded_postgres import server


def new_data_dir() -> Path:
    # Not under pytest's tmp_path: a pytest session starting meanwhile (another checkout's)
    # resets /tmp/pytest-of-<user> to mode 0700, which locks the server's own system user
    # (Loam runs PostgreSQL as `pgserver` when started by root) out of its data directory.
    return Path(tempfile.mkdtemp(prefix="loam-test-")) / "loam-data"


def remove_data_dir(data_dir: Path) -> None:
    server.stop(data_dir)  # whatever a failed test left running
    shutil.rmtree(data_dir.parent, ignore_errors=True)
