"""Property-based fuzzing of the whole API from its own OpenAPI schema (issue 13).

schemathesis generates requests for every operation of /api/schema/ (examples, coverage,
fuzzing and the stateful phase that follows the schema's links) against live_server, as an
owner, an admin and an annotator, in a seeded world whose ids fill the path parameters. No
answer may be a 5xx, every 4xx is the one error shape, every answer conforms to the schema.
`make fuzz` runs the same with random seeds and a larger budget.
"""

import os

import pytest
from django.db import connection

from apps.accounts.models import ApiKey
from tests.api import fuzz_world, fuzzing

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _server_settings(settings, tmp_path, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LOAM_EXPORT_DIR = str(tmp_path / "exports")
    # live_server answers each request in a new thread: a connection kept for reuse would
    # outlive it and keep the test database from being dropped.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)


@pytest.mark.parametrize("role", ["owner", "admin", "annotator"])
def test_api_never_answers_a_server_error(role, live_server, world, make_user):
    caller = {"owner": world.owner, "admin": world.admin, "annotator": world.ann1}[role]
    seeded = fuzz_world.seed(world, make_user, caller)
    seed = fuzzing.fuzz_seed()
    tally = fuzzing.run(
        base_url=live_server.url,
        api_key=ApiKey.issue(user=caller)[1],
        parameters=seeded.ids,
        operations=[
            {"include-name": name, "parameters": params} for name, params in seeded.victims.items()
        ],
        seed=seed,
        max_examples=int(os.environ.get("LOAM_FUZZ_EXAMPLES", fuzzing.DEFAULT_EXAMPLES)),
        max_time=int(os.environ.get("LOAM_FUZZ_MAX_TIME", 0)) or None,
        # The coverage phase's thousands of requests mostly meet the same validation whoever
        # asks: CI runs it as the owner, who gets past every permission check; `make fuzz`
        # (LOAM_FUZZ_ALL_PHASES=1) as everyone.
        coverage=role == "owner" or os.environ.get("LOAM_FUZZ_ALL_PHASES") == "1",
    )
    report = f"\n[{role}] seed {seed}\n{tally.summary()}"
    print(report)
    if os.environ.get("LOAM_FUZZ_REPORT"):
        with open(os.environ["LOAM_FUZZ_REPORT"], "a") as out:
            out.write(report + "\n")
    assert set(fuzzing.CHECKS) <= tally.checks_run
    assert not tally.errors, "\n".join(tally.errors)
    assert not tally.failures, "\n".join(tally.failures)
