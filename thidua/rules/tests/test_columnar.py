"""Differential test: the set-based engine gives the interpreter's verdicts, subject by subject."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from thidua.rules import Case, load_ruleset, parse_case
from thidua.rules.columnar import (
    VERDICT_CODES,
    _add_months,
    cases_to_columns,
    evaluate_columns,
    summarise_cases,
)
from thidua.rules.engine import add_months, build_facts, evaluate_facts
from thidua.rules.tests.gen import random_collective, random_individual

OPTION_SETS = [
    {},
    {"count_current_year_if_meets": True, "cstd_bo_tinh_chain_step": 3},
    {"since_award_window_starts": "award_year", "count_current_year_if_meets": True},
    {
        "min_service_deduct_leave": True,
        "apply_min_service_rule": True,
        "cstdcs_initiative_window_years": 1,
        "cstd_bo_tinh_initiative_window_years": 3,
        "cstd_toan_quoc_initiative_window_years": 6,
        "bk_bo_tinh_initiative_window_years": 2,
    },
    {"apply_min_service_rule": True, "assume_nd98_vote_thresholds": True, "giay_khen_bac_ninh_example": True},
]


def _cases(seed: int, n: int, as_of: date) -> list[Case]:
    rng = random.Random(seed)
    return [parse_case(random_individual(rng, i, as_of.year, as_of)) for i in range(n)]


@pytest.mark.parametrize("options", OPTION_SETS)
@pytest.mark.parametrize(
    "as_of", [date(2025, 12, 15), date(2024, 12, 20), date(2025, 7, 10), date(2024, 1, 20), date(2026, 11, 2)]
)
def test_columnar_verdicts_equal_interpreter(options, as_of):
    cases = _cases(hash((str(options), as_of)) % 10_000, 400, as_of)
    rs = load_ruleset(on=as_of)
    opts = {k: v for k, v in options.items() if k in rs.settings_spec}
    rs = rs.with_settings(opts)
    cols = cases_to_columns(cases, list(rs.items))
    bv = evaluate_columns(cols, ruleset=rs)
    mismatches = []
    for k, case in enumerate(cases):
        results = evaluate_facts(
            rs, build_facts(case.subject, as_of=case.as_of_date), case.year, case.as_of_date
        )
        for r in results:
            got = bv.verdict(k, r.id)
            if got != r.verdict:
                mismatches.append((case.subject.id, r.id, r.verdict, got))
    assert not mismatches, mismatches[:10]
    # the generated data reaches every verdict for the main titles
    seen = {VERDICT_CODES[c] for c in np.unique(bv.codes)}
    assert {"eligible", "not_eligible"} <= seen


def test_summary_of_mixed_cases_keeps_order_and_candidates():
    cases = _cases(7, 50, date(2025, 12, 15))
    summary = summarise_cases(cases)
    for case, row in zip(cases, summary, strict=True):
        rs = load_ruleset(on=case.as_of_date)
        expected = {
            r.id: r.verdict
            for r in evaluate_facts(
                rs, build_facts(case.subject, as_of=case.as_of_date), case.year, case.as_of_date
            )
        }
        assert row == expected


@pytest.mark.parametrize(
    "day", [date(2024, 8, 31), date(2024, 2, 29), date(2025, 1, 31), date(2023, 12, 31), date(2025, 6, 15)]
)
def test_month_arithmetic_matches(day):
    got = int(_add_months(np.array([day.toordinal()]), 6)[0])
    assert date.fromordinal(got) == add_months(day, 6)


@pytest.mark.parametrize(
    "options", [*OPTION_SETS[:3], {"ttldtt_min_ldtt_pct": 50, "ttldtt_min_ldtt_op": ">"}]
)
def test_columnar_collectives_equal_interpreter(options):
    as_of = date(2025, 12, 15)
    rng = random.Random(hash(str(options)) % 10_000)
    cases = [parse_case(random_collective(rng, i, 2025, as_of)) for i in range(150)]
    cases += _cases(3, 50, as_of)  # individuals in the same batch
    rs = load_ruleset(on=as_of)
    rs = rs.with_settings(rs.applicable(options))
    bv = evaluate_columns(cases_to_columns(cases, list(rs.items)), ruleset=rs)
    mismatches = []
    for k, case in enumerate(cases):
        facts = build_facts(case.subject, members=case.subject.members, as_of=case.as_of_date)
        for r in evaluate_facts(rs, facts, case.year, case.as_of_date):
            got = bv.verdict(k, r.id)
            if got != r.verdict:
                mismatches.append((case.subject.id, r.id, r.verdict, got))
    assert not mismatches, mismatches[:10]
    counts = bv.counts()
    for item in (
        "tap_the_lao_dong_tien_tien",
        "tap_the_lao_dong_xuat_sac",
        "co_thi_dua_bo_tinh",
        "co_thi_dua_chinh_phu",
    ):
        assert counts[item]["eligible"] > 0 and counts[item]["not_eligible"] > 0, (item, counts[item])


def test_verdicts_as_dicts_skip_items_that_do_not_apply():
    as_of = date(2025, 12, 15)
    cases = [parse_case(random_collective(random.Random(1), 1, 2025, as_of)), *_cases(2, 2, as_of)]
    rs = load_ruleset(on=as_of)
    bv = evaluate_columns(cases_to_columns(cases, list(rs.items)), ruleset=rs)
    rows = bv.as_dicts(len(cases))
    assert len(rows) == 3
    assert set(rows[0]) == {it.id for it in rs.candidates_for("collective")}
    assert set(rows[1]) == {it.id for it in rs.candidates_for("individual")}
    assert rows == summarise_cases(cases)
