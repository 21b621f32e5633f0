"""Table tests for individual titles and forms: every path and its edges."""

from __future__ import annotations

from typing import Any

import pytest

from thidua.rules.tests.helpers import (
    award,
    case,
    discipline,
    htxs,
    initiative,
    leave,
    pending,
    person,
    rating,
    result,
    title,
    verdict,
)

LDTT, CSCS, CSBT, CSTQ = (
    "lao_dong_tien_tien",
    "chien_si_thi_dua_co_so",
    "chien_si_thi_dua_bo_tinh",
    "chien_si_thi_dua_toan_quoc",
)
BKBT, BKTTG, HCLD3 = "bang_khen_bo_tinh", "bang_khen_thu_tuong", "huan_chuong_lao_dong_hang_ba"
SAME_MEETING = {"count_current_year_if_meets": True}  # unconfirmed: the year's title counts when met


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([rating(2025, "hoan_thanh_tot")], "eligible"),
        ([rating(2025, "hoan_thanh_xuat_sac")], "eligible"),
        ([rating(2025, "hoan_thanh")], "not_eligible"),
        ([rating(2025, "khong_hoan_thanh")], "not_eligible"),
        ([rating(2024, "hoan_thanh_xuat_sac")], "not_eligible"),  # no rating for the year considered
        ([], "not_eligible"),
    ],
)
def test_lao_dong_tien_tien(records, expected):
    assert verdict(case(person(records)), LDTT) == expected


@pytest.mark.parametrize(
    ("records", "expected", "consumes"),
    [
        ([htxs(2025)], "eligible", []),  # HTXS alone: no initiative needed (Đ23)
        ([rating(2025), initiative("SK1", 2025)], "eligible", ["SK1"]),
        ([htxs(2025), initiative("SK1", 2025)], "eligible", []),  # HTXS path first: nothing consumed
        ([rating(2025), initiative("SK1", 2025, kind="science_work")], "eligible", ["SK1"]),
        ([rating(2025), initiative("SK1", 2025, "bo_nganh_tinh")], "eligible", ["SK1"]),  # wider scope counts
        ([rating(2025)], "not_eligible", []),
        ([rating(2025), initiative("SK1", 2024)], "eligible", ["SK1"]),  # Đ23 sets no window
        (
            [rating(2025), initiative("SK1", 2025, used_for="bang_khen_bo_tinh")],
            "not_eligible",
            [],
        ),  # already used
        (
            [rating(2025), initiative("SK1", 2025, used_for=f"{CSCS}:2025")],
            "eligible",
            ["SK1"],
        ),  # re-evaluation
        ([rating(2025, "hoan_thanh"), initiative("SK1", 2025)], "not_eligible", []),  # not LĐTT
    ],
)
def test_chien_si_thi_dua_co_so(records, expected, consumes):
    r = result(case(person(records)), CSCS)
    assert (r.verdict, r.consumes) == (expected, consumes)
    assert any("Đ23" in x.citation for x in r.reasons)


def test_used_initiative_is_named_in_the_failed_reason():
    r = result(case(person([rating(2025), initiative("SK9", 2025, used_for=f"{BKBT}")])), CSCS)
    assert any(not x.ok and "SK9 đã dùng cho Bằng khen của bộ, ban, ngành, tỉnh" in x.text for x in r.reasons)
    r = result(case(person([rating(2025), initiative("SK8", 2025, used_for=f"{BKBT}:2024")])), CSCS)
    assert any("SK8 đã dùng cho Bằng khen của bộ, ban, ngành, tỉnh năm 2024" in x.text for x in r.reasons)
    assert not any("bang_khen" in x.text for x in r.reasons)


def cs_chain(years: list[int], last: int = 2025) -> list[dict[str, Any]]:
    recs = [htxs(y) for y in range(last - 5, last + 1)]
    return recs + [title(y, CSCS) for y in years]


