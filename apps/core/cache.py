"""Django's database cache, with a write of one statement (settings: CACHES).

The rate limits write a count on every API request. Django's `DatabaseCache.set` spends
four statements on it (a COUNT of the whole table to decide on culling, then SELECT and
UPDATE or INSERT in a savepoint); this one is a single `INSERT … ON CONFLICT DO UPDATE`
that also deletes a few expired entries (skipping rows another writer holds), so expired
counts never pile up and no write waits for another. Reads, `add` (allauth's locks) and
everything else are Django's.
"""

import base64
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils import timezone

# Expired entries one write deletes at most: more than one write adds, so they cannot grow.
EXPIRED_PER_WRITE = 10


class DatabaseCache(DjangoDatabaseCache):
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        connection = connections[router.db_for_write(self.cache_model_class)]
        table = connection.ops.quote_name(self._table)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        now = timezone.now().replace(microsecond=0)
        with connection.cursor() as cursor:
            # The expired entries to delete exclude `key`: one statement may not both
            # delete and update a row.
            cursor.execute(
                f"WITH expired AS (DELETE FROM {table} WHERE cache_key IN ("
                f" SELECT cache_key FROM {table} WHERE expires < %s AND cache_key <> %s"
                f" LIMIT {EXPIRED_PER_WRITE} FOR UPDATE SKIP LOCKED))"
                f" INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s)"
                " ON CONFLICT (cache_key) DO UPDATE"
                " SET value = EXCLUDED.value, expires = EXCLUDED.expires",
                [
                    connection.ops.adapt_datetimefield_value(now),
                    key,
                    key,
                    encoded,
                    connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0)),
                ],
            )
