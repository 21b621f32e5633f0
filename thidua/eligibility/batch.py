"""Whole-organisation eligibility, set-based: one query per history table, numpy columns, one pass.

`organisation_columns` reads every individual of a subtree and their history straight into the
columns of `thidua.rules.columnar` (no per-person Python objects, no per-person queries);
`evaluate_organisation` runs the columnar engine on them. Verdicts agree with the per-case
interpreter (tested); reasons for one person come from `services.evaluate_person`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet

from thidua.core.db import compile_sql, literal_sql
from thidua.eligibility.services import default_as_of, ruleset_on
from thidua.history.models import AwardRecord, Discipline, Initiative, Leave, PendingProceeding, Rating
from thidua.org.models import Person, Unit
from thidua.rules import vocab
from thidua.rules.columnar import (
    LEAVE_CODES,
    NO_DATE,
    POOLS,
    BatchVerdicts,
    Columns,
    evaluate_columns,
)

I32 = npt.NDArray[np.int32]
STREAM_ROWS = 50_000
"""History rows are read through a server-side cursor (PostgreSQL) in batches of this many and
turned into columns batch by batch: memory follows the columns, not millions of Python tuples."""

Step = Callable[[str], None]


def _col(values: list[Any]) -> I32:
    return np.asarray(values, dtype=np.int32)


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day else NO_DATE


@dataclass
class OrganisationVerdicts:
    person_ids: npt.NDArray[np.int64]
    verdicts: BatchVerdicts
    ruleset: str
    year: int
    as_of: date

    def counts(self) -> dict[str, dict[str, int]]:
        return self.verdicts.counts()

    def eligible_person_ids(self, item_id: str) -> list[int]:
        j = self.verdicts.items.index(item_id)
        return [int(pid) for pid in self.person_ids[self.verdicts.codes[:, j] == 0]]


def _stream(qs: Any, fields: tuple[str, ...]) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of `qs` (values_list of `fields`) in batches, through a server-side cursor."""
    batch: list[tuple[Any, ...]] = []
    for row in qs.values_list(*fields).iterator(chunk_size=STREAM_ROWS):
        batch.append(row)
        if len(batch) >= STREAM_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


# --- PostgreSQL: integer columns straight from the server -------------------------------------
#
# On PostgreSQL each table is one `COPY (SELECT …) TO STDOUT (FORMAT binary)` whose columns are already
# integers (codes by CASE, dates as ordinals): fixed-size rows that numpy reads in one call, with no
# Python object per row. Elsewhere (SQLite) the rows are read batch by batch and converted in Python.


def _q(column: str) -> str:
    return '"t"."' + column.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_code(column: str, codes: dict[str, int], other: int = -1) -> str:
    whens = " ".join(f"WHEN {_literal(k)} THEN {v}" for k, v in codes.items())
    return f"CASE {_q(column)} {whens} ELSE {other} END" if codes else str(other)


def sql_ordinal(column: str, missing: int) -> str:
    """date.toordinal() of a date column; `missing` where it is NULL."""
    return f"COALESCE(({_q(column)} - DATE '0001-01-01') + 1, {missing})"


def _copy_columns(
    qs: Any, fields: tuple[str, ...], exprs: list[str], key: str = "person_id"
) -> list[npt.NDArray[Any]]:
    """[`key` (the person's id, int64), *one int32 column per expression] of `qs`, by binary COPY from
    the database `qs` reads from (the router's read database); empty columns when it matches nothing."""
    from django.db import connections

    selected = qs.values_list(key, *fields)
    compiled = compile_sql(selected)
    if compiled is None:
        return [np.zeros(0, dtype=np.int64), *(np.zeros(0, dtype=np.int32) for _ in exprs)]
    inner, params = compiled
    select = ", ".join([f"COALESCE({_q(key)}, 0)::int8", *(f"({e})::int4" for e in exprs)])
    alias = selected.db
    sql = literal_sql(alias, f"SELECT {select} FROM ({inner}) AS t", params)
    connection = connections[alias]
    buffer = bytearray()
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT binary)") as copy,
    ):
        for block in copy:
            buffer += block
    dtype = np.dtype(
        [("n", ">i2"), ("l0", ">i4"), ("c0", ">i8")]
        + [item for k in range(len(exprs)) for item in ((f"l{k + 1}", ">i4"), (f"c{k + 1}", ">i4"))]
    )
    header = 19 + int.from_bytes(buffer[15:19], "big")  # signature, flags, header extension
    rows = (len(buffer) - header - 2) // dtype.itemsize  # the file ends with a -1 field count
    data = np.frombuffer(buffer, dtype=dtype, offset=header, count=rows)
    out: list[npt.NDArray[Any]] = [data["c0"].astype(np.int64)]
    out += [data[f"c{k + 1}"].astype(np.int32) for k in range(len(exprs))]
    return out


