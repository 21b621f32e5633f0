"""Rank scored units inside a cluster (cụm) or block (khối).

Standard competition ranking ("1, 2, 2, 4"): units are ordered by total, then by the
tie-breakers in order; units still equal on every key share the rank and the next rank skips.

Tie-breakers (higher value ranks first unless stated):
- ``base``: the normalised base score (without bonus and penalties);
- ``full_marks``: number of criteria scored at their maximum;
- ``fewer_penalty_events``: fewer penalty events ranks first;
- ``subtotal:<code>``: the points of criterion ``<code>`` (group subtotal or leaf);
- ``ratio:<code>``: the achievement ratio (%) of ratio criterion ``<code>`` (no figure ranks last).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .engine import UnitScore
from .model import ScoringTable
from .numbers import fmt

DEFAULT_TIE_BREAK: tuple[str, ...] = ("base", "full_marks")
_LOWEST = Decimal("-Infinity")


@dataclass(frozen=True)
class RankedUnit:
    rank: int
    unit: str
    score: UnitScore
    tie_group: tuple[str, ...] = ()  # every unit sharing this rank (this one included), shared by the group
    note: str = ""  # how a tie on the total was settled, in Vietnamese

    @property
    def shares_rank_with(self) -> tuple[str, ...]:
        """The other units still tied after every tie-breaker."""
        return tuple(unit for unit in self.tie_group if unit != self.unit)


def _names(units: Sequence[str], limit: int = 5) -> str:
    if len(units) <= limit:
        return ", ".join(units)
    return ", ".join(units[:limit]) + f" và {len(units) - limit} đơn vị khác"


def tie_break_label(key: str) -> str:
    if key == "base":
        return "điểm cơ bản"
    if key == "full_marks":
        return "số tiêu chí đạt điểm tối đa"
    if key == "fewer_penalty_events":
        return "ít lần bị trừ điểm hơn"
    kind, _, code = key.partition(":")
    if kind == "subtotal":
        return f"điểm tiêu chí {code}"
    if kind == "ratio":
        return f"tỷ lệ thực hiện tiêu chí {code}"
    raise ValueError(f"Tiêu chí phụ không được hỗ trợ: {key!r}")


def _value(score: UnitScore, key: str) -> Decimal:
    if key == "base":
        return score.base
    if key == "full_marks":
        return Decimal(score.full_marks)
    if key == "fewer_penalty_events":
        return Decimal(-score.penalty_events)
    kind, _, code = key.partition(":")
    if kind == "subtotal":
        if code in score.subtotals:
            return score.subtotals[code]
        leaf = score.leaves.get(code)
        return leaf.points if leaf is not None else _LOWEST
    if kind == "ratio":
        leaf = score.leaves.get(code)
        return leaf.ratio if leaf is not None and leaf.ratio is not None else _LOWEST
    raise ValueError(f"Tiêu chí phụ không được hỗ trợ: {key!r}")


def rank(scores: Sequence[UnitScore], *, tie_break: Sequence[str] = DEFAULT_TIE_BREAK) -> list[RankedUnit]:
    """Rank the units of ONE cluster by total, then by ``tie_break`` keys (see module docstring)."""
    for name in tie_break:
        tie_break_label(name)  # rejects unknown keys early
    keyed = [(score, (score.total, *(_value(score, k) for k in tie_break))) for score in scores]
    keyed.sort(key=lambda pair: pair[1], reverse=True)
    # Groups are built once so that a large tie (every unit without figures…) stays linear.
    by_total: dict[Decimal, list[str]] = {}
    by_key: dict[tuple[Decimal, ...], list[str]] = {}
    counts: dict[Decimal, list[Counter[Decimal]]] = {}
    for score, key in keyed:
        by_total.setdefault(score.total, []).append(score.unit)
        by_key.setdefault(key, []).append(score.unit)
        per_key = counts.setdefault(score.total, [Counter() for _ in tie_break])
        for i, value in enumerate(key[1:]):
            per_key[i][value] += 1
    groups = {key: tuple(units) for key, units in by_key.items()}
    ranked: list[RankedUnit] = []
    previous: tuple[Decimal, ...] | None = None
    current = 0
    for index, (score, key) in enumerate(keyed):
        if key != previous:
            current = index + 1
            previous = key
        same_total = by_total[score.total]
        group = groups[key]
        note = ""
        if len(same_total) > 1:
            total = fmt(score.total)
            if len(group) > 1:
                others = [u for u in group if u != score.unit]
                note = f"Đồng hạng với {_names(others)}: bằng tổng điểm {total}"
                note += " và bằng nhau ở mọi tiêu chí phụ" if tie_break else ""
            else:
                size = len(same_total)
                decided = next(
                    tie_break_label(k)
                    for i, k in enumerate(tie_break)
                    if counts[score.total][i][key[i + 1]] < size
                )
                others = [u for u in same_total if u != score.unit]
                note = f"Bằng tổng điểm {total} với {_names(others)}; phân định theo {decided}"
        ranked.append(RankedUnit(current, score.unit, score, group, note))
    return ranked


def rank_clusters(
    scores_by_cluster: Mapping[str, Sequence[UnitScore]], *, tie_break: Sequence[str] = DEFAULT_TIE_BREAK
) -> dict[str, list[RankedUnit]]:
    """Rank each cluster (or block) separately; units are never compared across clusters."""
    return {cluster: rank(scores, tie_break=tie_break) for cluster, scores in scores_by_cluster.items()}


_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:base|base score|điểm cơ bản)$", re.I), "base"),
    (re.compile(r"^(?:full_marks|criteria at full marks|số tiêu chí đạt điểm tối đa)$", re.I), "full_marks"),
    (
        re.compile(r"^(?:fewer_penalty_events|fewer penalty events|ít lần bị trừ điểm hơn)$", re.I),
        "fewer_penalty_events",
    ),
    (re.compile(r"^subtotal:(\S+)$|^(\S+) subtotal$", re.I), "subtotal:{}"),
    (re.compile(r"^ratio:(\S+)$|^(\S+) achievement ratio$", re.I), "ratio:{}"),
)


def tie_break_from_table(table: ScoringTable) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Read ``ranking.tie_breakers`` of a table: (keys the engine applies, rules left to people).

    Once a rule cannot be computed (e.g. "secret vote of the cluster council"), it and every
    later rule are returned as manual: ties remaining at that point share the rank.
    """
    ranking: Any = table.extra.get("ranking")
    raw = ranking.get("tie_breakers", []) if isinstance(ranking, Mapping) else []
    keys: list[str] = []
    for position, text in enumerate(raw):
        for pattern, template in _TEXT_RULES:
            match = pattern.match(str(text).strip())
            if match:
                code = next((g for g in match.groups() if g), "")
                keys.append(template.format(code))
                break
        else:
            return tuple(keys), tuple(str(t) for t in raw[position:])
    return tuple(keys), ()
