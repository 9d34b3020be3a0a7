"""Two requests creating the same username at once, played out on two real connections."""

import threading
import time
from contextlib import contextmanager

from django.db import connection, transaction

from apps.accounts.models import User


@contextmanager
def username_taken_alongside(username: str, timeout: float = 10.0):
    """Inside the block, another connection has inserted `username` without committing; it
    commits once some connection waits on it (this thread's insert of the same name), so
    that insert has passed every check and then meets the unique index."""
    inserted, failure = threading.Event(), []

    def other_request():
        try:
            with transaction.atomic():
                User.objects.create(username=username)
                inserted.set()
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline and not _someone_waits_on_a_lock():
                    time.sleep(0.02)
        except Exception as error:  # reported to the test below
            failure.append(error)
            inserted.set()
        finally:
            connection.close()

    thread = threading.Thread(target=other_request)
    thread.start()
    inserted.wait(timeout)
    try:
        yield
    finally:
        thread.join(timeout)
    assert not failure, failure


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0
