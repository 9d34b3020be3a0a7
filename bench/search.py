"""Search at scale through the API: first page of 30 with its total, p50/p95 per query kind.

Builds, in a scratch database (bench/scratch_db.py: --keep / --reuse), a dataset of
--records records (default 1,000,000) with Zipf-shaped text in 3 fields (a vocabulary of
20,000 words, ~60 words a record), 3 metadata properties, a suggestion each and a submitted
response on 10%; and a dataset of --vector-records records (default 200,000) with one
--dimensions-dim vector each (clustered, as embeddings are). Rows are written by SQL on the
server (INSERT … SELECT), indexes built after. Then a gunicorn server (2 workers, DEBUG off)
answers --queries queries of each kind:

    .venv/bin/python bench/search.py --records 1000000 --keep
    .venv/bin/python bench/search.py --reuse loam_bench_search_xxxxxxxx

Similarity queries are checked against exact search (a sequential scan, no index):
recall@10 is the share of the exact top 10 found in the API's top 10.
"""

import argparse
import http.client
import random
import statistics
import time

import orjson
from scratch_db import add_database_args, scratch_database  # bench/ is on sys.path

PAGE = 30
SOURCES = ["web", "books", "news", "forum", "wiki"]
VOCABULARY = 20_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--vector-records", type=int, default=200_000)
    parser.add_argument("--dimensions", type=int, default=384)
    parser.add_argument("--queries", type=int, default=50)
    add_database_args(parser)
    return parser.parse_args()


def words(count: int, seed: int = 1) -> list[str]:
    """Pronounceable made-up words, some with English endings for the stemmer to strip."""
    rng = random.Random(seed)
    onsets, vowels = "b c d f g h j k l m n p r s t v w st tr pl gr sh ch".split(), "aeiou"
    endings = ["", "", "", "s", "ing", "ed", "er", "ly", "tion"]
    seen: dict[str, None] = {}
    while len(seen) < count:
        syllables = rng.choice((1, 2, 2, 3))
        stem = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
        seen[stem + rng.choice(endings)] = None
    return list(seen)


def make_dataset(name: str, *, dimensions: int = 0):
    from apps.datasets import services as ds
    from apps.workspaces.models import Workspace

    workspace, _ = Workspace.objects.get_or_create(name="bench")
    dataset = ds.create_dataset(workspace=workspace, name=name)
    for field in ("prompt", "response-1", "response-2"):
        ds.add_field(dataset=dataset, name=field, settings={"type": "text"})
    question = ds.add_question(
        dataset=dataset,
        name="label",
        settings={"type": "label_selection", "options": [{"value": v} for v in SOURCES[:3]]},
    )
    ds.add_metadata_property(dataset=dataset, name="source", settings={"type": "terms"})
    ds.add_metadata_property(dataset=dataset, name="length", settings={"type": "integer"})
    ds.add_metadata_property(dataset=dataset, name="score", settings={"type": "float"})
    if dimensions:
        ds.add_vector_settings(dataset=dataset, name="emb", dimensions=dimensions)
    ds.publish_dataset(dataset=dataset)
    return dataset, question


def texts(vocab, count: int, low: int, high: int, rng):
    """`count` texts of `low`..`high` words, Zipf(1)-shaped: P(rank <= k) = ln k / ln V."""
    import numpy as np

    lengths = rng.integers(low, high + 1, count)
    ranks = np.floor(np.power(len(vocab), rng.random(int(lengths.sum())))).astype(int) - 1
    chosen = np.asarray(vocab, dtype=object)[ranks]
    out, at = [], 0
    for length in lengths.tolist():
        out.append(" ".join(chosen[at : at + length]))
        at += length
    return out


