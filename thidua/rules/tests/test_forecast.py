"""The "missing" years and the forecast agree with a year-by-year simulation of the future.

For a result that is not eligible, ``earliest_year`` (and the year in each "missing" item) is the first
year it can be eligible if every later year goes as well as it can: rated HTXS, fresh initiatives of
every scope recognised, and each review granting what is eligible in ladder order (lower titles
first). ``simulate`` plays that future with the interpreter itself, one review a year.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest

from thidua.rules import evaluate, load_ruleset, parse_case
from thidua.rules.case import InitiativeRecord, ScienceWorkRecord
from thidua.rules.engine import add_months, build_facts, review_in_order
from thidua.rules.facts import Facts
from thidua.rules.render import forecast_text, missing_text
from thidua.rules.tests.gen import random_individual
from thidua.rules.tests.helpers import case, htxs, initiative, person, rating, title

CSCS, CSBT, CSTQ = "chien_si_thi_dua_co_so", "chien_si_thi_dua_bo_tinh", "chien_si_thi_dua_toan_quoc"
HORIZON = 16


def _best_year(facts: Facts, z: int, year: int) -> Facts:
    """Year ``z`` as well as it can go: rated HTXS if not rated yet, three fresh initiatives and
    science works of every scope (nothing for years a discipline still masks)."""
    if facts.count_from is not None and z < facts.count_from:
        return facts
    ratings = dict(facts.ratings)
    rated = set(facts.rated_years)
    if z not in rated:
        ratings[z] = 3
        rated.add(z)
    fresh: list[InitiativeRecord | ScienceWorkRecord] = []
    for scope in ("co_so", "bo_nganh_tinh", "toan_quoc"):
        for k in range(3):
            fresh.append(
                InitiativeRecord(
                    type="initiative", id=f"SIM-{z}-I-{scope}-{k}", year=z, scope=scope, used_for=None
                )
            )
            fresh.append(
                ScienceWorkRecord(
                    type="science_work", id=f"SIM-{z}-S-{scope}-{k}", year=z, scope=scope, used_for=None
                )
            )
    from dataclasses import replace

    return replace(
        facts, ratings=ratings, rated_years=frozenset(rated), innovations=[*facts.innovations, *fresh]
    )


def simulate(data: dict[str, Any], item: str, options: dict[str, Any] | None) -> int | None:
    c = parse_case(data)
    facts = build_facts(c.subject, as_of=c.as_of_date)
    for z in range(c.year, c.year + HORIZON):
        day = add_months(c.as_of_date, 12 * (z - c.year))
        rs = load_ruleset(on=day)
        rs = rs.with_settings(rs.applicable(options))
        facts = _best_year(facts, z, c.year)
        results, facts = review_in_order(rs, facts, z, day)
        got = {r.id: r.verdict for r in results}
        if got.get(item) in ("eligible", "deferred"):
            return z
    return None


OPTIONS = [
    None,
    {"count_current_year_if_meets": True},
    {"cstdcs_initiative_window_years": 1, "bk_bo_tinh_initiative_window_years": 2},
]


@pytest.mark.parametrize("options", OPTIONS)
def test_earliest_year_matches_the_simulated_best_future(options):
    rng = random.Random(hash(str(options)) % 1000)
    checked = 0
    mismatches = []
    for i in range(120):
        data = random_individual(rng, i, 2025, date(2025, 12, 15))
        if any(r["type"] == "pending" for r in data["subject"]["records"]):
            continue  # a deferral has no year
        out = evaluate(data, options=options, with_forecast=False)
        for r in out.results:
            if r.verdict != "not_eligible":
                continue
            got = simulate(data, r.id, options)
            if got is not None and got >= 2025 + HORIZON - 1:
                continue  # beyond the simulated horizon
            checked += 1
            if got != r.earliest_year:
                mismatches.append((data["subject"]["id"], r.id, r.earliest_year, got, r.missing))
    assert checked > 200
    assert not mismatches, mismatches[:5]


def test_missing_years_count_the_chain_the_lower_title_can_build():
    # 2025: CSTĐCS 2024 only, rated HT (no CSTĐCS possible in 2025). CSTĐ toàn quốc needs 2 consecutive
    # CSTĐ bộ/tỉnh, each on 3 consecutive CSTĐCS: CSTĐCS 2026-2028 -> CSTĐ bộ/tỉnh 2028, 2029 -> 2029.
    records = [rating(2024, "hoan_thanh_xuat_sac"), rating(2025, "hoan_thanh"), title(2024, CSCS)]
    r = evaluate(case(person(records), candidates=[CSTQ]), with_forecast=False).results[0]
    assert r.earliest_year == 2029
    assert any("(2029)" in m for m in r.missing) and not any(
        "(2026)" in m or "(2027)" in m for m in r.missing
    )
    # CSTĐCS 2024 and 2025 held: CSTĐCS 2026 -> CSTĐ bộ/tỉnh 2026, 2027 -> CSTĐ toàn quốc 2027
    records = [htxs(2024), htxs(2025), title(2024, CSCS), title(2025, CSCS)]
    r = evaluate(case(person(records), candidates=[CSTQ]), with_forecast=False).results[0]
    assert r.earliest_year == 2027


def test_a_title_met_this_year_but_not_decided_is_named_as_the_missing_decision():
    records = [
        htxs(2023),
        htxs(2024),
        htxs(2025),
        title(2023, CSCS),
        title(2024, CSCS),
        initiative("BT", 2025, "bo_nganh_tinh"),
    ]
    r = evaluate(case(person(records), candidates=[CSBT]), with_forecast=False).results[0]
    assert r.verdict == "not_eligible" and r.earliest_year == 2025
    assert r.missing == ["cần quyết định công nhận Chiến sĩ thi đua cơ sở năm 2025 (đã đạt tiêu chuẩn)"]


def test_forecast_counts_next_years_lower_title_before_the_higher_one():
    # CSTĐCS 2024, 2025 held; 2026 kept at HTXS with a ministry initiative: the 2026 review grants
    # CSTĐCS 2026 first, so CSTĐ bộ/tỉnh 2026 is in the forecast.
    records = [
        htxs(2024),
        htxs(2025),
        title(2024, CSCS),
        title(2025, CSCS),
        initiative("BT", 2025, "bo_nganh_tinh"),
    ]
    out = evaluate(case(person(records)))
    assert out.forecast is not None and out.forecast.year == 2026
    assert CSCS in out.forecast.eligible and CSBT in out.forecast.eligible
    assert "Chiến sĩ thi đua bộ, ban, ngành, tỉnh" in out.forecast.names


def test_forecast_and_missing_print_as_vietnamese_text():
    records = [
        htxs(2024),
        htxs(2025),
        title(2024, CSCS),
        title(2025, CSCS),
        initiative("BT", 2025, "bo_nganh_tinh"),
    ]
    out = evaluate(case(person(records))).model_dump(mode="json")
    text = forecast_text(out["forecast"])
    assert text.startswith("Năm 2026 (ngày xét 15/12/2026): dự kiến đủ điều kiện Lao động tiên tiến")
    assert "{" not in text and "chien_si" not in text
    assert out["forecast"]["text"] == text
    stored = {
        k: v for k, v in out["forecast"].items() if k not in ("names", "text")
    }  # an older stored result
    assert forecast_text(stored) == text
    r = next(r for r in out["results"] if r["id"] == CSTQ)
    assert missing_text(r).startswith("Để đạt Chiến sĩ thi đua toàn quốc còn thiếu: cần")
    assert missing_text(next(r for r in out["results"] if r["verdict"] == "eligible")) == ""
