"""The level (cấp khen thưởng) of a title or form: data in `data/award_levels.yaml`, read once.

A title or form takes the level of who decides it (the rulesets' `authority`), unless the data file
overrides it. Used by the statistics, the year-end annex and the public honour board.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from thidua.rules.ruleset import list_rulesets, load_ruleset

DATA = Path(__file__).resolve().parent / "data" / "award_levels.yaml"
OTHER = "khac"
OTHER_LABEL = "Khác"


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    rank: int  # 0 = highest


@cache
def levels() -> tuple[Level, ...]:
    """Every level, highest first, then "Khác" for ids no ruleset knows."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    found = tuple(Level(row["id"], row["label"], i) for i, row in enumerate(data["levels"]))
    return (*found, Level(OTHER, OTHER_LABEL, len(found)))


@cache
def _award_info() -> dict[str, tuple[str, str]]:
    """award id → (level id, kind) from every shipped ruleset (the newest wins) and the overrides."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    by_authority = {a: row["id"] for row in data["levels"] for a in row["authorities"]}
    rank = {row["id"]: i for i, row in enumerate(data["levels"])}
    info: dict[str, tuple[str, str]] = {}
    for ruleset in sorted(list_rulesets(), key=lambda r: r.effective_from):
        for item in load_ruleset(ruleset.id).items.values():
            found = [by_authority[a] for a in item.authority if a in by_authority]
            # several authorities (a unit head or a commune chairman): the lowest level decides it
            level = max(found, key=lambda level_id: rank[level_id]) if found else OTHER
            info[item.id] = (level, item.kind)
    for award_id, level in (data.get("overrides") or {}).items():
        info[award_id] = (level, info.get(award_id, (level, "form"))[1])
    return info


def level_of(award_id: str) -> str:
    return _award_info().get(award_id, (OTHER, ""))[0]


def kind_of(award_id: str) -> str:
    """ "title" (danh hiệu thi đua) or "form" (hình thức khen thưởng); "" when unknown."""
    return _award_info().get(award_id, (OTHER, ""))[1]


def level_label(level_id: str) -> str:
    return next((lv.label for lv in levels() if lv.id == level_id), OTHER_LABEL)


def level_rank(level_id: str) -> int:
    return next((lv.rank for lv in levels() if lv.id == level_id), len(levels()))


def awards_of_level(level_id: str) -> list[str]:
    return sorted(award_id for award_id, (level, _) in _award_info().items() if level == level_id)
