"""Benchmark: score and rank 3,500 units × 60 criteria for one period.

Run: python bench/scoring.py [--units 3500] [--cluster-size 7] [--repeat 5]
Target: ≤ 1 s for scoring + ranking on a 2-core machine (single process).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from thidua.movements.scoring import (
    NOT_ASSIGNED,
    compile_table,
    load_table,
    rank,
    score_cluster,
)

# Ten leaf kinds, repeated over 6 groups of 10 leaves = 60 criteria (every method is exercised).
_LEAF_KINDS: list[dict[str, Any]] = [
    {"method": "target_ratio", "params": {"full_at": 100, "zero_at": 90}},
    {"method": "lower_is_better", "params": {"full_at": 2, "zero_at": 4}},
    {"method": "proportional", "params": {"cap": 1.2}},
    {"method": "relative_to_best", "params": {}},
    {"method": "grade", "grades": {">=90": 2, "80-<90": 1, "<80": 0}},
    {"method": "boolean"},
    {
        "method": "checklist",
        "items": [{"id": f"i{k}", "name": f"Nội dung {k}", "points": 0.5} for k in range(4)],
    },
    {"method": "count", "params": {"weights": {"a": 0.5, "b": 1}}},
    {"method": "deduct_per_event", "params": {"per_event": 0.5}},
    {"method": "manual"},
]


def make_table() -> dict[str, Any]:
    groups = []
    for g in range(6):
        children = []
        for k, kind in enumerate(_LEAF_KINDS):
            leaf = {"code": f"G{g + 1}.{k + 1}", "name": f"Tiêu chí {g + 1}.{k + 1}", "max_points": 2, **kind}
            children.append(leaf)
        groups.append({"code": f"G{g + 1}", "name": f"Nhóm {g + 1}", "max_points": 20, "children": children})
    return {
        "meta": {
            "id": "bench",
            "title": "Bảng chấm điểm thử tải",
            "points": {"base_max": 120, "bonus_max": 10},
        },
        "criteria": groups,
        "bonus": [
            {
                "code": "B.1",
                "name": "Vượt kế hoạch",
                "per_unit": 0.5,
                "unit_step_percent": 1,
                "based_on": "G1.1",
                "cap": 2,
            }
        ],
        "penalties": [
            {"code": "T.1", "name": "Kỷ luật", "per_event_by_level": {"khien_trach": 1, "canh_cao": 2}},
            {"code": "T.2", "name": "Sai phạm", "per_event": 3},
        ],
    }


def make_figures(rng: random.Random) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for g in range(6):
        p = f"G{g + 1}."
        figures[p + "1"] = {"actual": rng.randint(85_000, 110_000), "target": 100_000}
        figures[p + "2"] = {"value": round(rng.uniform(1, 5), 2)}
        figures[p + "3"] = {"actual": rng.randint(700, 1300), "target": 1000}
        figures[p + "4"] = {"value": round(rng.uniform(10, 100), 1)}
        figures[p + "5"] = {"value": round(rng.uniform(70, 100), 1)}
        figures[p + "6"] = {"value": rng.random() < 0.8}
        figures[p + "7"] = {"true_items": [f"i{k}" for k in range(4) if rng.random() < 0.7]}
        figures[p + "8"] = {"n": {"a": rng.randint(0, 3), "b": rng.randint(0, 2)}}
        figures[p + "9"] = {"n": rng.randint(0, 3)}
        figures[p + "10"] = {"value": round(rng.uniform(0, 2), 1)}
    if rng.random() < 0.05:
        figures["G6.4"] = NOT_ASSIGNED
    if rng.random() < 0.1:
        figures["T.1"] = {"n": {"khien_trach": 1}}
    return figures


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, float, Any]:
    """(best wall time, median wall time, best CPU time of this process, last result)."""
    times = []
    cpu = []
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(times), statistics.median(times), min(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=3500)
    parser.add_argument("--cluster-size", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rng = random.Random(2026)
    raw = make_table()
    best_load, _, _, table = timed(lambda: load_table(raw), args.repeat)
    compiled = compile_table(table)
    figures = {f"Đơn vị {i:04d}": make_figures(rng) for i in range(args.units)}
    names = list(figures)
    clusters = {
        f"Cụm {c + 1}": {u: figures[u] for u in names[i : i + args.cluster_size]}
        for c, i in enumerate(range(0, len(names), args.cluster_size))
    }

    def run_clusters() -> int:
        ranked = 0
        for members in clusters.values():
            ranked += len(rank(score_cluster(compiled, members)))
        return ranked

    def run_one_cluster() -> int:
        return len(rank(score_cluster(compiled, figures)))

    def run_explain() -> int:
        scores = score_cluster(compiled, figures)
        return sum(len(leaf.explanation) for s in scores for leaf in s.leaves.values())

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Python {platform.python_version()} trên {platform.machine()}, {os.cpu_count()} CPU, tải hệ thống {load:.2f}"
    )
    leaves = len(table.leaves())
    print(
        f"{args.units} đơn vị × {leaves} tiêu chí = {args.units * leaves:,} điểm lá; "
        f"{len(clusters)} cụm × ≤{args.cluster_size}; lặp {args.repeat} lần"
    )
    print(f"{'load_table (60 tiêu chí, kiểm tra đầy đủ)':<46} wall best {best_load * 1000:7.1f} ms")
    failed = False
    for label, fn, target in (
        (f"chấm + xếp hạng theo cụm ({len(clusters)} cụm)", run_clusters, True),
        ("chấm + xếp hạng 1 cụm 3.500 đơn vị", run_one_cluster, True),
        ("chấm + diễn giải mọi điểm lá (ngoài mục tiêu)", run_explain, False),
    ):
        best, median, cpu, _ = timed(fn, args.repeat)
        verdict = ("ĐẠT" if cpu <= 1.0 else "VƯỢT") + " mục tiêu 1 s" if target else "tham khảo"
        failed |= target and cpu > 1.0
        print(
            f"{label:<46} wall best {best * 1000:7.1f} ms, median {median * 1000:7.1f} ms; "
            f"CPU best {cpu * 1000:7.1f} ms  [{verdict}]"
        )
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
