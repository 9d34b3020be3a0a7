"""A queued export finishes through the real worker command (`manage.py db_worker`), the
process `make run` starts beside the web server, on the same database and export folder."""

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from django.db import connection

from apps.exports import services
from apps.exports.models import ExportJob, ExportStatus
from config.embedded_postgres.server import socket_url

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the database this test runs on (the test database), for a subprocess."""
    db = connection.settings_dict
    if db["HOST"].startswith("/"):  # the embedded server: a Unix socket
        return socket_url(db["HOST"], db["USER"], db["NAME"])
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_queued_export_finishes_through_the_worker_command(settings, world, preference):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    dataset, _records = preference
    job = services.start_background_export(
        dataset=dataset, user=world.owner, format="jsonl", task="records"
    )
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.QUEUED  # nobody ran it

    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        LOAM_EXPORT_DIR=str(settings.LOAM_EXPORT_DIR),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    assert job.processed_records == 3
    lines = services.export_file(job).read_bytes().splitlines()
    assert [orjson.loads(line)["prompt"] for line in lines] == [f"prompt {i}" for i in range(3)]
