"""What emitting webhook events costs a bulk record request, in process (no HTTP noise).

Run on demand against a migrated PostgreSQL database (it adds a workspace, datasets and
webhooks, and deletes the deliveries it wrote):

    DATABASE_URL=postgres://... .venv/bin/python bench/webhook_events.py --rounds 10

Each round writes one 500-record request (api_ingest.py's records) through
`records.services.upsert_records`, committed, in three ways, in rotating order so the machine's
noise falls on all three alike: events switched off (the code before webhooks), nobody
listening (one query after the commit), and one webhook listening to record.created (one
pending event and one task written after the commit). Prints the median ms per request, then
times the worker's expansion of those pending events into deliveries.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_ingest import BATCH, batch_body, make_dataset, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    from django.db import transaction

    from apps.datasets.models import Dataset
    from apps.records import services
    from apps.webhooks import events
    from apps.webhooks.models import Delivery, Webhook

    real_emit = events.emit
    real_queue = events.queue
    queue_ms: list[float] = []  # what the commit callbacks cost, when someone listens

    def timed_queue(*args, **kwargs):
        start = time.perf_counter()
        real_queue(*args, **kwargs)
        queue_ms.append((time.perf_counter() - start) * 1000)

    variants = {"off (before)": [], "nobody listening": [], "one webhook listening": []}
    datasets = {}
    for name in variants:
        dataset_id, question_id, _key = make_dataset(None)
        datasets[name] = (Dataset.objects.get(pk=dataset_id), question_id)
    webhook = Webhook.objects.create(
        url="https://93.184.215.14/bench", events=["record.created"], secret="whsec_AAAA"
    )
    webhook.enabled = False
    webhook.save()
    names = list(variants)
    try:
        for round_ in range(args.rounds):
            for offset in range(len(names)):
                name = names[(round_ + offset) % len(names)]
                dataset, question_id = datasets[name]
                items = orjson.loads(batch_body(round_ * BATCH, BATCH, question_id))["items"]
                events.emit = (lambda *a, **k: None) if name == "off (before)" else real_emit
                Webhook.objects.filter(pk=webhook.pk).update(
                    enabled=name == "one webhook listening"
                )
                events.queue = timed_queue if name == "one webhook listening" else real_queue
                start = time.perf_counter()
                with transaction.atomic():
                    services.upsert_records(dataset=dataset, items=items)
                variants[name].append((time.perf_counter() - start) * 1000)
        # The worker's share: the pending events expanded into deliveries (COPY).
        start = time.perf_counter()
        expanded = events.expand_pending()
        expand_seconds = time.perf_counter() - start
    finally:
        events.emit, events.queue = real_emit, real_queue
        written = Delivery.objects.filter(webhook=webhook).count()
        webhook.delete()
    base = statistics.median(variants["off (before)"])
    for name, times in variants.items():
        median = statistics.median(times)
        print(f"{name:24s} median {median:7.1f} ms / 500 records  ({median / base - 1:+.1%})")
    print(f"after-commit work when listening: median {statistics.median(queue_ms):.1f} ms")
    print(
        f"worker: {expanded} deliveries written in {expand_seconds * 1000:.0f} ms "
        f"({expanded / expand_seconds:,.0f}/s); deliveries in the table: {written}"
    )


if __name__ == "__main__":
    main()
