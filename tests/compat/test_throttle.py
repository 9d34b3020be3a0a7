"""A bulk upload through the real argilla SDK never meets the per-user API budget
(LOAM_API_USER_RATE, default 6000/minute; apps/api/throttling.py).

A real upload of UPLOAD records (LOAM_THROTTLE_UPLOAD, default 5000) runs with the default
budget on, every request counted in the shared cache. The requests the SDK made for it (one
PUT per batch of 256, its default, and a GET of /me) give the count for 100k records, which
must fit in ONE window of the budget: even a 100k upload done within a single minute would
not be throttled, so a real one (about 100 s on a 2-core machine: over this suite's time
budget, hence the smaller upload; `LOAM_THROTTLE_UPLOAD=100000` runs it whole) never is.
"""

import math
import os
import time

import pytest
from django.conf import settings
from django.core.cache import cache

from apps.api.throttling import UserBudget, parse_rate
from apps.records.models import Record

pytestmark = pytest.mark.compat

UPLOAD = int(os.environ.get("LOAM_THROTTLE_UPLOAD", "5000"))
BATCH = 256  # the SDK's default batch (records.log batch_size): more requests than its max
TARGET = 100_000


def _text(i: int) -> str:
    return f"Prompt {i}: how do rate limits and bulk uploads get along? " * 3


def test_a_100k_record_upload_fits_in_the_user_budget(rg, team, connect, live_server):
    cache.clear()
    requests_made = []

    connected = time.monotonic()
    client = connect(team.owner_key)
    client.http_client.event_hooks["request"].append(requests_made.append)
    dataset = rg.Dataset(
        name="bulk-upload",
        workspace="compat-team",
        settings=rg.Settings(
            fields=[rg.TextField(name="prompt")],
            questions=[rg.LabelQuestion(name="label", labels=["good", "bad"])],
        ),
        client=client,
    ).create()
    before = len(requests_made)
    started = time.monotonic()

    dataset.records.log(
        [{"id": f"r{i}", "prompt": _text(i)} for i in range(UPLOAD)], batch_size=BATCH
    )  # (batch_size as the SDK's default, spelled out for the arithmetic below)

    seconds = time.monotonic() - started
    upload_requests = len(requests_made) - before
    amount, duration = parse_rate(settings.LOAM_API_USER_RATE)
    per_batch = upload_requests / math.ceil(UPLOAD / BATCH)
    for_target = math.ceil(per_batch * math.ceil(TARGET / BATCH))
    print(
        f"{UPLOAD} records: {upload_requests} requests ({per_batch:.1f} per batch of {BATCH});"
        f" {TARGET} records: {for_target} requests; budget {amount} per {duration} s;"
        f" upload {seconds:.1f} s ({UPLOAD / seconds:.0f} records/s)"
    )
    assert Record.objects.filter(dataset_id=dataset.id).count() == UPLOAD
    # The budget counted the requests (none is exempt from it): all of them, with the GET
    # /me of connecting, while they fit in one window; the window's last ones after that.
    history = cache.get(UserBudget.cache_format % {"scope": "user", "ident": team.owner.pk})
    if time.monotonic() - connected < duration:
        assert len(history) == len(requests_made) + 1
    else:
        assert 0 < len(history) <= len(requests_made)
    assert for_target <= amount
