"""What a query count depends on the database for."""

from django.db import connection


def row_locks(n: int = 1) -> int:
    """Statements that only lock rows: PostgreSQL runs them, SQLite (whose writers are
    serialised by BEGIN IMMEDIATE) has no row locks and skips them."""
    return n if connection.features.has_select_for_update else 0
