"""The work queue under load: next_record + submit on a dataset of 1,000,000 records.

Run on demand (never part of the tests), against a PostgreSQL server:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/work_queue.py
    ... bench/work_queue.py --records 10000 --annotators 8 --seconds 60 --overlap 2 \
        --mode assigned --order shuffled

It creates a database of its own on that server (dropped at the end), migrates it, creates a
published dataset and bulk-inserts the records in SQL (INSERT … SELECT generate_series; in
assigned mode the assignments too) and vacuums, as autovacuum would, then runs
`--annotators` worker processes — one per simulated annotator, like web workers, each with
its own connection — that call
`queue.next_record` and `responses.services.save_response(status="submitted")` in a loop for
`--seconds`. Prints p50/p95/p99 of each call in ms and the throughput. Budget (DESIGN.md §6):
p95 ≤ 25 ms each, flat in dataset size.
"""

import argparse
import multiprocessing
import os
import statistics
import time

from scratch_db import add_database_args, scratch_database, setup_django  # bench/ is on sys.path

ANSWER = {"response_ranking": {"value": 2}}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--annotators", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--overlap", type=int, default=2, help="min_submitted")
    parser.add_argument("--mode", choices=["open", "assigned"], default="open")
    parser.add_argument("--order", choices=["inserted", "shuffled", "suggestion_score"])
    parser.add_argument(
        "--phases",
        default="",
        help="annotator counts to run one after the other, e.g. 1,8 (default: --annotators)",
    )
    add_database_args(parser)
    args = parser.parse_args()
    args.phases = [int(n) for n in args.phases.split(",") if n] or [args.annotators]
    args.annotators = max(args.annotators, *args.phases)
    return args