@pytest.mark.parametrize(
    ("records", "options", "expected"),
    [
        ([*cs_chain([2023, 2024, 2025]), initiative("SK", 2024, "bo_nganh_tinh")], None, "eligible"),
        ([*cs_chain([2023, 2024, 2025]), initiative("SK", 2023, "toan_quoc")], None, "eligible"),
        (
            [*cs_chain([2022, 2024, 2025]), initiative("SK", 2024, "bo_nganh_tinh")],
            None,
            "not_eligible",
        ),  # gap year 2023
        (
            [*cs_chain([2023, 2024, 2025]), initiative("SK", 2024, "co_so")],
            None,
            "not_eligible",
        ),  # scope too narrow
        # Đ22: 3 consecutive CSTĐCS awarded; 2025 only met (no decision yet) counts only with the
        # unconfirmed same-meeting option
        ([*cs_chain([2023, 2024]), initiative("SK", 2024, "bo_nganh_tinh")], None, "not_eligible"),
        ([*cs_chain([2023, 2024]), initiative("SK", 2024, "bo_nganh_tinh")], SAME_MEETING, "eligible"),
    ],
)
def test_chien_si_thi_dua_bo_tinh(records, options, expected):
    assert verdict(case(person(records)), CSBT, options) == expected


def test_gap_year_policy_is_a_setting():
    records = [*cs_chain([2022, 2024, 2025]), initiative("SK", 2024, "bo_nganh_tinh")]
    records = [
        r for r in records if not (r["type"] == "rating" and r["year"] == 2023)
    ]  # 2023: no rating at all
    assert verdict(case(person(records)), CSBT) == "not_eligible"
    assert verdict(case(person(records)), CSBT, {"chain_gap_policy": "skip_unrated"}) == "eligible"


def test_one_initiative_is_not_used_twice_for_the_ladder():
    # 2025 rated HTT: CSTĐCS 2025 needs an initiative; the only one is of ministry scope.
    base = [rating(y) for y in range(2020, 2026)] + [title(2023, CSCS), title(2024, CSCS)]
    # (Same-meeting reading: CSTĐCS 2025 is counted because its criteria are met this year.)
    only_one = [*base, initiative("SK-BT", 2025, "bo_nganh_tinh")]
    r = result(case(person(only_one)), CSBT, SAME_MEETING)
    assert r.verdict == "not_eligible"
    two = [*only_one, initiative("SK-CS", 2025, "co_so")]
    r = result(case(person(two)), CSBT, SAME_MEETING)
    assert (r.verdict, r.consumes) == ("eligible", ["SK-BT"])


def test_missing_says_how_many_more_years():
    r = result(case(person([*cs_chain([2024, 2025]), initiative("SK", 2024, "bo_nganh_tinh")])), CSBT)
    assert r.verdict == "not_eligible"
    assert "cần thêm 1 năm Chiến sĩ thi đua cơ sở liên tiếp (2026)" in r.missing


@pytest.mark.parametrize(
    ("records", "options", "expected"),
    [
        (
            [
                *cs_chain([2020, 2021, 2022, 2023, 2024, 2025]),
                title(2024, CSBT),
                title(2025, CSBT),
                initiative("B", 2022, "toan_quoc"),
            ],
            None,
            "eligible",
        ),
        # Đ21: 2 consecutive CSTĐ bộ/tỉnh AWARDED; 2025 only met counts with the same-meeting option
        (
            [
                *cs_chain([2020, 2021, 2022, 2023, 2024]),
                title(2024, CSBT),
                initiative("A", 2025, "bo_nganh_tinh"),
                initiative("B", 2022, "toan_quoc"),
            ],
            None,
            "not_eligible",
        ),
        (
            [
                *cs_chain([2020, 2021, 2022, 2023, 2024]),
                title(2024, CSBT),
                initiative("A", 2025, "bo_nganh_tinh"),
                initiative("B", 2022, "toan_quoc"),
            ],
            SAME_MEETING,
            "eligible",
        ),
        (
            [
                *cs_chain([2020, 2021, 2022, 2023, 2024]),
                title(2024, CSBT),
                initiative("A", 2025, "bo_nganh_tinh"),
            ],
            SAME_MEETING,
            "not_eligible",
        ),
        # the only national initiative would be used by CSTĐ bộ/tỉnh 2025 itself: single use
        (
            [
                *cs_chain([2020, 2021, 2022, 2023, 2024]),
                title(2024, CSBT),
                initiative("B", 2022, "toan_quoc"),
            ],
            SAME_MEETING,
            "not_eligible",
        ),
        (
            [
                *cs_chain([2020, 2021, 2022, 2023, 2024]),
                title(2023, CSBT),
                initiative("A", 2025, "bo_nganh_tinh"),
                initiative("B", 2022, "toan_quoc"),
            ],
            SAME_MEETING,
            "not_eligible",
        ),
    ],
)
def test_chien_si_thi_dua_toan_quoc(records, options, expected):
    assert verdict(case(person(records)), CSTQ, options) == expected