def insert_records(cursor, dataset, question, count: int, *, vocab, short=False) -> None:
    """COPY the records (text made here), then their suggestions by SQL."""
    import uuid
    from datetime import UTC, datetime, timedelta

    import numpy as np

    rng = np.random.default_rng(count)
    now = datetime.now(UTC)
    columns = "id, dataset_id, external_id, fields, metadata, status, inserted_at, updated_at"
    chunk = 50_000
    with cursor.connection.cursor().copy(f"COPY records_record ({columns}) FROM STDIN") as copy:
        for start in range(0, count, chunk):
            size = min(chunk, count - start)
            prompts = texts(vocab, size, 10, 25, rng)
            first = texts(vocab, size, 5, 10, rng) if short else texts(vocab, size, 15, 35, rng)
            second = texts(vocab, size, 5, 10, rng) if short else texts(vocab, size, 15, 35, rng)
            scores = rng.random(size).round(3).tolist()
            for i in range(size):
                g = start + i
                fields = {"prompt": prompts[i], "response-1": first[i], "response-2": second[i]}
                metadata = {"source": SOURCES[g % 5], "length": g % 1000, "score": scores[i]}
                copy.write_row(
                    (
                        uuid.uuid4(),
                        dataset.pk,
                        f"r{g}",
                        orjson.dumps(fields).decode(),
                        orjson.dumps(metadata).decode(),
                        "pending",
                        now + timedelta(microseconds=g),
                        now,
                    )
                )
    cursor.execute(
        """
        INSERT INTO records_suggestion
            (id, record_id, question_id, value, score, agent, type, inserted_at, updated_at)
        SELECT gen_random_uuid(), r.id, %s, to_jsonb((%s::text[])[1 + (random() * 2)::int]),
               to_jsonb(round(random()::numeric, 3)), 'bench', 'model', now(), now()
        FROM records_record r WHERE r.dataset_id = %s
        """,
        [question.pk, SOURCES[:3], dataset.pk],
    )


def build(args):
    from django.core.management import call_command
    from django.db import connection

    from apps.accounts.models import ApiKey, Role, User
    from apps.records import vector_index

    call_command("migrate", verbosity=0)
    owner = User.objects.create(username="bench-owner", role=Role.OWNER)
    annotator = User.objects.create(username="bench-annotator", role=Role.ANNOTATOR)
    key = ApiKey.issue(user=owner, name="bench")[1]
    text, question = make_dataset("search")
    similar = None  # a server without pgvector measures text only (--vector-records 0)
    if args.vector_records:
        similar, similar_question = make_dataset("similar", dimensions=args.dimensions)
        settings = similar.vectors_settings.get()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        vocab = words(VOCABULARY)
        # Indexes after the rows: one build instead of a million insertions.
        cursor.execute("DROP INDEX record_search_gin")
        insert_records(cursor, text, question, args.records, vocab=vocab)
        cursor.execute(
            """
            INSERT INTO responses_response
                (id, record_id, user_id, values, status, inserted_at, updated_at)
            SELECT gen_random_uuid(), r.id, %s,
                   jsonb_build_object('label', jsonb_build_object('value', 'web')),
                   'submitted', now(), now()
            FROM records_record r
            WHERE r.dataset_id = %s AND (r.metadata->>'length')::int %% 10 = 0
            """,
            [annotator.pk, text.pk],
        )
        print(f"records: {time.perf_counter() - started:.0f}s", flush=True)
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("CREATE INDEX record_search_gin ON records_record USING gin (search_vector)")
        print(f"+ GIN index: {time.perf_counter() - started:.0f}s", flush=True)
        if args.vector_records:
            insert_records(
                cursor, similar, similar_question, args.vector_records, vocab=vocab, short=True
            )
            vector_index.drop_index(settings)
            cursor.execute(
                "CREATE TABLE bench_centres AS SELECT c, array_agg(random() - 0.5) AS v "
                "FROM generate_series(0, 199) c, generate_series(1, %s) d GROUP BY c",
                [args.dimensions],
            )
            cursor.execute(
                """
                INSERT INTO records_vector
                    (id, record_id, vector_settings_id, value, inserted_at, updated_at)
                SELECT gen_random_uuid(), r.id, %s,
                       (SELECT array_agg(x + (random() - 0.5) * 0.6)::real[]
                        FROM unnest(c.v) x),
                       now(), now()
                FROM records_record r
                JOIN bench_centres c ON c.c = abs(hashtext(r.id::text)) %% 200
                WHERE r.dataset_id = %s
                """,
                [settings.pk, similar.pk],
            )
            print(f"+ vectors: {time.perf_counter() - started:.0f}s", flush=True)
            vector_index.create_index(settings)
            print(f"+ HNSW index: {time.perf_counter() - started:.0f}s", flush=True)
        cursor.execute(
            "VACUUM ANALYZE records_record, records_suggestion, records_vector, responses_response"
        )
        cursor.execute("CREATE TABLE bench_meta (key text, text_dataset uuid, vector_dataset uuid)")
        similar_id = similar.pk if similar else None
        cursor.execute("INSERT INTO bench_meta VALUES (%s, %s, %s)", [key, text.pk, similar_id])
    return key, text.pk, similar_id


