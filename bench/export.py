"""Exports of a large dataset: records/s and peak memory growth, per format and task.

Run on demand (never part of the tests), against a PostgreSQL server:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/export.py
    ... bench/export.py --records 100000 --chunk-size 1000 --keep

It creates a database of its own on that server (dropped at the end unless --keep), migrates
it, creates the seed's comparison dataset (prompt, response-1, response-2; rating
response_ranking; text correct_response) and inserts the records, one suggestion each and two
submitted responses each in SQL. Then it exports the records (JSONL, Parquet) and the DPO
task (JSONL, Parquet) to files through `apps.exports.services`, the path every face uses,
and prints records/s and the peak RSS growth during each export (sampled every 5 ms).
Budget (issue 6): ≥ 20,000 records/s, peak RSS growth < 200 MB.
"""

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

from scratch_db import add_database_args, scratch_database  # bench/ is on sys.path

PAGE = os.sysconf("SC_PAGE_SIZE")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--chunk-size", type=int, default=1000)
    add_database_args(parser)
    return parser.parse_args()


def build(records: int):
    from django.core.management import call_command
    from django.db import connection

    from apps.accounts.models import Role, User
    from apps.datasets import services as ds
    from apps.workspaces.models import Workspace

    call_command("migrate", verbosity=0)
    workspace = Workspace.objects.create(name="bench")
    users = [User.objects.create(username=f"ann{i}", role=Role.ANNOTATOR) for i in (1, 2)]
    dataset = ds.create_dataset(workspace=workspace, name="export")
    for name in ("prompt", "response-1", "response-2"):
        ds.add_field(dataset=dataset, name=name, settings={"type": "text"})
    rating = ds.add_question(
        dataset=dataset,
        name="response_ranking",
        settings={"type": "rating", "options": [{"value": v} for v in (1, 2, 3)]},
    )
    ds.add_question(
        dataset=dataset, name="correct_response", required=False, settings={"type": "text"}
    )
    ds.publish_dataset(dataset=dataset)
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
                   jsonb_build_object('n', g), 'completed',
                   now() + g * interval '1 microsecond', now()
            FROM generate_series(1, %s) AS g
            """,
            [dataset.pk, records],
        )
        cursor.execute(
            """
            INSERT INTO records_suggestion
                (id, record_id, question_id, value, score, agent, type, inserted_at, updated_at)
            SELECT gen_random_uuid(), r.id, %s, '1'::jsonb, to_jsonb(random()), 'bench',
                   'model', now(), now()
            FROM records_record r WHERE r.dataset_id = %s
            """,
            [rating.pk, dataset.pk],
        )
        for index, user in enumerate(users):
            # ann1 rates 1, 2, 3 in turn; ann2 mostly agrees; every 10th record is corrected.
            cursor.execute(
                """
                INSERT INTO responses_response
                    (id, record_id, user_id, values, status, inserted_at, updated_at)
                SELECT gen_random_uuid(), r.id, %s,
                       CASE WHEN (r.metadata->>'n')::int %% 10 = 0 AND %s = 0
                            THEN jsonb_build_object(
                                'response_ranking', jsonb_build_object('value', 3),
                                'correct_response', jsonb_build_object('value', 'A fix'))
                            ELSE jsonb_build_object('response_ranking', jsonb_build_object(
                                'value', ((r.metadata->>'n')::int + %s * (
                                    (r.metadata->>'n')::int %% 7 / 6)) %% 3 + 1))
                       END,
                       'submitted', now(), now()
                FROM records_record r WHERE r.dataset_id = %s
                """,
                [user.pk, index, index, dataset.pk],
            )
        cursor.execute("ANALYZE")
    print(
        f"built {records:,} records, {2 * records:,} responses in "
        f"{time.perf_counter() - started:.1f}s"
    )
    return dataset


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


class PeakRSS:
    """Samples this process's RSS every 5 ms; `growth` is the peak minus the start."""

    def __enter__(self):
        self.start = self.peak = rss()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, rss())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, rss())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def run(dataset, records: int, chunk_size: int, out_dir: Path) -> None:
    from django.db import connection

    from apps.exports import services

    print(
        f"{'export':<18}{'records/s':>12}{'seconds':>9}{'rows':>9}{'MB file':>9}"
        f"{'peak RSS +MB':>14}"
    )
    for task in ("records", "dpo"):
        for fmt in ("jsonl", "parquet"):
            connection.close()
            counts = {"rows": 0}

            def progress(_records, rows, counts=counts):
                counts["rows"] += rows

            path = out_dir / f"{task}.{fmt}"
            with PeakRSS() as memory:
                started = time.perf_counter()
                export = services.prepare_export(
                    dataset=dataset, format=fmt, task=task, chunk_size=chunk_size
                )
                services.write_export(export, path, progress)
                seconds = time.perf_counter() - started
            print(
                f"{task + ' ' + fmt:<18}{records / seconds:>12,.0f}{seconds:>9.2f}"
                f"{counts['rows']:>9,}{path.stat().st_size / 2**20:>9.1f}"
                f"{memory.growth_mb:>14.1f}"
            )


def main() -> None:
    args = parse_args()
    with scratch_database("export.py", args):
        if args.reuse:
            from apps.datasets.models import Dataset

            dataset = Dataset.objects.get(name="export")
            args.records = dataset.records.count()
        else:
            dataset = build(args.records)
        with tempfile.TemporaryDirectory(prefix="loam-bench-export-") as out:
            run(dataset, args.records, args.chunk_size, Path(out))


if __name__ == "__main__":
    main()
