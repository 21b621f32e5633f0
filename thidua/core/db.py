"""Database upkeep the application does itself."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, router, transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.utils import timezone

# An import this large changes a table's statistics enough to mislead the planner until autovacuum
# comes by (a name search planned for an empty table scanned a million rows: 17 s).
ANALYZE_AFTER_ROWS = 1000


# The GIN indexes of some tables (of every table if no table is named): their pending lists merged.
_GIN_CLEAN_SQL = """
SELECT gin_clean_pending_list(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
WHERE a.amname = 'gin' AND (cardinality(%s::regclass[]) = 0 OR i.indrelid = ANY(%s::regclass[]))
  AND pg_has_role(c.relowner, 'USAGE')
"""


def analyze(model_types: Iterable[type[models.Model]] | None = None) -> None:
    """After a bulk load, now: refresh PostgreSQL's planner statistics of these tables (of every table
    if None), and merge the pending lists of their GIN indexes, which every search through such an
    index reads whole until autovacuum merges them (the name search of `org.0009`: up to 64 pages,
    `org.0011`).

    Elsewhere (SQLite) nothing: its planner needs no statistics for the sizes it serves."""
    if connection.vendor != "postgresql":
        return
    qn = connection.ops.quote_name
    tables = [] if model_types is None else [model._meta.db_table for model in model_types]
    with connection.cursor() as cursor:
        if model_types is None:
            cursor.execute("ANALYZE")
        for table in tables:
            cursor.execute(f"ANALYZE {qn(table)}")
        cursor.execute(_GIN_CLEAN_SQL, [tables, tables])


def analyze_after_commit(model_types: Iterable[type[models.Model]], rows: int) -> None:
    """After a bulk write of `rows` rows commits, refresh the statistics of its tables (only for a
    large write: a small one changes nothing the planner cares about)."""
    if rows < ANALYZE_AFTER_ROWS:
        return
    chosen = list(model_types)
    transaction.on_commit(lambda: analyze(chosen))


# The tables' published write counters (what `pg_stat_user_tables` shows as n_tup_ins, n_tup_upd and
# n_tup_del, read from the functions behind that view: planning the view costs PostgreSQL about 2 ms,
# these about 0.1 ms), and the transaction's id if it has written anything.
_VERSION_SQL = """
SELECT t.oid, pg_stat_get_tuples_inserted(t.oid), pg_stat_get_tuples_updated(t.oid),
       pg_stat_get_tuples_deleted(t.oid), pg_current_xact_id_if_assigned()