def load(args):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT key, text_dataset, vector_dataset FROM bench_meta")
        return cursor.fetchone()


class Client:
    def __init__(self, url: str, key: str):
        from urllib.parse import urlparse

        parsed = urlparse(url)
        self.conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        self.headers = {"X-Argilla-Api-Key": key, "Content-Type": "application/json"}

    def search(self, dataset_id, body: dict, limit: int = PAGE) -> tuple[float, dict]:
        began = time.perf_counter()
        path = f"/api/v1/datasets/{dataset_id}/records/search?limit={limit}"
        self.conn.request("POST", path, body=orjson.dumps(body), headers=self.headers)
        answer = self.conn.getresponse()
        content = answer.read()
        elapsed = (time.perf_counter() - began) * 1000
        if answer.status != 200:
            raise SystemExit(f"HTTP {answer.status}: {content[:300]!r}")
        return elapsed, orjson.loads(content)


def report(label: str, timings: list[float], totals: list[int]) -> None:
    timings = sorted(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{label:<44} p50 {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   "
        f"matches median {int(statistics.median(totals)):>9,}  (n={len(timings)})",
        flush=True,
    )


def text_body(q: str, filters: list | None = None, sort: list | None = None) -> dict:
    body = {"query": {"text": {"q": q, "field": None}} if q else None}
    body["filters"] = {"type": "and", "and": filters} if filters else None
    if sort:
        body["sort"] = sort
    return body


def measure_text(client: Client, dataset_id, vocab: list[str], n: int) -> None:
    rng = random.Random(5)

    def run(label, make):
        timings, totals = [], []
        make()  # warm up
        for _ in range(n):
            elapsed, answer = client.search(dataset_id, make())
            timings.append(elapsed)
            totals.append(answer["total"])
        report(label, timings, totals)

    def typical():  # one or two words of ranks 100-5,000
        return " ".join(rng.choice(vocab[100:5000]) for _ in range(rng.choice((1, 2))))

    source = {"entity": "metadata", "metadata_property": "source"}
    length = {"entity": "metadata", "metadata_property": "length"}
    score = {"entity": "metadata", "metadata_property": "score"}
    run("text (1-2 words, ranks 100-5,000)", lambda: text_body(typical()))
    run(
        "text + metadata terms filter",
        lambda: text_body(
            typical(), [{"type": "terms", "values": [rng.choice(SOURCES)], "scope": source}]
        ),
    )
    run("text, one common word (ranks 10-50)", lambda: text_body(rng.choice(vocab[10:50])))

    def ranged():
        low = rng.randrange(0, 950)
        return text_body(
            "",
            [{"type": "range", "ge": low, "le": low + 49, "scope": length}],
            [{"scope": score, "order": "desc"}],
        )

    run("metadata range (5%) + sort by metadata", ranged)
    status = {"entity": "response", "question": None, "property": "status"}
    run(
        "response status filter (submitted, 10%)",
        lambda: text_body("", [{"type": "terms", "values": ["submitted"], "scope": status}]),
    )


def exact_top(cursor, settings, target: list[float], k: int, source: str | None) -> list[str]:
    dims = settings.dimensions
    literal = "[" + ",".join(map(repr, target)) + "]"
    where = "AND r.metadata->>'source' = %s" if source else ""
    cursor.execute("SET LOCAL enable_indexscan = off")
    cursor.execute(
        f"SELECT r.id::text FROM records_vector v JOIN records_record r ON r.id = v.record_id "
        f"WHERE v.vector_settings_id = %s {where} "
        f"ORDER BY v.value::vector({dims}) <=> %s::vector({dims}) LIMIT %s",
        [settings.pk, *([source] if source else []), literal, k],
    )
    return [row[0] for row in cursor.fetchall()]


def measure_similarity(client: Client, similar_id, n: int) -> None:
    from django.db import connection, transaction

    from apps.datasets.models import VectorSettings

    settings = VectorSettings.objects.get(dataset_id=similar_id, name="emb")
    rng = random.Random(9)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT value FROM records_vector WHERE vector_settings_id = %s "
            "ORDER BY random() LIMIT %s",
            [settings.pk, 2 * n + 2],
        )
        seeds = [row[0] for row in cursor.fetchall()]
    targets = [[x + rng.gauss(0, 0.1) for x in seed] for seed in seeds]
    source_scope = {"entity": "metadata", "metadata_property": "source"}
    for label, filtered in (("similarity top-50", False), ("similarity top-50 + metadata", True)):
        timings, recalls = [], []
        queries = []
        for index in range(n):
            target = targets[index + (n if filtered else 0)]
            source = rng.choice(SOURCES) if filtered else None
            # Exact answers first: their sequential scan of every vector, between two timed
            # queries, evicted the HNSW index from shared_buffers (p95 72 ms instead of ~30).
            with transaction.atomic(), connection.cursor() as cursor:
                queries.append((target, source, exact_top(cursor, settings, target, 10, source)))
        client.search(similar_id, {"query": {"vector": {"name": "emb", "value": targets[-1]}}})
        for target, source, exact in queries:
            body = {
                "query": {
                    "vector": {
                        "name": "emb",
                        "value": target,
                        "record_id": None,
                        "order": "most_similar",
                    }
                },
                "filters": {"and": [{"type": "terms", "values": [source], "scope": source_scope}]}
                if filtered
                else None,
            }
            elapsed, answer = client.search(similar_id, body, limit=50)
            timings.append(elapsed)
            got = [item["record"]["id"] for item in answer["items"][:10]]
            assert len(answer["items"]) == 50, len(answer["items"])
            recalls.append(len(set(got) & set(exact)) / 10)
        report(label, timings, [50] * n)
        print(f"{'':<44} recall@10 {statistics.mean(recalls):.3f} (min {min(recalls):.1f})")


def print_server() -> None:
    """The numbers depend on the server's memory: say which server, and how much."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('shared_buffers'), "
            "current_setting('work_mem'), pg_size_pretty(pg_database_size(current_database()))"
        )
        version, shared_buffers, work_mem, size = cursor.fetchone()
    print(
        f"PostgreSQL {version}, shared_buffers {shared_buffers}, work_mem {work_mem}, "
        f"database {size}",
        flush=True,
    )


def main() -> None:
    args = parse_args()
    with scratch_database("search.py", args):
        began = time.perf_counter()
        key, dataset_id, similar_id = load(args) if args.reuse else build(args)
        if not args.reuse:
            print(f"built in {time.perf_counter() - began:.0f}s", flush=True)
        print_server()
        from api_ingest import start_server

        server, server_url = start_server(2)
        try:
            client = Client(server_url, key)
            measure_text(client, dataset_id, words(VOCABULARY), args.queries)
            if similar_id:
                measure_similarity(client, similar_id, args.queries)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
