"""Inserting many model rows at once: `COPY` on PostgreSQL, `bulk_create` elsewhere.

`bulk_insert` sets each object's primary key (taken from the table's sequence before the `COPY`), as
`bulk_create` does, so rows that point at the new ones can follow. Like `bulk_create` it sends no
signals and calls no `save()`; field values are prepared by the fields themselves (`pre_save`, so
`auto_now_add` works, and `get_db_prep_save`), and a field left to its database default gets that
default's value. A value the database refuses (too long for its column, out of range, a NUL byte)
raises `RowDataError`, which names the row and the field.

`in_values` filters by many values at once (a file's citizen ids) in one query or a few.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from django.db import DataError, connections, models, router
from django.db.models import NOT_PROVIDED, Model
from django.db.models.expressions import DatabaseDefault, RawSQL

M = TypeVar("M", bound=Model)


def bulk_insert(model: type[M], objs: Sequence[M], *, batch_size: int = 1000) -> None:
    if not objs:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.using(alias).bulk_create(list(objs), batch_size=batch_size)
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = list(meta.concrete_fields)
    with connection.cursor() as cursor, connection.wrap_database_errors:  # IntegrityError as Django's
        for obj, new_id in zip(objs, _reserve_ids(cursor, model, len(objs)), strict=True):
            setattr(obj, pk.attname, new_id)
        getters = [_getter(f, connection) for f in fields]
        _copy(cursor, model, [f.attname for f in fields], ([get(obj) for get in getters] for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


_PLAIN = (
    models.CharField,  # and EmailField, SlugField…
    models.TextField,
    models.DateField,  # not DateTimeField: a subclass, with time zones
    models.BooleanField,
    models.IntegerField,
    models.BigAutoField,
    models.AutoField,
    models.ForeignKey,
    models.OneToOneField,
)


def _getter(field: Any, connection: Any) -> Callable[[Model], Any]:
    """How to take the field's value from an object for COPY: the attribute itself for plain fields
    (psycopg adapts str, int, bool, date and None), the field's own preparation for the others."""
    plain = (
        isinstance(field, _PLAIN)
        and not isinstance(field, models.DateTimeField)
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
        and field.db_default is NOT_PROVIDED
    )
    if plain:
        return attrgetter(field.attname)

    def prepared(obj: Model) -> Any:
        value = field.pre_save(obj, True)
        if isinstance(value, DatabaseDefault):
            value = _db_default(field)
        return field.get_db_prep_save(value, connection)

    return prepared


def insert_rows(
    model: type[Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    count: int,
    constants: Mapping[str, Any] | None = None,
) -> list[int]:
    """Insert `count` plain rows without building a model object per row: one `COPY` on PostgreSQL.

    `columns` are attribute names (`person_id`, not `person`); `rows` yields the rows, each with the
    values of `columns` ready for the database (str, int, bool, date, aware datetime or None). A
    generator is best: PostgreSQL stores the rows sent while
    Python makes the next ones (two processes, two cores). The other columns get their default
    (`default`, else `db_default`, else NULL or ""), computed once; no `auto_now`: pass the
    timestamps. `constants`: columns with the same value in every row (attribute name → value, such
    as the timestamps): on PostgreSQL they and the defaults are turned into text once, not per row
    (a timestamp costs about 3 µs a row to format, 0,3 s per column for 100,000 rows). Returns the
    new primary keys. Other backends: `bulk_create` (which fills `auto_now` fields itself, and the keys).
    """
    if not count:
        return []
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    constants = dict(constants or {})
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True)), **constants) for row in rows]
        model._default_manager.using(alias).bulk_create(objs, batch_size=1000)
        if any(obj.pk is None for obj in objs):
            raise NotImplementedError("insert_rows: this database does not return the new primary keys")
        return [obj.pk for obj in objs]
    fields = {f.attname: f for f in meta.concrete_fields}
    given = {*columns, *constants}
    rest = [f for f in meta.concrete_fields if f.attname not in given and f is not pk]
    fixed = [
        *((fields[name].get_db_prep_save(value, connection), name) for name, value in constants.items()),
        *((f.get_db_prep_save(_default(f), connection), f.attname) for f in rest),
    ]
    with connection.cursor() as cursor, connection.wrap_database_errors:  # IntegrityError as Django's
        ids = _reserve_ids(cursor, model, count)
        # The same text for every row: COPY's text format reads a column from its text form.
        from psycopg.adapt import PyFormat, Transformer

        text = Transformer.from_context(cursor.cursor)
        dumped = [
            None if value is None else text.get_dumper(value, PyFormat.TEXT).dump(value) for value, _ in fixed
        ]
        same = tuple(None if value is None else bytes(value).decode() for value in dumped)
        names = [pk.attname, *columns, *(name for _, name in fixed)]
        _copy(cursor, model, names, ((new_id, *row, *same) for new_id, row in zip(ids, rows, strict=True)))
    return ids


