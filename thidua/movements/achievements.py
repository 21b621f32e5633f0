"""Đăng ký — Đạt: what a unit registered for a movement's year beside what it achieved.

Titles: each registered title (the unit's own, or a number of people per individual title) beside the
titles decided for that year (`history.AwardRecord`, revoked ones left out): the unit's own record,
and the people of the unit's subtree holding the title. Targets: each registered target beside the
figure the unit reported for the whole year (the reviewer's correction counts), with the ratio.
Read-only; the pages and the .xlsx call `compare`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from thidua.history.models import AwardRecord
from thidua.lib.numbers import parse_number
from thidua.movements.models import Period, Registration, Result, ScoringTable


@dataclass(frozen=True)
class TitleLine:
    award_id: str
    subject: str  # "unit" or "people"
    registered: int
    achieved: int

    @property
    def met(self) -> bool:
        return self.achieved >= self.registered


@dataclass(frozen=True)
class TargetLine:
    code: str
    registered: Decimal | None
    achieved: Decimal | None
    name: str = ""

    @property
    def ratio(self) -> Decimal | None:
        if self.registered in (None, 0) or self.achieved is None:
            return None
        assert self.registered is not None
        return (self.achieved / self.registered * 100).quantize(Decimal("0.01"))

    @property
    def met(self) -> bool | None:
        if self.registered is None or self.achieved is None:
            return None
        return self.achieved >= self.registered


@dataclass(frozen=True)
class Comparison:
    registration: Registration
    titles: list[TitleLine]
    targets: list[TargetLine]
    result: Result | None

    @property
    def titles_met(self) -> int:
        return sum(1 for t in self.titles if t.met)


def _actual(figure: Any) -> Decimal | None:
    """The achieved value of a figure in the scoring module's shapes ({actual}, {value}, a number)."""
    if isinstance(figure, dict):
        for key in ("actual", "value"):
            if key in figure:
                return parse_number(figure[key])
        return None
    return parse_number(figure)


def _criterion_names(keys: set[tuple[int, int]]) -> dict[tuple[int, int], dict[str, str]]:
    """Criterion names by code of each (movement, year)'s tables (one query; a cluster's own table adds
    its names to those of the table for all clusters)."""
    out: dict[tuple[int, int], dict[str, str]] = {}
    movement_ids = {m for m, _ in keys}
    tables = ScoringTable.objects.filter(movement_id__in=movement_ids).order_by("cluster_id")
    for table in tables.only("movement_id", "year", "data", "cluster_id"):
        key = (table.movement_id, table.year)
        if key not in keys:
            continue
        names = out.setdefault(key, {})
        stack = list(table.data.get("criteria") or [])
        while stack:
            node = stack.pop()
            names.setdefault(str(node.get("code", "")), str(node.get("name", "")))
            stack.extend(node.get("children") or [])
    return out


def compare(registrations: Sequence[Registration]) -> list[Comparison]:
    """One comparison per registration (registrations of one year; units and movement loaded)."""
    regs = list(registrations)
    if not regs:
        return []
    years = {r.year for r in regs}
    awards = {t.get("award", "") for r in regs for t in r.titles}
    decided = list(
        AwardRecord.objects.filter(
            year__in=years, kind=AwardRecord.Kind.TITLE, revoked_on__isnull=True, award_id__in=awards
        ).values_list("award_id", "year", "unit_id", "person__current_unit__path")
    )
    results = {
        (r.movement_id, r.unit_id, r.year): r
        for r in Result.objects.filter(
            period=Period.YEAR,
            year__in=years,
            movement_id__in={r.movement_id for r in regs},
            unit_id__in={r.unit_id for r in regs},
        )
    }
    names = _criterion_names({(r.movement_id, r.year) for r in regs})
    out = []
    for reg in regs:
        titles = []
        for item in reg.titles:
            award, subject = item.get("award", ""), item.get("subject", "unit")
            if subject == "unit":
                achieved = sum(
                    1 for a, y, u, _ in decided if a == award and y == reg.year and u == reg.unit_id
                )
                titles.append(TitleLine(award, "unit", 1, achieved))
            else:
                achieved = sum(
                    1
                    for a, y, u, path in decided
                    if a == award and y == reg.year and path and path.startswith(reg.unit.path)
                )
                titles.append(TitleLine(award, "people", int(item.get("count", 1)), achieved))
        result = results.get((reg.movement_id, reg.unit_id, reg.year))
        figures = result.scoring_figures() if result else {}
        label = names.get((reg.movement_id, reg.year), {})
        targets = [
            TargetLine(
                code,
                parse_number(value),
                _actual(figures.get(code)) if code in figures else None,
                label.get(code, ""),
            )
            for code, value in reg.targets.items()
        ]
        out.append(Comparison(reg, titles, targets, result))
    return out
