# The name-search index (org.0009) takes new entries into a pending list first, which every search
# reads from end to end: up to 4 MB (PostgreSQL's default `gin_pending_list_limit`), about 500 pages
# a search until autovacuum merges it, 3 ms of a 20 ms search at 1,000,000 people (docs/scale.md).
# A 512 kB limit bounds that to 64 pages; the people import is no slower for it (100,000 people:
# 7.45 s with 4 MB, 6.34 s with 512 kB, on a shared machine). After a bulk load the list is also
# merged at once (`thidua.core.db.analyze`). PostgreSQL only.

from django.db import migrations


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS person_name_search SET (gin_pending_list_limit = 512)")


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX IF EXISTS person_name_search RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("org", "0010_person_fewer_indexes")]
    operations = [migrations.RunPython(forward, backward)]
