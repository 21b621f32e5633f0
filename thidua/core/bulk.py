"""Inserting many model rows at once: `COPY` on PostgreSQL, `bulk_create` elsewhere.

`bulk_insert` sets each object's primary key (taken from the table's sequence before the `COPY`), as
`bulk_create` does, so rows that point at the new ones can follow. Like `bulk_create` it sends no
signals and calls no `save()`; field values are prepared by the fields themselves (`pre_save`, so
`auto_now_add` works, and `get_db_prep_save`), and a field left to its database default gets that
default's value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.models import NOT_PROVIDED, Model
from django.db.models.expressions import DatabaseDefault

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
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor, connection.wrap_database_errors:  # IntegrityError as Django's
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        for obj, (new_id,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, new_id)
        getters = [_getter(f, connection) for f in fields]
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            write = copy.write_row
            for obj in objs:
                write([get(obj) for get in getters])
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
            default = field.db_default  # a plain value or a Value() expression
            value = getattr(default, "value", default)
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
    quote = connection.ops.quote_name
    names = ", ".join(quote(fields[a].column) for a in [pk.attname, *columns, *(name for _, name in fixed)])
    with connection.cursor() as cursor, connection.wrap_database_errors:  # IntegrityError as Django's
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, count],
        )
        ids = [new_id for (new_id,) in cursor.fetchall()]
        # The same text for every row: COPY's text format reads a column from its text form.
        from psycopg.adapt import PyFormat, Transformer

        text = Transformer.from_context(cursor.cursor)
        dumped = [
            None if value is None else text.get_dumper(value, PyFormat.TEXT).dump(value) for value, _ in fixed
        ]
        same = tuple(None if value is None else bytes(value).decode() for value in dumped)
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for new_id, row in zip(ids, rows, strict=True):
                write((new_id, *row, *same))
    return ids


def _default(field: Any) -> Any:
    if field.has_default():
        return field.get_default()
    if field.db_default is not NOT_PROVIDED:
        return getattr(field.db_default, "value", field.db_default)
    if field.null:
        return None
    return field.get_default()  # "" for text fields
