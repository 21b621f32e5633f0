"""Trigram indexes for diacritic-free 'contains' search on PostgreSQL.

On SQLite the b-tree indexes on `name_folded` (migration 0001) serve prefix searches, and a
substring search over tens of thousands of rows is a fast scan; PostgreSQL gets GIN trigram
indexes so that `name_folded LIKE '%...%'` stays indexed at national scale.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_name_trgm ON org_person USING gin (name_folded gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS unit_name_trgm ON org_unit USING gin (name_folded gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS person_name_trgm", "DROP INDEX IF EXISTS unit_name_trgm"]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