def _default(field: Any) -> Any:
    if field.has_default():
        return field.get_default()
    if field.db_default is not NOT_PROVIDED:
        return _db_default(field)
    if field.null:
        return None
    return field.get_default()  # "" for text fields


def _db_default(field: Any) -> Any:
    """The value of the field's database default (a plain value or a `Value()` expression)."""
    return getattr(field.db_default, "value", field.db_default)


def _reserve_ids(cursor: Any, model: type[Model], count: int) -> list[int]:
    """`count` new primary keys from the table's sequence (PostgreSQL), in one query."""
    meta = model._meta
    assert meta.pk is not None
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [meta.db_table, meta.pk.column, count],
    )
    return [new_id for (new_id,) in cursor.fetchall()]


class RowDataError(DataError):
    """The database refused a value of a bulk insert (too long for its column, out of range, a NUL
    byte): in the `row`-th row sent (from 0), of the field `field` (an attribute name; None when the
    database did not say). Raised from the database's DataError, which stays its `__cause__`."""

    def __init__(self, message: str, *, row: int | None, field: str | None) -> None:
        super().__init__(message)
        self.row = row
        self.field = field


# What PostgreSQL says of a refused COPY row: "COPY org_person, line 3, column email: "…"".
_COPY_CONTEXT = re.compile(r"COPY [^,]+, line (\d+)(?:, column ([^:]+))?")


def _copy(cursor: Any, model: type[Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` (values of the `attnames` columns, ready for the database) into the model's table.
    A refused value raises `RowDataError`: the row and column PostgreSQL names in its error's context
    (a value the server refuses), else the row being sent (a value psycopg cannot send, such as a NUL
    byte, refused before it leaves)."""
    import psycopg

    meta = model._meta
    quote = cursor.db.ops.quote_name
    column_of = {f.attname: f.column for f in meta.concrete_fields}
    columns = ", ".join(quote(column_of[a]) for a in attnames)
    sent, row = 0, None
    try:
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            write = copy.write_row
            for sent, row in enumerate(rows):  # noqa: B007 (read after the loop, on an error)
                write(row)
    except psycopg.DataError as exc:
        found = _COPY_CONTEXT.search(getattr(exc.diag, "context", None) or "")
        if found:
            attname_of = {f.column: f.attname for f in meta.concrete_fields}
            raise RowDataError(
                str(exc), row=int(found.group(1)) - 1, field=attname_of.get((found.group(2) or "").strip())
            ) from exc
        # Without the server's context, a row is named only when it holds the NUL psycopg refused.
        bad = [i for i, value in enumerate(row or ()) if isinstance(value, str) and "\x00" in value]
        raise RowDataError(
            str(exc), row=sent if bad else None, field=attnames[bad[0]] if bad else None
        ) from exc


def in_values(
    model: type[Model], field: str, values: Sequence[Any], sql_type: str
) -> Iterator[dict[str, Any]]:
    """Filters `field__in=values` for many values: ONE query with an array parameter (of `sql_type`)
    on PostgreSQL (100,000 placeholders in chunks cost a second of query building), chunks of
    `IN_CHUNK` elsewhere (SQLite allows 32,766 parameters a query). Nothing for no values."""
    if not values:
        return
    if connections[router.db_for_read(model)].vendor == "postgresql":
        yield {f"{field}__in": RawSQL(f"SELECT unnest(%s::{sql_type}[])", [list(values)])}
        return
    for start in range(0, len(values), IN_CHUNK):
        yield {f"{field}__in": values[start : start + IN_CHUNK]}


IN_CHUNK = 2000
