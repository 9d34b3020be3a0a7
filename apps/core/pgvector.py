"""Whether the database has pgvector, and the one error a feature that needs it raises.

Loam runs on any PostgreSQL ≥ 15; vector search needs the `vector` extension ≥ 0.7 (the
embedded server and the managed services ship it; migration records/0006 creates it).
"""

from django.db import connection
from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed

MIN_VERSION = (0, 7)


def installed_version() -> tuple[int, ...] | None:
    """The `vector` extension's version in this database, or None (one query)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    return tuple(int(part) for part in row[0].split(".") if part.isdigit()) if row else None


def require(loc: tuple = ()) -> None:
    """Raise a ValidationFailed (HTTP 422) naming the missing extension unless this database
    has pgvector ≥ MIN_VERSION."""
    version = installed_version()
    if version is None:
        message = _(
            "Vectors need the PostgreSQL extension 'vector' (pgvector %(min)s or newer), which "
            "this database server does not have: install pgvector, or use the embedded server."
        )
    elif version < MIN_VERSION:
        message = _(
            "Vectors need the PostgreSQL extension 'vector' %(min)s or newer; this database "
            "has %(found)s."
        )
    else:
        return
    raise ValidationFailed.single(
        loc,
        message
        % {"min": ".".join(map(str, MIN_VERSION)), "found": ".".join(map(str, version or ()))},
    )
