"""Database upkeep the application does itself."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models, transaction

# An import this large changes a table's statistics enough to mislead the planner until autovacuum
# comes by (a name search planned for an empty table scanned a million rows: 17 s).
ANALYZE_AFTER_ROWS = 1000


def analyze(model_types: Iterable[type[models.Model]] | None = None) -> None:
    """Refresh PostgreSQL's planner statistics of these tables (of every table if None), now.

    Elsewhere (SQLite) nothing: its planner needs no statistics for the sizes it serves."""
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if model_types is None:
            cursor.execute("ANALYZE")
            return
        for model in model_types:
            cursor.execute(f"ANALYZE {qn(model._meta.db_table)}")


def analyze_after_commit(model_types: Iterable[type[models.Model]], rows: int) -> None:
    """After a bulk write of `rows` rows commits, refresh the statistics of its tables (only for a
    large write: a small one changes nothing the planner cares about)."""
    if rows < ANALYZE_AFTER_ROWS:
        return
    chosen = list(model_types)
    transaction.on_commit(lambda: analyze(chosen))