@pytest.mark.parametrize(
    ("records", "expected", "consumes"),
    [
        (
            [htxs(2024), htxs(2025), title(2024, CSCS), title(2025, CSCS)],
            "eligible",
            [],
        ),  # Đ74 k1 d: 2 consecutive CSTĐCS
        (
            [htxs(2024), htxs(2025), initiative("A", 2024), initiative("B", 2025)],
            "eligible",
            ["A", "B"],
        ),  # 2 HTXS + 2 initiatives
        ([rating(2024), htxs(2025), title(2023, CSCS)], "not_eligible", []),
        ([rating(2024), rating(2025), initiative("A", 2024), initiative("B", 2025)], "not_eligible", []),
    ],
)
def test_bang_khen_bo_tinh_individual(records, expected, consumes):
    r = result(case(person(records)), BKBT)
    assert (r.verdict, sorted(r.consumes)) == (expected, consumes)


def test_bang_khen_bo_tinh_lists_judgement_paths_when_checkable_paths_fail():
    r = result(case(person([rating(2025)])), BKBT)
    assert r.verdict == "not_eligible"
    assert any("Đ74 k1 a" in m for m in r.manual_checks)
    assert any("Đ74 k1 c" in m for m in r.manual_checks)


def hist(
    first: int, last: int = 2025, htxs_years: tuple[int, ...] = (), cs_years: tuple[int, ...] = ()
) -> list[dict[str, Any]]:
    recs = [htxs(y) if y in htxs_years else rating(y) for y in range(first, last + 1)]
    return recs + [title(y, CSCS) for y in cs_years]


@pytest.mark.parametrize(
    ("records", "options", "expected"),
    [
        ([*hist(2018, cs_years=(2021, 2022, 2023)), award(BKBT, "2019-06-01")], None, "eligible"),
        (
            [*hist(2018, cs_years=(2021, 2022, 2023)), award(BKBT, "2020-06-01")],
            None,
            "eligible",
        ),  # exactly 5 years
        (
            [*hist(2018, cs_years=(2022, 2023, 2024)), award(BKBT, "2021-06-01")],
            None,
            "not_eligible",
        ),  # 4 years
        (
            [*hist(2018, cs_years=(2022, 2023, 2024)), award(BKBT, "2021-06-01")],
            {"since_award_window_starts": "award_year"},
            "eligible",
        ),
        (
            [*hist(2018, cs_years=(2021, 2022)), award(BKBT, "2019-06-01")],
            None,
            "not_eligible",
        ),  # 2 CSTĐCS only
        (
            [*hist(2018, htxs_years=(2025,), cs_years=(2021, 2022)), award(BKBT, "2019-06-01")],
            None,
            "not_eligible",
        ),  # Đ73 k1 b: 3 CSTĐCS awarded; 2025 only meets CSTĐCS
        (
            [*hist(2018, htxs_years=(2025,), cs_years=(2021, 2022)), award(BKBT, "2019-06-01")],
            SAME_MEETING,
            "eligible",
        ),
        (hist(2018, cs_years=(2021, 2022, 2023)), None, "not_eligible"),  # no BK bộ/tỉnh
        (
            [*hist(2018, cs_years=(2021, 2022, 2023)), award(BKBT, "2019-06-01"), rating(2022, "hoan_thanh")][
                :-1
            ],
            None,
            "eligible",
        ),
    ],
)
def test_bang_khen_thu_tuong(records, options, expected):
    assert verdict(case(person(records)), BKTTG, options) == expected


