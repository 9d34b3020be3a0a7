"""pgvector's `vector` type, where the server has the extension (pgvector ≥ 0.7).

A server without it (a stock Debian PostgreSQL, say) still migrates: everything but vector
search works, and `apps.core.pgvector.require()` names what is missing.
"""

from django.db import DatabaseError, migrations, transaction


def create_extension(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        if not cursor.fetchone():
            return
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except DatabaseError:
            # Not allowed to create extensions: a database owner can run the statement later.
            pass


class Migration(migrations.Migration):
    dependencies = [("records", "0005_pending_order_index")]
    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop)]
