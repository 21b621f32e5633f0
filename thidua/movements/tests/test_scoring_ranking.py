"""Ranking inside a cluster: standard competition ranking with configurable tie-breakers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from thidua.movements.scoring import NOT_ASSIGNED, rank, rank_clusters, score_cluster, tie_break_label

from .helpers import leaf, table

TABLE = table(
    leaf("A.1", "target_ratio", 6, params={"full_at": 100, "zero_at": 90}),
    leaf("A.2", "manual", 4),
    bonus=[{"code": "B.1", "name": "Thưởng", "per_event": 1, "cap": 2}],
    penalties=[{"code": "T.1", "name": "Trừ", "per_event": 0.5}],
)


def ranks(
    figures: dict[str, dict[str, Any]], tie_break: tuple[str, ...] = ("base", "full_marks")
) -> list[tuple[int, str]]:
    return [(r.rank, r.unit) for r in rank(score_cluster(TABLE, figures), tie_break=tie_break)]


def test_it_ranks_by_total():
    assert ranks({"X": {"A.2": 1}, "Y": {"A.2": 3}, "Z": {"A.2": 2}}) == [(1, "Y"), (2, "Z"), (3, "X")]


def test_it_ranks_a_single_unit_first():
    ranked = rank(score_cluster(TABLE, {"Ninh Bình": {"A.2": 0}}))
    assert [(r.rank, r.unit, r.shares_rank_with, r.note) for r in ranked] == [(1, "Ninh Bình", (), "")]


def test_it_ranks_nothing():
    assert rank([]) == []


def test_all_units_tied_share_the_first_rank():
    ranked = rank(score_cluster(TABLE, {u: {"A.1": 95, "A.2": 2} for u in ("X", "Y", "Z")}))
    assert [r.rank for r in ranked] == [1, 1, 1]
    assert ranked[0].shares_rank_with == ("Y", "Z")
    assert ranked[0].note == "Đồng hạng với Y, Z: bằng tổng điểm 5,00 và bằng nhau ở mọi tiêu chí phụ"


def test_it_uses_standard_competition_ranking():
    figures: dict[str, dict[str, Any]] = {"A": {"A.2": 4}, "B": {"A.2": 3}, "C": {"A.2": 3}, "D": {"A.2": 1}}
    assert ranks(figures) == [(1, "A"), (2, "B"), (2, "C"), (4, "D")]


def test_the_base_score_breaks_a_tie_made_by_bonus():
    # A.1 at 95 % is 3 of 6. X: base 3 + 2 = 5, bonus 1 → 6; Y: base 3 + 3 = 6 → Y first on the base.
    figures: dict[str, dict[str, Any]] = {
        "X": {"A.2": 2, "A.1": 95, "B.1": {"n": 1}},
        "Y": {"A.2": 3, "A.1": 95},
    }
    ranked = rank(score_cluster(TABLE, figures))
    assert [(r.rank, r.unit) for r in ranked] == [(1, "Y"), (2, "X")]
    assert ranked[0].note == "Bằng tổng điểm 6,00 với X; phân định theo điểm cơ bản"
    # without tie-breakers they share the rank
    assert ranks(figures, tie_break=()) == [(1, "X"), (1, "Y")]


def test_full_marks_break_a_tie_on_base():
    # both 7.00: X has A.1 at 6/6 (full) + 1; Y has 3 + 4/4 (full) … both one full mark → still tied;
    # Z has 5 of 6 and 2 of 4 = 7 with no full mark → last.
    figures: dict[str, dict[str, Any]] = {
        "X": {"A.1": 100, "A.2": 1},
        "Y": {"A.1": 95, "A.2": 4},
        "Z": {"A.1": 98.333, "A.2": 2},
    }
    scores = score_cluster(TABLE, figures)
    assert [s.total for s in scores] == [Decimal("7.00"), Decimal("7.00"), Decimal("7.00")]
    assert [(r.rank, r.unit) for r in rank(scores)] == [(1, "X"), (1, "Y"), (3, "Z")]


def test_it_applies_tie_breakers_in_order():
    figures: dict[str, dict[str, Any]] = {"X": {"A.1": 100, "A.2": 1}, "Y": {"A.1": 95, "A.2": 4}}
    assert ranks(figures, tie_break=("subtotal:A.2",)) == [(1, "Y"), (2, "X")]
    assert ranks(figures, tie_break=("ratio:A.1",)) == [(1, "X"), (2, "Y")]
    assert ranks(figures, tie_break=("subtotal:A",)) == [(1, "X"), (1, "Y")]


def test_fewer_penalty_events_rank_first():
    figures: dict[str, dict[str, Any]] = {
        "X": {"A.2": 4, "T.1": {"n": 2}, "B.1": {"n": 1}},  # 4 − 1 + 1 = 4, two penalty events
        "Y": {"A.2": 3.5, "T.1": {"n": 1}, "B.1": {"n": 1}},  # 3.5 − 0.5 + 1 = 4, one event
    }
    assert ranks(figures, tie_break=("fewer_penalty_events",)) == [(1, "Y"), (2, "X")]


def test_a_unit_without_the_ratio_ranks_last_on_that_tie_breaker():
    figures: dict[str, dict[str, Any]] = {"X": {"A.1": NOT_ASSIGNED, "A.2": 4}, "Y": {"A.1": 100, "A.2": 4}}
    # X: 4 of 4 assigned → base 10; Y: 6 + 4 = 10. Tied on total and base; Y has a ratio.
    assert ranks(figures, tie_break=("ratio:A.1",)) == [(1, "Y"), (2, "X")]


def test_it_rejects_an_unknown_tie_breaker():
    with pytest.raises(ValueError, match="Tiêu chí phụ không được hỗ trợ: 'vote'"):
        rank([], tie_break=("vote",))
    assert tie_break_label("ratio:I.1.1") == "tỷ lệ thực hiện tiêu chí I.1.1"


def test_it_ranks_each_cluster_separately():
    clusters = {
        "Cụm 5": score_cluster(TABLE, {"Quảng Ninh": {"A.2": 4}, "Ninh Bình": {"A.2": 2}}),
        "Cụm 8": score_cluster(TABLE, {"Đồng Nai": {"A.2": 1}}),
    }
    ranked = rank_clusters(clusters)
    assert {c: [(r.rank, r.unit) for r in rs] for c, rs in ranked.items()} == {
        "Cụm 5": [(1, "Quảng Ninh"), (2, "Ninh Bình")],
        "Cụm 8": [(1, "Đồng Nai")],
    }


def test_a_large_tie_shares_one_group_and_a_short_note():
    # 3,000 units without any figure: all 0, all tied. Built once per group, so it stays linear.
    ranked = rank(score_cluster(TABLE, {f"Đơn vị {i}": {} for i in range(3000)}))
    assert {r.rank for r in ranked} == {1}
    assert ranked[0].tie_group is ranked[-1].tie_group
    assert len(ranked[0].shares_rank_with) == 2999
    assert ranked[0].note == (
        "Đồng hạng với Đơn vị 1, Đơn vị 2, Đơn vị 3, Đơn vị 4, Đơn vị 5 và 2994 đơn vị khác: "
        "bằng tổng điểm 0,00 và bằng nhau ở mọi tiêu chí phụ"
    )