def test_bang_khen_thu_tuong_a_weak_year_breaks_the_window():
    records = [rating(y, "hoan_thanh" if y == 2022 else "hoan_thanh_tot") for y in range(2018, 2026)]
    records += [title(y, CSCS) for y in (2019, 2020, 2021)] + [award(BKBT, "2017-06-01")]
    r = result(case(person(records)), BKTTG)
    assert r.verdict == "not_eligible"
    assert "cần thêm 2 năm liên tục xếp loại từ Hoàn thành tốt nhiệm vụ trở lên (2027)" in r.missing


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        (
            [*hist(2018, htxs_years=(2022,), cs_years=(2021, 2022, 2024)), award(BKTTG, "2019-03-01")],
            "eligible",
        ),
        (
            [*hist(2018, cs_years=(2021, 2022, 2024)), award(BKTTG, "2019-03-01")],
            "not_eligible",
        ),  # no HTXS year
        (
            [*hist(2018, htxs_years=(2022,), cs_years=(2021, 2022, 2024)), award(BKBT, "2019-03-01")],
            "not_eligible",
        ),
    ],
)
def test_huan_chuong_lao_dong_hang_ba(records, expected):
    r = result(case(person(records)), HCLD3)
    assert r.verdict == expected
    assert any("Đ44 k1 e" in x.citation for x in r.reasons)


# --- global rules ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ([pending("2025-11-01")], "deferred"),
        ([pending("2025-11-01", kind="investigation")], "deferred"),
        ([pending("2025-03-01", "2025-06-01")], "eligible"),  # concluded before the review
        ([pending("2025-03-01", "2025-12-20")], "deferred"),  # concludes after the review date
    ],
)
def test_pending_proceedings_defer(extra, expected):
    r = result(case(person([htxs(2025), *extra])), CSCS)
    assert r.verdict == expected
    assert r.eligible is (expected == "eligible")


def test_pending_does_not_hide_a_failure():
    assert verdict(case(person([rating(2025, "hoan_thanh"), pending("2025-11-01")])), LDTT) == "not_eligible"


@pytest.mark.parametrize(
    ("disc", "item", "records", "expected"),
    [
        (discipline("2024-03-01", "2025-12-31"), LDTT, [rating(2025)], "not_eligible"),  # counts from 2026
        (discipline("2023-01-01", "2024-06-30"), LDTT, [rating(2025)], "eligible"),
        (discipline("2023-01-01", None), LDTT, [rating(2025)], "not_eligible"),  # still in effect
        # achievements before the end of the discipline do not count for the chain
        (
            discipline("2023-01-01", "2023-12-31"),
            BKBT,
            [htxs(2023), htxs(2024), htxs(2025), title(2023, CSCS), title(2024, CSCS), title(2025, CSCS)],
            "eligible",
        ),
        (
            discipline("2023-06-01", "2024-06-01"),
            BKBT,
            [htxs(2023), htxs(2024), htxs(2025), title(2023, CSCS), title(2024, CSCS)],
            "not_eligible",
        ),
    ],
)
def test_discipline_resets_achievements(disc, item, records, expected):
    assert verdict(case(person([*records, disc])), item) == expected


