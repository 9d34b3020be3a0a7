"""The table of Django's database cache (settings: CACHES), which the rate limits share
across web processes. `createcachetable` skips a table that exists and caches that are not
on the database (REDIS_URL), so this is safe everywhere; run it again by hand after moving
from Redis to the database cache."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False),
    ]
