"""The real Argilla SDKs against Loam's live server.

* `argilla` 2.8.0 (module `argilla`) runs in this process: `pip install -e '.[compat]'`.
* `argilla-v1` 1.29.1 (module `argilla_v1`) pins old httpx/numpy, so it lives in its own
  virtualenv (`make install-compat` builds `.venv-argilla-v1`, or point ARGILLA_V1_PYTHON at a
  Python that has it). Tests drive it through small scripts run in a subprocess.

Without the SDKs the tests skip with the reason; with LOAM_REQUIRE_COMPAT=1 (CI) they fail
instead, so CI cannot silently stop running them.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from apps.accounts.models import Role
from apps.accounts.services import create_user
from apps.workspaces.models import Workspace

REPO = Path(__file__).resolve().parents[2]
V1_PYTHON = Path(
    os.environ.get("ARGILLA_V1_PYTHON") or REPO / ".venv-argilla-v1" / "bin" / "python"
)
TEAM = "compat-team"


def _unavailable(reason: str):
    if os.environ.get("LOAM_REQUIRE_COMPAT"):
        pytest.fail(f"{reason} (LOAM_REQUIRE_COMPAT is set)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def rg():
    """The argilla 2.x SDK module."""
    try:
        import argilla
    except ImportError as error:
        _unavailable(f"argilla 2.x SDK not installed ({error}): run `make install-compat`")
    return argilla


@pytest.fixture(scope="session")
def v1_python():
    """Path of a Python interpreter that can import argilla_v1."""
    if not V1_PYTHON.exists():
        _unavailable(f"argilla-v1 virtualenv missing at {V1_PYTHON}: run `make install-compat`")
    probe = subprocess.run(
        [str(V1_PYTHON), "-c", "import argilla_v1, datasets"], capture_output=True, text=True
    )
    if probe.returncode:
        _unavailable(f"{V1_PYTHON} cannot import argilla_v1: {probe.stderr.strip()[-300:]}")
    return V1_PYTHON


class Team:
    """The compat world: an owner, an admin and two annotators in workspace `compat-team`."""

    def __init__(self):
        self.workspace = Workspace.objects.create(name=TEAM)
        self.owner, self.owner_key, _ = create_user(
            username="compat-owner", role=Role.OWNER, password="owner-pass-123"
        )
        self.admin, self.admin_key, _ = create_user(
            username="compat-admin", role=Role.ADMIN, workspaces=[TEAM]
        )
        self.ann1, self.ann1_key, _ = create_user(username="compat-ann1", workspaces=[TEAM])
        self.ann2, self.ann2_key, _ = create_user(username="compat-ann2", workspaces=[TEAM])


@pytest.fixture
def team(transactional_db):
    return Team()


def _log_exchange(response):
    """httpx response hook: every SDK call shows in the captured output of a failing test."""
    request = response.request
    line = f"[sdk2] {request.method} {request.url} -> {response.status_code}"
    if response.status_code >= 300:
        response.read()
        line += f"\n        request: {(request.content or b'')[:600]!r}"
        line += f"\n        answer:  {response.text[:600]}"
    print(line)


@pytest.fixture
def connect(rg, live_server):
    """connect(key) → an argilla 2.x client for live_server; logs each HTTP exchange.

    The clients' keep-alive connections are closed when the test ends: each holds a live
    server thread, and with it a database connection that would outlive the test database.
    """
    clients = []

    def make(api_key):
        client = rg.Argilla(
            api_url=live_server.url,
            api_key=api_key,
            timeout=30,
            retries=0,
            event_hooks={"response": [_log_exchange]},
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.http_client.close()


# Prepended to every argilla-v1 script: logs each HTTP exchange to stderr, and `emit(obj)`
# prints the script's result as the last line of stdout.
_V1_PREAMBLE = """
import json, os, sys, warnings
warnings.simplefilter("ignore")
import httpx
_send = httpx.Client.send
def _logged_send(self, request, *args, **kwargs):
    response = _send(self, request, *args, **kwargs)
    line = f"[sdk1] {request.method} {request.url} -> {response.status_code}"
    if response.status_code >= 300:
        response.read()
        line += f"\\n        request: {(request.content or b'')[:600]!r}"
        line += f"\\n        answer:  {response.text[:600]}"
    print(line, file=sys.stderr)
    return response
httpx.Client.send = _logged_send
def emit(obj):
    print("\\n" + json.dumps(obj, default=str))
API_URL = os.environ["LOAM_API_URL"]
API_KEY = os.environ["LOAM_API_KEY"]
"""


@pytest.fixture
def run_v1(v1_python, live_server, tmp_path):
    """run_v1(script, api_key, **env) → the JSON the script passed to emit() (last stdout line)."""

    def run(script, api_key, **env):
        path = tmp_path / f"v1_script_{len(list(tmp_path.glob('v1_script_*')))}.py"
        path.write_text(_V1_PREAMBLE + textwrap.dedent(script))
        child_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("ARGILLA_")},
            "LOAM_API_URL": live_server.url,
            "LOAM_API_KEY": api_key,
            "HF_HUB_OFFLINE": "1",
            "HF_DATASETS_OFFLINE": "1",
            "HF_DATASETS_CACHE": str(tmp_path / "hf-cache"),
            **{k: str(v) for k, v in env.items()},
        }
        done = subprocess.run(
            [str(v1_python), str(path)],
            capture_output=True,
            text=True,
            env=child_env,
            timeout=300,
        )
        sys.stdout.write(done.stderr)  # the HTTP log, shown when the test fails
        if done.returncode:
            log = done.stderr.splitlines()
            failed = [
                "\n".join(log[i : i + 3])
                for i, line in enumerate(log)
                if line.startswith("[sdk1]") and not line.rsplit("-> ", 1)[-1].startswith("2")
            ]
            pytest.fail(
                f"argilla-v1 script failed (exit {done.returncode}).\n"
                f"Non-2xx answers:\n{chr(10).join(failed) or '(none)'}\n"
                f"Last output:\n{done.stderr[-3000:]}",
                pytrace=False,
            )
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        return json.loads(lines[-1])

    return run