def organisation_columns(
    unit: Unit, *, year: int, as_of: date, codes: list[str], step: Step | None = None
) -> tuple[npt.NDArray[np.int64], Columns]:
    """Every person of `unit`'s subtree in `year` (a position held in it during the year: the one
    query `Person.objects.of_unit`, reach "subtree"; recruited by `as_of`) and their history.
    `step` is told, in Vietnamese, which table is being read (a job's progress)."""
    say = step or (lambda _message: None)
    people: QuerySet[Person] = Person.objects.of_unit(unit, year, reach="subtree").exclude(
        recruited_on__gt=as_of
    )
    say("Đang đọc danh sách nhân sự")
    from django.db import connections

    on_postgres = connections[people.db].vendor == "postgresql"
    if on_postgres:
        ids, recruited = _copy_columns(
            people.order_by(), ("recruited_on",), [sql_ordinal("recruited_on", -1)], key="id"
        )
        order = np.argsort(ids, kind="stable")
        ids, recruited = ids[order], recruited[order]
    else:
        id_parts: list[npt.NDArray[np.int64]] = []
        recruited_parts: list[I32] = []
        for batch in _stream(people.order_by("pk"), ("pk", "recruited_on")):
            id_parts.append(np.fromiter((pk for pk, _ in batch), dtype=np.int64, count=len(batch)))
            recruited_parts.append(
                np.fromiter((r.toordinal() if r else -1 for _, r in batch), dtype=np.int32, count=len(batch))
            )
        ids = np.concatenate(id_parts) if id_parts else np.zeros(0, dtype=np.int64)
        recruited = np.concatenate(recruited_parts) if recruited_parts else np.zeros(0, dtype=np.int32)
    n = len(ids)
    code_of = {c: i for i, c in enumerate(codes)}
    # A subquery, computed once, rather than a join to units in every history table. The whole
    # organisation needs no filter at all.
    subtree: dict[str, Any] = (
        {"person__isnull": False} if unit.parent_id is None else {"person_id__in": people.values("pk")}
    )

    def index(person_ids: Any) -> tuple[I32, npt.NDArray[np.bool_]]:
        arr = np.asarray(person_ids, dtype=np.int64)
        pos = np.searchsorted(ids, arr)
        pos = np.minimum(pos, max(n - 1, 0))
        ok = (ids[pos] == arr) if n else np.zeros(len(arr), dtype=bool)
        return pos.astype(np.int32), ok

    parts: dict[str, list[I32]] = {}

    def table(
        prefix: str,
        label: str,
        qs: Any,
        fields: tuple[str, ...],
        convert: Callable[..., dict[str, list[int]]],
        sql: dict[str, str],
    ) -> None:
        """The integer columns of `qs`: on PostgreSQL the expressions `sql` (over `fields`) by binary
        COPY, elsewhere `fields` batch by batch turned into columns by `convert(*columns)`."""
        say(f"Đang đọc {label}")
        parts.setdefault(f"{prefix}_subject", [])
        if on_postgres:
            copied_ids, *copied = _copy_columns(qs, fields, list(sql.values()))
            subject, ok = index(copied_ids)
            parts[f"{prefix}_subject"].append(subject[ok])
            for name, array in zip(sql, copied, strict=True):
                parts.setdefault(f"{prefix}_{name}", []).append(array[ok])
            return
        for batch in _stream(qs, ("person_id", *fields)):
            person_ids, *values = (list(col) for col in zip(*batch, strict=True))
            subject, ok = index(person_ids)
            parts[f"{prefix}_subject"].append(subject[ok])
            for name, column in convert(*values).items():
                parts.setdefault(f"{prefix}_{name}", []).append(_col(column)[ok])

    table(
        "rating",
        "xếp loại",
        Rating.objects.filter(**subtree, year__lte=year),
        ("year", "value"),
        lambda yr, val: {"year": yr, "value": [vocab.RATING_RANK[v] for v in val]},
        {"year": _q("year"), "value": sql_code("value", vocab.RATING_RANK)},
    )
    # Titles count by the year they reward (as in the case contract); forms by their decision date,
    # and only once decided by the evaluation date.
    awards = AwardRecord.objects.filter(**subtree, revoked_on__isnull=True, award_id__in=codes)
    table(
        "title",
        "danh hiệu",
        awards.filter(kind=AwardRecord.Kind.TITLE, year__lte=year),
        ("year", "award_id"),
        lambda yr, aid: {"year": yr, "code": [code_of[a] for a in aid]},
        {"year": _q("year"), "code": sql_code("award_id", code_of)},
    )
    table(
        "award",
        "hình thức khen thưởng",
        awards.filter(kind=AwardRecord.Kind.FORM, decided_on__lte=as_of),
        ("decided_on", "award_id"),
        lambda dec, aid: {"year": [d.year for d in dec], "code": [code_of[a] for a in aid]},
        {"year": f"EXTRACT(YEAR FROM {_q('decided_on')})", "code": sql_code("award_id", code_of)},
    )

    def initiatives(
        kind: list[str], yr: list[int], scope: list[str], used: list[str]
    ) -> dict[str, list[int]]:
        used_parts = [(u or "").partition(":") for u in used]
        return {
            "pool": [POOLS.index(k) for k in kind],
            "year": yr,
            "scope": [vocab.SCOPE_RANK[s] for s in scope],
            "used_code": [code_of.get(p[0], -1) if p[0] else -1 for p in used_parts],
            "used_year": [int(p[2]) if p[2] else -1 for p in used_parts],
        }

    table(
        "inno",
        "sáng kiến, đề tài",
        Initiative.objects.filter(**subtree, year__lte=year),
        ("kind", "year", "scope", "used_for"),
        initiatives,
        {
            "pool": sql_code("kind", {k: i for i, k in enumerate(POOLS)}),
            "year": _q("year"),
            "scope": sql_code("scope", vocab.SCOPE_RANK),
            "used_code": f"CASE split_part(COALESCE({_q('used_for')}, ''), ':', 1) "
            + " ".join(f"WHEN {_literal(c)} THEN {i}" for c, i in code_of.items())
            + " ELSE -1 END",
            "used_year": f"CASE WHEN split_part(COALESCE({_q('used_for')}, ''), ':', 2) ~ '^[0-9]+$' "
            f"THEN split_part({_q('used_for')}, ':', 2)::int4 ELSE -1 END",
        },
    )
    table(
        "disc",
        "kỷ luật",
        Discipline.objects.filter(**subtree, decided_on__lte=as_of),
        ("form", "decided_on", "until"),
        lambda form, dec, until: {
            "until": [_ordinal(u) for u in until],
            "date": [d.toordinal() for d in dec],
            "form": [vocab.DISCIPLINE_RANK[f] for f in form],
        },
        {
            "until": sql_ordinal("until", NO_DATE),
            "date": sql_ordinal("decided_on", NO_DATE),
            "form": sql_code("form", vocab.DISCIPLINE_RANK),
        },
    )
    table(
        "pend",
        "vụ việc đang xem xét",
        PendingProceeding.objects.filter(**subtree),
        ("since", "until"),
        lambda since, until: {"since": [d.toordinal() for d in since], "until": [_ordinal(u) for u in until]},
        {"since": sql_ordinal("since", NO_DATE), "until": sql_ordinal("until", NO_DATE)},
    )
    table(
        "leave",
        "thời gian nghỉ",
        Leave.objects.filter(**subtree),
        ("started_on", "ended_on", "reason"),
        lambda start, end, reason: {
            "from": [d.toordinal() for d in start],
            "to": [_ordinal(d) for d in end],
            "reason": [LEAVE_CODES[r] for r in reason],
        },
        {
            "from": sql_ordinal("started_on", NO_DATE),
            "to": sql_ordinal("ended_on", NO_DATE),
            "reason": sql_code("reason", LEAVE_CODES),
        },
    )
    cols = {name: np.concatenate(chunks) if chunks else _col([]) for name, chunks in parts.items()}

    columns = Columns(
        list(codes),
        np.full(n, year, dtype=np.int32),
        np.full(n, as_of.toordinal(), dtype=np.int32),
        recruited,
        **cols,
    )
    return ids, columns


def evaluate_organisation(
    unit: Unit, *, year: int, as_of: date | None = None, step: Step | None = None
) -> OrganisationVerdicts:
    """Verdicts for every individual title and form, for every person of `unit`'s subtree."""
    day = as_of or default_as_of(year)
    ruleset = ruleset_on(day, unit=unit)
    codes = list(ruleset.items)
    ids, columns = organisation_columns(unit, year=year, as_of=day, codes=codes, step=step)
    if step is not None:
        step(f"Đang xét {len(ids)} người")
    verdicts = evaluate_columns(columns, ruleset=ruleset)
    return OrganisationVerdicts(ids, verdicts, ruleset.id, year, day)