# Minimum service: TT 01/2024/TT-BNV (tdkt-2024 and tdkt-2025-07); from 2025-08-05 a setting.
@pytest.mark.parametrize(
    ("recruited", "as_of", "options", "expected"),
    [
        ("2024-06-15", "2024-12-15", None, "eligible"),  # exactly 6 months
        ("2024-06-16", "2024-12-15", None, "not_eligible"),  # one day short
        ("2025-01-20", "2025-07-20", None, "eligible"),  # tdkt-2025-07
        ("2025-01-21", "2025-07-20", None, "not_eligible"),
        ("2025-08-01", "2025-12-15", None, "eligible"),  # tdkt-2025-08: rule unconfirmed, off -> manual check
        ("2025-08-01", "2025-12-15", {"apply_min_service_rule": True}, "not_eligible"),
    ],
)
def test_minimum_service(recruited, as_of, options, expected):
    year = int(as_of[:4])
    r = result(case(person([rating(year)], recruited_on=recruited), year=year, as_of=as_of), LDTT, options)
    assert r.verdict == expected


def test_minimum_service_off_is_a_manual_check_marked_unconfirmed():
    r = result(case(person([rating(2025)], recruited_on="2025-08-01")), LDTT)
    assert any("Chưa xác nhận" in m and "“Thời gian công tác tối thiểu 6 tháng" in m for m in r.manual_checks)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("thai_san", "eligible"),  # maternity counts as work (NĐ 152 Đ4 k5)
        ("hoc_tap", "eligible"),  # training counts (TT 01/2024)
        ("benh", "not_eligible"),  # deducted when the (unconfirmed) deduction setting is on
        ("khac", "not_eligible"),
    ],
)
def test_maternity_leave_counts_as_work(reason, expected):
    records = [rating(2024), leave("2024-04-01", "2024-09-30", reason)]
    data = case(person(records, recruited_on="2024-03-01"), year=2024, as_of="2024-12-15")
    assert verdict(data, LDTT, {"min_service_deduct_leave": True}) == expected
    assert verdict(data, LDTT) == "eligible"  # by default leave is not deducted


def test_maternity_leave_is_shown_as_a_reason():
    records = [rating(2025), leave("2025-02-01", "2025-08-01", "thai_san")]
    r = result(case(person(records)), LDTT)
    assert any("thai sản" in x.text and "Đ4 k5" in x.citation for x in r.reasons)


def test_unknown_recruitment_date_is_a_manual_check():
    r = result(case(person([rating(2024)], recruited_on=None), year=2024, as_of="2024-12-15"), LDTT)
    assert r.verdict == "eligible"
    assert any("ngày tuyển dụng" in m for m in r.manual_checks)


@pytest.mark.parametrize(
    ("records", "expected"),
    [([rating(2025)], "eligible"), ([rating(2025, "hoan_thanh")], "not_eligible")],
)
def test_giay_khen_example_criteria_only_when_enabled(records, expected):
    on = {"giay_khen_bac_ninh_example": True}
    r = result(case(person(records)), "giay_khen", on)
    assert r.verdict == expected
    assert any(
        "phong trào thi đua" in m for m in r.manual_checks
    )  # judgement-only any_of becomes a manual check
    from thidua.rules import CaseError, evaluate

    with pytest.raises(CaseError, match="giay_khen_bac_ninh_example"):
        evaluate(case(person(records), candidates=["giay_khen"]))
    assert "giay_khen" not in {x.id for x in evaluate(case(person(records)), with_forecast=False).results}


@pytest.mark.parametrize(
    ("bo_tinh_years", "step", "expected"),
    [
        ((2024, 2025), 1, "eligible"),  # two consecutive years (rules.yaml reading)
        ((2022, 2025), 1, "not_eligible"),
        ((2022, 2025), 3, "eligible"),  # two consecutive 3-year cycles (setting, unconfirmed)
        ((2024, 2025), 3, "not_eligible"),
    ],
)
def test_chien_si_thi_dua_toan_quoc_chain_step(bo_tinh_years, step, expected):
    records = [htxs(y) for y in range(2019, 2026)] + [title(y, CSCS) for y in range(2020, 2026)]
    records += [title(y, CSBT) for y in bo_tinh_years]
    records += [initiative("A", 2025, "bo_nganh_tinh"), initiative("B", 2023, "toan_quoc")]
    assert verdict(case(person(records)), CSTQ, {"cstd_bo_tinh_chain_step": step}) == expected