FROM unnest(%s::regclass[]) AS t(oid) ORDER BY t.oid
"""
MAX_AGE = 600
# name → (version, when kept, rows): the latest rows of each figure, in this process.
_KEPT: dict[str, tuple[str, float, list[list[Any]]]] = {}


def tables_version(model_types: Iterable[type[models.Model]]) -> str | None:
    """A text that changes whenever a row of these tables is inserted, updated or deleted, by anyone
    (a service, an import, COPY, plain SQL): PostgreSQL's own write counters
    (`pg_stat_user_tables`), which a session publishes once its transaction has ended and it is idle
    (within a second, at most about ten). None where there are none (SQLite), and None inside a
    transaction that has written: what it computes includes its own uncommitted rows, for itself only."""
    if connection.vendor != "postgresql":
        return None
    tables = [m._meta.db_table for m in model_types]
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [tables])
        rows = cursor.fetchall()
    if any(row[-1] is not None for row in rows):
        return None
    return "-".join(str(v) for row in rows for v in row[:-1]) or "none"


def cached_rows(
    name: str, model_types: Iterable[type[models.Model]], compute: Callable[[], list[list[Any]]]
) -> list[list[Any]]:
    """`compute()` (rows of JSON values), kept until a row of these tables changes
    (`tables_version`): in the process's memory, and in the database (`SharedFigure`) so that
    every web worker, on every machine, and a worker just restarted, reuse one computation.
    Computed on every call on SQLite (small databases) and inside a transaction that has written.
    The rows are shared by every caller of the process: read them, never change them."""
    version = tables_version(model_types)
    if version is None:
        return compute()
    kept = _KEPT.get(name)
    if kept is not None and kept[0] == version and time.monotonic() - kept[1] < MAX_AGE:
        return kept[2]  # as they are: a cache would unpickle them on every read (3 ms for 1,000 rows)
    rows: list[list[Any]]
    from thidua.core.models import SharedFigure

    fresh = timezone.now() - timedelta(seconds=MAX_AGE)  # should the statistics be switched off
    stored = (
        SharedFigure.objects.filter(name=name, version=version, computed_at__gte=fresh)
        .values_list("rows", flat=True)
        .first()
    )
    if stored is not None:
        rows = list(stored)
    else:
        rows = compute()
        figure = SharedFigure(name=name, version=version, rows=rows, computed_at=timezone.now())
        SharedFigure.objects.bulk_create(  # one INSERT … ON CONFLICT UPDATE, whoever wrote first
            [figure],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["version", "rows", "computed_at"],
        )
    _KEPT[name] = (version, time.monotonic(), rows)
    return rows


def compile_sql(queryset: models.QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL and parameters of `queryset`, compiled for the database it reads from (`queryset.db`:
    the router's read database, the replica inside `replica_reads()`); None when it can match nothing
    (a condition such as `pk__in=[]`, or a scope without units, that Django does not even send)."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None
    return sql, tuple(params)


def literal_sql(alias: str, sql: str, params: Sequence[Any]) -> str:
    """PostgreSQL: `sql` with its parameters written into the text, quoted by psycopg as Django's own
    cursor does: for COPY, which takes no parameters, and for a text PostgreSQL prepares once."""
    from psycopg import ClientCursor

    connection = connections[alias]
    connection.ensure_connection()
    return ClientCursor(connection.connection).mogrify(sql, params)


# Compiled SQL by key: (model, sql, params), or (model, None) for a queryset that matches nothing.
# Bounded (cleared when full); a key names everything the queryset depends on.
_COMPILED: dict[Any, tuple[type[models.Model], tuple[str, tuple[Any, ...]] | None]] = {}
COMPILED_MAX = 2000


def compiled_rows(key: Any, build: Callable[[], models.QuerySet[Any]]) -> list[tuple[Any, ...]]:
    """The rows of the queryset `build()` returns (its `values()` columns, in order), read fresh on
    every call, but compiled to SQL once per `key` in this process: the ORM's compiling of a scoped
    queryset (subqueries, many OR terms) costs several milliseconds of CPU, the query itself less.
    `key` must name every input of `build` (the user's grants, the year…): nothing else is checked.
    The query goes through Django's cursor wrapper: counted by `CaptureQueriesContext` (and
    `django_assert_num_queries`), logged with DEBUG, seen by `connection.execute_wrapper`."""
    entry = _COMPILED.get(key)
    if entry is None:
        queryset = build()
        entry = (queryset.model, compile_sql(queryset))
        if len(_COMPILED) >= COMPILED_MAX:
            _COMPILED.clear()
        _COMPILED[key] = entry
    model, compiled = entry
    if compiled is None:
        return []
    sql, params = compiled
    alias = router.db_for_read(model) or DEFAULT_DB_ALIAS
    connection = connections[alias]
    if connection.vendor == "postgresql":
        # Planned once per database connection too: the values written into the text
        # (`literal_sql`) and the text prepared, without parameters, from its second run on the
        # connection (a user's next page), so that PostgreSQL keeps its plan; Django's cursor has it
        # planned again on every call (about 2 ms for a scoped count of the dashboard). Django leaves
        # psycopg's preparing off (`prepare_threshold` None); the threshold set here acts only on
        # these server-binding cursors: Django's own client-binding cursors never prepare. psycopg
        # keeps the 100 most recent statements of a connection. A pooler in front of PostgreSQL
        # must keep prepared statements (docs/deploy.md). The psycopg cursor is wrapped as Django
        # wraps its own (the same errors, `connection.execute_wrapper` hooks), and the query logged
        # as Django logs its own when queries are logged (DEBUG, `CaptureQueriesContext`): with its
        # text, which Django's debug wrapper reads back from psycopg and finds none of for a prepared
        # statement.
        from psycopg import Cursor

        text = literal_sql(alias, sql, params)
        raw = connection.connection
        if raw.prepare_threshold is None:
            raw.prepare_threshold = 1
        connection.validate_thread_sharing()
        with CursorWrapper(Cursor(raw), connection) as cursor:  # what `connection.make_cursor` makes
            logged = CursorDebugWrapper(cursor.cursor, connection).debug_sql(text)
            with logged if connection.queries_logged else nullcontext():
                cursor.execute(text)
            return list(cursor.fetchall())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def forget_figures() -> None:
    """Drop this process's copies of `cached_rows` (a test playing a worker just started)."""
    _KEPT.clear()
