"""Server processes load every view and freeze what they loaded (config/startup.py)."""

import subprocess
import sys

import pytest

PROBE = """
import gc, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import config.{module}
print(gc.get_freeze_count(), "apps.records.api.views" in sys.modules)
"""


@pytest.mark.parametrize("module", ["wsgi", "asgi"])
def test_server_entry_points_load_the_views_and_freeze_them(module):
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    frozen, views_loaded = done.stdout.split()
    assert views_loaded == "True"  # loaded before the first request, so frozen with the rest
    assert int(frozen) > 10_000
