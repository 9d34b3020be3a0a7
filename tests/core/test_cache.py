"""The database cache's one-statement `set` (apps/core/cache.py)."""

import time

from django.core.cache import cache
from django.db import connection


def _old_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM loam_cache WHERE cache_key LIKE %s", ["%old-%"])
        return cursor.fetchone()[0]


def test_set_writes_and_overwrites_in_one_statement(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        cache.set("a", [1.5, 2.5], 60)
    with django_assert_num_queries(1):
        cache.set("a", {"n": 3}, 60)
    assert cache.get("a") == {"n": 3}
    cache.set("forever", "x", None)
    assert cache.get("forever") == "x"


def test_an_entry_expires(db):
    cache.set("short", 1, 1)
    time.sleep(2.1)
    assert cache.get("short") is None


def test_a_write_deletes_expired_entries(db):
    for i in range(5):
        cache.set(f"old-{i}", i, 1)
    time.sleep(2.1)
    assert _old_rows() == 5

    cache.set("new", 1, 60)

    assert _old_rows() == 0
