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
    shares_rank_with: tuple[str, ...] = ()  # units still tied after every tie-breaker
    note: str = ""  # how a tie on the total was settled, in Vietnamese


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
    by_total: dict[Decimal, list[UnitScore]] = {}
    by_key: dict[tuple[Decimal, ...], list[str]] = {}
    for score, key in keyed:
        by_total.setdefault(score.total, []).append(score)
        by_key.setdefault(key, []).append(score.unit)
    ranked: list[RankedUnit] = []
    previous: tuple[Decimal, ...] | None = None
    current = 0
    for index, (score, key) in enumerate(keyed):
        if key != previous:
            current = index + 1
            previous = key
        same_total = [s for s in by_total[score.total] if s.unit != score.unit]
        sharing = tuple(u for u in by_key[key] if u != score.unit)
        note = ""
        if same_total:
            names = ", ".join(s.unit for s in same_total)
            decided = [
                tie_break_label(k)
                for i, k in enumerate(tie_break)
                if any(_value(other, k) != key[i + 1] for other in same_total)
            ]
            if sharing:
                note = f"Đồng hạng với {', '.join(sharing)}: bằng tổng điểm {fmt(score.total)}"
                note += " và bằng nhau ở mọi tiêu chí phụ" if tie_break else ""
            else:
                note = f"Bằng tổng điểm {fmt(score.total)} với {names}; phân định theo {decided[0]}"
        ranked.append(RankedUnit(current, score.unit, score, sharing, note))
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