def build(args) -> tuple[str, list[str]]:
    """Migrate, create the dataset and its annotators, insert the records. (ids)"""
    from django.core.management import call_command
    from django.db import connection

    from apps.accounts.models import Role, User
    from apps.annotation.services import update_rules
    from apps.datasets import services as ds
    from apps.datasets.models import Question
    from apps.workspaces.models import Workspace, WorkspaceMember

    call_command("migrate", verbosity=0)
    workspace = Workspace.objects.create(name="bench")
    users = []
    for index in range(args.annotators):
        user = User.objects.create(username=f"annotator-{index}", role=Role.ANNOTATOR)
        WorkspaceMember.objects.create(workspace=workspace, user=user)
        users.append(user)
    dataset = ds.create_dataset(workspace=workspace, name="queue", min_submitted=args.overlap)
    for name in ("prompt", "response-1", "response-2"):
        ds.add_field(dataset=dataset, name=name, settings={"type": "text"})
    ds.add_question(
        dataset=dataset,
        name="response_ranking",
        settings={"type": "rating", "options": [{"value": v} for v in (1, 2, 3)]},
    )
    ds.publish_dataset(dataset=dataset)
    question = Question.objects.get(dataset=dataset)
    order = args.order or "inserted"
    # Rules first, on the empty dataset: the records below are written straight in SQL.
    update_rules(
        dataset=dataset,
        mode=args.mode,
        order=order,
        order_question=question if order == "suggestion_score" else None,
    )

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO records_record
                (id, dataset_id, external_id, fields, metadata, status, inserted_at, updated_at)
            SELECT gen_random_uuid(), %s, 'r' || g,
                   jsonb_build_object('prompt', 'Question number ' || g,
                                      'response-1', repeat('first answer ', 20),
                                      'response-2', repeat('second answer ', 20)),
                   jsonb_build_object('n', g), 'pending',
                   now() + g * interval '1 microsecond', now()
            FROM generate_series(1, %s) AS g
            """,
            [dataset.pk, args.records],
        )
        cursor.execute(
            """
            INSERT INTO records_suggestion
                (id, record_id, question_id, value, score, agent, type, inserted_at, updated_at)
            SELECT gen_random_uuid(), r.id, %s, '1'::jsonb, to_jsonb(random()), 'bench',
                   'model', now(), now()
            FROM records_record r WHERE r.dataset_id = %s
            """,
            [question.pk, dataset.pk],
        )
        if args.mode == "assigned":
            _assign_in_sql(cursor, dataset, users, args, order)
    # What autovacuum does a minute after a bulk insert: statistics, visibility map, hint
    # bits. Without it the first minute measures the first touch of each fresh row. Then
    # what the next checkpoint does (within checkpoint_timeout): write out the gigabyte of
    # pages the insert and the vacuum dirtied. Without it that write-out runs during the
    # measured minute, and every commit waits behind it for its WAL flush.
    connection.cursor().execute("VACUUM ANALYZE")
    connection.cursor().execute("CHECKPOINT")
    print(f"inserted {args.records:,} records in {time.perf_counter() - started:.1f} s")
    return str(dataset.pk), [str(user.pk) for user in users]


def reuse(args) -> tuple[str, list[str]]:
    """The dataset and annotators of a kept database (ids)."""
    from apps.accounts.models import User
    from apps.datasets.models import Dataset

    dataset = Dataset.objects.get(name="queue")
    args.records = dataset.records.count()
    # What the kept database was built with, for the printed summary.
    args.overlap, rules = dataset.min_submitted, dataset.assignment_rules
    args.mode, args.order = rules.mode, rules.order
    users = User.objects.filter(username__startswith="annotator-").order_by("username")
    return str(dataset.pk), [str(user.pk) for user in users[: args.annotators]]


def _assign_in_sql(cursor, dataset, users, args, order) -> None:
    """Deal the records over the annotators as `deal_new_records` does, in one statement."""
    position = {
        "inserted": "extract(epoch from r.inserted_at)",
        "shuffled": "random()",
        "suggestion_score": "(s.score #>> '{}')::float8",
    }[order]
    cursor.execute(
        f"""
        INSERT INTO annotation_assignment (id, dataset_id, record_id, user_id, position,
                                           inserted_at)
        SELECT gen_random_uuid(), r.dataset_id, r.id,
               (%s::uuid[])[((r.n * %s + slot) %% %s) + 1], {position}, now()
        FROM (SELECT id, dataset_id, inserted_at,
                     row_number() OVER (ORDER BY inserted_at, id) - 1 AS n
              FROM records_record WHERE dataset_id = %s) r
        JOIN records_suggestion s ON s.record_id = r.id
        CROSS JOIN generate_series(0, %s - 1) AS slot
        """,
        [[u.pk for u in users], args.overlap, len(users), dataset.pk, args.overlap],
    )


def annotate(url: str, dataset_id: str, user_id: str, seconds: float, results) -> None:
    """One simulated annotator (its own process and connection): ask, submit, repeat."""
    setup_django(url)
    from django.db import connection

    from apps.accounts.models import User
    from apps.annotation.queue import next_record
    from apps.datasets.models import Dataset
    from apps.responses.services import save_response
    from config.startup import freeze_startup_objects

    freeze_startup_objects()  # as a server process does (config/wsgi.py)

    dataset = Dataset.objects.get(pk=dataset_id)
    user = User.objects.get(pk=user_id)
    asks, submits, cpu = [], [], [0.0, 0.0]
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started, cpu_started = time.perf_counter(), time.process_time()
        record = next_record(dataset=dataset, user=user)
        asked, cpu_asked = time.perf_counter(), time.process_time()
        if record is None:
            break
        save_response(user=user, record=record, values=ANSWER, status="submitted")
        asks.append(asked - started)
        submits.append(time.perf_counter() - asked)
        cpu[0] += cpu_asked - cpu_started
        cpu[1] += time.process_time() - cpu_asked
    connection.close()
    results.put((asks, submits, cpu))


def percentiles(samples: list[float]) -> str:
    if len(samples) < 2:
        return "n/a"
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return (
        "  ".join(f"p{p} {cuts[p - 1] * 1000:6.1f} ms" for p in (50, 95, 99))
        + f"  (n={len(samples):,})"
    )


def run_phase(args, bench_url: str, dataset_id: str, user_ids: list[str]) -> None:
    """`len(user_ids)` annotators at once for `--seconds`; prints their numbers."""
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(
            target=annotate, args=(bench_url, dataset_id, user_id, args.seconds, results)
        )
        for user_id in user_ids
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    collected = [results.get() for _ in workers]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    asks = [t for a, _s, _c in collected for t in a]
    submits = [t for _a, s, _c in collected for t in s]
    cpu_ask = sum(c[0] for _a, _s, c in collected) / max(len(asks), 1)
    cpu_submit = sum(c[1] for _a, _s, c in collected) / max(len(submits), 1)
    print(
        f"{args.records:,} records, {len(user_ids)} annotators at once, overlap {args.overlap}, "
        f"{args.mode} mode, {args.order or 'inserted'} order, {elapsed:.0f} s"
    )
    print(f"  next_record  {percentiles(asks)}")
    print(f"  submit       {percentiles(submits)}")
    print(f"  throughput   {len(submits) / elapsed:,.1f} records annotated/s")
    print(
        f"  python CPU   next_record {cpu_ask * 1000:.1f} ms, submit {cpu_submit * 1000:.1f} ms"
        f" per call (machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    args = parse_args()
    with scratch_database("work_queue.py", args) as bench_url:
        dataset_id, user_ids = reuse(args) if args.reuse else build(args)
        from django.db import connections

        connections.close_all()  # the workers fork: none inherits this connection
        for count in args.phases:
            run_phase(args, bench_url, dataset_id, user_ids[:count])


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
