"""Bulk ingest through the HTTP API, in requests of 500 records; prints records/s.

Run on demand (not part of the tests), against the same database the server uses (the
embedded one without DATABASE_URL):

    .venv/bin/python bench/api_ingest.py --records 20000
    DATABASE_URL=postgres://... .venv/bin/python bench/api_ingest.py --records 20000
    .venv/bin/python bench/api_ingest.py --url http://127.0.0.1:8000 --api-key KEY

The dataset (3 text fields, 3 metadata properties, 1 question) is created through the service
layer; each record carries 3 text fields, 3 metadata values and 1 suggestion (DESIGN.md §6).
Without --url a gunicorn server is started on a free port and stopped at the end, configured as
in production (DEBUG off, so no per-query logging). Then the same records go through the
argilla 2.x SDK's `records.log` into a second dataset (skip with --no-sdk).
"""

import argparse
import http.client
import os
import random
import secrets
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import orjson

ROOT = Path(__file__).resolve().parent.parent
BATCH = 500


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def make_dataset(api_key: str | None, vectors: int = 0) -> tuple[str, str, str]:
    """(dataset id, question id, api key): a published dataset in a fresh workspace."""
    from apps.accounts.models import ApiKey, Role, User
    from apps.datasets import services as ds
    from apps.workspaces import services as ws

    tag = uuid.uuid4().hex[:8]
    if api_key is None:
        user = User.objects.create(username=f"bench-{tag}", role=Role.OWNER)
        api_key = ApiKey.issue(user=user, name="bench")[1]
    workspace = ws.create_workspace(name=f"bench-{tag}")
    dataset = ds.create_dataset(workspace=workspace, name=f"bench-{tag}")
    for name in ("text", "context", "answer"):
        ds.add_field(dataset=dataset, name=name, settings={"type": "text"})
    question = ds.add_question(
        dataset=dataset,
        name="label",
        settings={"type": "label_selection", "options": [{"value": "pos"}, {"value": "neg"}]},
    )
    ds.add_metadata_property(dataset=dataset, name="source", settings={"type": "terms"})
    ds.add_metadata_property(dataset=dataset, name="length", settings={"type": "integer"})
    ds.add_metadata_property(dataset=dataset, name="score", settings={"type": "float"})
    if vectors:
        ds.add_vector_settings(dataset=dataset, name="emb", dimensions=vectors)
    ds.publish_dataset(dataset=dataset)
    return str(dataset.id), str(question.id), api_key


def batch_body(start: int, size: int, question_id: str, vectors: int = 0) -> bytes:
    rng = random.Random(start)
    items = [
        {
            "external_id": f"r{i}",
            "fields": {
                "text": f"Record {i}: the quick brown fox jumps over the lazy dog. " * 4,
                "context": f"Some context for record {i}, long enough to be realistic.",
                "answer": f"An answer {i}",
            },
            "metadata": {"source": "bench", "length": i % 500, "score": (i % 100) / 100},
            "suggestions": [
                {"question_id": question_id, "value": "pos" if i % 2 else "neg", "score": 0.8}
            ],
        }
        for i in range(start, start + size)
    ]
    if vectors:
        for item in items:
            item["vectors"] = {"emb": [rng.gauss(0, 1) for _ in range(vectors)]}
    return orjson.dumps({"items": items})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(port: int) -> dict:
    """Production settings: DEBUG on would log every query and serve the debug pages."""
    env = dict(
        os.environ,
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback, no TLS proxy in front
        ALLOWED_HOSTS=f"127.0.0.1,localhost,127.0.0.1:{port}",
    )
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    return env


def start_server(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env(port),
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/status")
            if conn.getresponse().status == 200:
                return server, url
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def send(url: str, api_key: str, path: str, bodies: list[bytes]) -> None:
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=300)
    headers = {"X-Argilla-Api-Key": api_key, "Content-Type": "application/json"}
    for body in bodies:
        conn.request("POST", path, body=body, headers=headers)
        answer = conn.getresponse()
        content = answer.read()
        if answer.status != 201:
            raise SystemExit(f"HTTP {answer.status}: {content[:500]!r}")


def sdk_records(start: int, size: int) -> list[dict]:
    """The records of `batch_body` as the argilla 2.x SDK logs them (keys name fields,
    metadata and questions; `id` is the external id)."""
    import argilla as rg

    return [
        rg.Record(
            id=f"s{i}",
            fields={
                "text": f"Record {i}: the quick brown fox jumps over the lazy dog. " * 4,
                "context": f"Some context for record {i}, long enough to be realistic.",
                "answer": f"An answer {i}",
            },
            metadata={"source": "bench", "length": i % 500, "score": (i % 100) / 100},
            suggestions=[rg.Suggestion("label", "pos" if i % 2 else "neg", score=0.8)],
        )
        for i in range(start, start + size)
    ]


def time_sdk(url: str, api_key: str, dataset_id: str, count: int) -> float:
    """Seconds for the argilla 2.x SDK's `records.log` to upsert `count` records (PUT bulk)."""
    import argilla as rg

    client = rg.Argilla(api_url=url, api_key=api_key, timeout=300)
    dataset = client.datasets(id=dataset_id).get()  # .get() loads its settings
    records = sdk_records(0, count)
    began = time.perf_counter()
    dataset.records.log(records, batch_size=BATCH)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--url", help="a running server; default: start gunicorn")
    parser.add_argument("--api-key", help="an owner's key; default: create an owner")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers we start")
    parser.add_argument("--concurrency", type=int, default=1, help="parallel client connections")
    parser.add_argument("--no-sdk", action="store_true", help="skip the argilla SDK timing")
    parser.add_argument(
        "--vectors", type=int, default=0, help="a vector of this many dimensions per record"
    )
    args = parser.parse_args()

    setup_django()
    dataset_id, question_id, api_key = make_dataset(args.api_key, args.vectors)
    sdk_dataset_id = None if args.no_sdk else make_dataset(api_key)[0]
    server = None
    url = args.url
    if url is None:
        server, url = start_server(args.workers)
    try:
        bodies = [
            batch_body(start, min(BATCH, args.records - start), question_id, args.vectors)
            for start in range(0, args.records, BATCH)
        ]
        path = f"/api/v1/datasets/{dataset_id}/records/bulk"
        lanes = [bodies[i :: args.concurrency] for i in range(args.concurrency)]
        began = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(lambda lane: send(url, api_key, path, lane), lanes))
        elapsed = time.perf_counter() - began
        sdk_elapsed = None
        if sdk_dataset_id is not None:
            sdk_elapsed = time_sdk(url, api_key, sdk_dataset_id, args.records)
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    print(
        f"{args.records} records in {elapsed:.2f} s: {args.records / elapsed:,.0f} records/s "
        f"({len(bodies)} requests of ≤{BATCH}, concurrency {args.concurrency}"
        + (f", a {args.vectors}-dim vector each)" if args.vectors else ")")
    )
    if sdk_elapsed is not None:
        print(
            f"argilla SDK records.log: {args.records} records in {sdk_elapsed:.2f} s: "
            f"{args.records / sdk_elapsed:,.0f} records/s (batch_size {BATCH})"
        )


if __name__ == "__main__":
    main()
