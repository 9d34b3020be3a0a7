"""A throw-away PostgreSQL database for a benchmark, and Django set up against it."""

import os
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def add_database_args(parser) -> None:
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--reuse", metavar="DATABASE", help="run on a database kept by an earlier --keep run"
    )


@contextmanager
def scratch_database(label: str, args):
    """Django set up on a new scratch database (dropped at the end unless `args.keep`), or
    on the kept one `args.reuse` names (never dropped). Yields its URL."""
    admin_url, bench_url, name = scratch_urls(label, reuse=args.reuse)
    if not args.reuse:
        admin_sql(admin_url, f'CREATE DATABASE "{name}"')
    print(f"database {name}")
    try:
        setup_django(bench_url)
        yield bench_url
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):
            admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped {name}")


def scratch_urls(label: str, reuse: str | None = None) -> tuple[str, str, str]:
    """(admin URL, scratch database URL, scratch database name) on DATABASE_URL's server, or
    on the embedded one (started, and held by this process); with `reuse`, that database
    instead of a new name."""
    name = reuse or f"loam_bench_{Path(label).stem}_{uuid.uuid4().hex[:8]}"
    if not os.environ.get("DATABASE_URL"):
        sys.path.insert(0, str(ROOT))
        from config.embedded_postgres import server

        data_dir = Path(os.environ.get("LOAM_DATA_DIR") or ROOT / ".loam").resolve()
        return server.url(data_dir, "postgres"), server.url(data_dir, name), name
    parts = urlparse(os.environ["DATABASE_URL"])
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"bench/{label} needs DATABASE_URL=postgres://… (a PostgreSQL server)")
    admin = urlunparse(parts._replace(path="/postgres"))
    return admin, urlunparse(parts._replace(path=f"/{name}")), name


def admin_sql(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def setup_django(url: str) -> None:
    """Django on `url`, configured as in production (DEBUG off: no per-query logging)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
