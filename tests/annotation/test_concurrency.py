"""Twenty annotators draining one dataset at once on PostgreSQL (row locks, SKIP LOCKED)."""

import threading
import time
from collections import Counter, defaultdict

import pytest
from django.db import connection

from apps.annotation.queue import next_record
from apps.records.models import Record, RecordStatus
from apps.records.services import create_records
from apps.responses.models import Response
from tests.annotation.conftest import answer, record_items

ANNOTATORS = 20
RECORDS = 500
OVERLAP = 2
# A thread stops after this many empty answers in a row: the last records may be locked
# for an instant by a colleague's transaction (SKIP LOCKED passes over them).
EMPTY_TRIES = 5


@pytest.mark.django_db(transaction=True)
def test_twenty_annotators_drain_a_dataset_with_overlap_two(world, make_user, make_dataset):
    dataset = make_dataset(world.ws_a, min_submitted=OVERLAP)
    for start in range(0, RECORDS, 250):
        create_records(dataset=dataset, items=record_items(250, start=start))
    annotators = [world.ann1, world.ann2] + [
        make_user(workspaces=[world.ws_a]) for _ in range(ANNOTATORS - 2)
    ]
    leased_to: dict = defaultdict(set)  # record → every annotator it was ever handed to
    overfull: list = []
    errors: list = []
    guard = threading.Lock()
    barrier = threading.Barrier(ANNOTATORS)

    def annotate(user):
        try:
            barrier.wait(timeout=30)
            empty = 0
            while empty < EMPTY_TRIES:
                record = next_record(dataset=dataset, user=user)
                if record is None:
                    empty += 1
                    time.sleep(0.02)
                    continue
                empty = 0
                with guard:
                    leased_to[record.pk].add(user.pk)
                    # Nobody abandons a record here, so everyone it was handed to still
                    # holds it or has submitted it: never more than the overlap.
                    if len(leased_to[record.pk]) > OVERLAP:
                        overfull.append(record.pk)
                answer(user, record)
        except Exception as error:  # surfaced by the assertions below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=annotate, args=(user,)) for user in annotators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    assert overfull == []
    submitted = Counter(
        Response.objects.filter(record__dataset=dataset, status="submitted").values_list(
            "record_id", flat=True
        )
    )
    assert len(submitted) == RECORDS
    assert set(submitted.values()) == {OVERLAP}
    pairs = Response.objects.filter(record__dataset=dataset).values_list("record_id", "user_id")
    assert len(set(pairs)) == len(pairs) == RECORDS * OVERLAP
    assert (
        not Record.objects.filter(dataset=dataset).exclude(status=RecordStatus.COMPLETED).exists()
    )
    # The work was shared, not done by a few fast threads.
    per_annotator = Counter(user_id for _record, user_id in pairs)
    assert len(per_annotator) == ANNOTATORS
