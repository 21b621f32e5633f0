"""Whole-organisation eligibility, set-based: one query per history table, numpy columns, one pass.

`organisation_columns` reads every individual of a subtree and their history straight into the
columns of `thidua.rules.columnar` (no per-person Python objects, no per-person queries);
`evaluate_organisation` runs the columnar engine on them. Verdicts agree with the per-case
interpreter (tested); reasons for one person come from `services.evaluate_person`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet

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


def organisation_columns(
    unit: Unit, *, year: int, as_of: date, codes: list[str]
) -> tuple[npt.NDArray[np.int64], Columns]:
    """Every person currently in `unit`'s subtree (recruited by `as_of`) and their history, as columns."""
    people: QuerySet[Person] = Person.objects.filter(current_unit__path__startswith=unit.path).exclude(
        recruited_on__gt=as_of
    )
    rows = list(people.order_by("pk").values_list("pk", "recruited_on"))
    ids = np.asarray([pk for pk, _ in rows], dtype=np.int64)
    n = len(ids)
    code_of = {c: i for i, c in enumerate(codes)}
    # A subquery, computed once, rather than a join to units in every history table. The whole
    # organisation needs no filter at all.
    subtree: dict[str, Any] = (
        {"person__isnull": False} if unit.parent_id is None else {"person_id__in": people.values("pk")}
    )

    def index(person_ids: list[int]) -> tuple[I32, npt.NDArray[np.bool_]]:
        arr = np.asarray(person_ids, dtype=np.int64)
        pos = np.searchsorted(ids, arr)
        pos = np.minimum(pos, max(n - 1, 0))
        ok = (ids[pos] == arr) if n else np.zeros(len(arr), dtype=bool)
        return pos.astype(np.int32), ok

    def table(qs: Any, fields: tuple[str, ...]) -> list[list[Any]]:
        data = list(qs.values_list("person_id", *fields))
        return (
            [list(col) for col in zip(*data, strict=True)] if data else [[] for _ in range(len(fields) + 1)]
        )

    cols: dict[str, I32] = {}

    def put(prefix: str, person_ids: list[int], **columns: list[int]) -> None:
        subject, ok = index(person_ids)
        cols[f"{prefix}_subject"] = subject[ok]
        for name, values in columns.items():
            cols[f"{prefix}_{name}"] = _col(values)[ok] if values else _col([])

    pid, yr, val = table(Rating.objects.filter(**subtree, year__lte=year), ("year", "value"))
    put("rating", pid, year=yr, value=[vocab.RATING_RANK[v] for v in val])

    # Titles count by the year they reward (as in the case contract); forms by their decision date,
    # and only once decided by the evaluation date.
    awards = AwardRecord.objects.filter(**subtree, revoked_on__isnull=True, award_id__in=codes)
    pid, yr, aid = table(awards.filter(kind=AwardRecord.Kind.TITLE, year__lte=year), ("year", "award_id"))
    put("title", pid, year=yr, code=[code_of[a] for a in aid])
    pid, dec, aid = table(
        awards.filter(kind=AwardRecord.Kind.FORM, decided_on__lte=as_of), ("decided_on", "award_id")
    )
    put("award", pid, year=[d.year for d in dec], code=[code_of[a] for a in aid])

    pid, kind, yr, scope, used = table(
        Initiative.objects.filter(**subtree, year__lte=year), ("kind", "year", "scope", "used_for")
    )
    used_parts = [(u or "").partition(":") for u in used]
    put(
        "inno",
        pid,
        pool=[POOLS.index(k) for k in kind],
        year=yr,
        scope=[vocab.SCOPE_RANK[s] for s in scope],
        used_code=[code_of.get(p[0], -1) if p[0] else -1 for p in used_parts],
        used_year=[int(p[2]) if p[2] else -1 for p in used_parts],
    )
    pid, form, dec, until = table(
        Discipline.objects.filter(**subtree, decided_on__lte=as_of), ("form", "decided_on", "until")
    )
    put(
        "disc",
        pid,
        until=[_ordinal(u) for u in until],
        date=[d.toordinal() for d in dec],
        form=[vocab.DISCIPLINE_RANK[f] for f in form],
    )
    pid, since, until = table(PendingProceeding.objects.filter(**subtree), ("since", "until"))
    put("pend", pid, since=[d.toordinal() for d in since], until=[_ordinal(u) for u in until])
    pid, start, end, reason = table(Leave.objects.filter(**subtree), ("started_on", "ended_on", "reason"))
    put(
        "leave",
        pid,
        **{"from": [d.toordinal() for d in start]},
        to=[_ordinal(d) for d in end],
        reason=[LEAVE_CODES[r] for r in reason],
    )

    columns = Columns(
        list(codes),
        np.full(n, year, dtype=np.int32),
        np.full(n, as_of.toordinal(), dtype=np.int32),
        _col([r.toordinal() if r else -1 for _, r in rows]),
        **cols,
    )
    return ids, columns


def evaluate_organisation(unit: Unit, *, year: int, as_of: date | None = None) -> OrganisationVerdicts:
    """Verdicts for every individual title and form, for every person of `unit`'s subtree."""
    day = as_of or default_as_of(year)
    ruleset = ruleset_on(day, unit=unit)
    codes = list(ruleset.items)
    ids, columns = organisation_columns(unit, year=year, as_of=day, codes=codes)
    verdicts = evaluate_columns(columns, ruleset=ruleset)
    return OrganisationVerdicts(ids, verdicts, ruleset.id, year, day)
