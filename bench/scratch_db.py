"""A throw-away PostgreSQL database for a benchmark, and Django set up against it."""

import os
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def scratch_urls(label: str, reuse: str | None = None) -> tuple[str, str, str]:
    """(admin URL, scratch database URL, scratch database name) from DATABASE_URL; with
    `reuse`, that database instead of a new name."""
    parts = urlparse(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(f"bench/{label} needs DATABASE_URL=postgres://… (a PostgreSQL server)")
    name = reuse or f"loam_bench_{Path(label).stem}_{uuid.uuid4().hex[:8]}"
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
