"""Table tests for collective titles and forms (member shares, clusters, movements)."""

from __future__ import annotations

import pytest

from thidua.rules.tests.helpers import (
    case,
    collective,
    discipline,
    htxs,
    member,
    rating,
    result,
    title,
    verdict,
)

TTLDTT, TTLDXS = "tap_the_lao_dong_tien_tien", "tap_the_lao_dong_xuat_sac"
CO_BT, CO_CP, BKBT = "co_thi_dua_bo_tinh", "co_thi_dua_chinh_phu", "bang_khen_bo_tinh"


def members(n_ldtt: int, n_other: int, *, other_rating: str = "hoan_thanh", cs: int = 0, extra=None):
    out = []
    for i in range(n_ldtt):
        recs = [rating(2025), title(2025, "lao_dong_tien_tien")]
        if i < cs:
            recs = [htxs(2025), title(2025, "lao_dong_tien_tien"), title(2025, "chien_si_thi_dua_co_so")]
        out.append(member(recs, i))
    for j in range(n_other):
        out.append(member([rating(2025, other_rating)], 100 + j))
    if extra:
        out[0]["records"].append(extra)
    return out


@pytest.mark.parametrize(
    ("n_ldtt", "n_other", "options", "expected"),
    [
        (7, 3, None, "eligible"),  # exactly 70%
        (6, 4, None, "not_eligible"),
        (5, 5, {"ttldtt_min_ldtt_pct": 50}, "eligible"),  # ">= 50"
        (
            5,
            5,
            {"ttldtt_min_ldtt_pct": 50, "ttldtt_min_ldtt_op": ">"},
            "not_eligible",
        ),  # old Law: more than 50%
        (6, 4, {"ttldtt_min_ldtt_pct": 50, "ttldtt_min_ldtt_op": ">"}, "eligible"),
        (0, 0, None, "not_eligible"),  # no members listed
    ],
)
def test_tap_the_lao_dong_tien_tien_share(n_ldtt, n_other, options, expected):
    data = case(collective([rating(2025)], members(n_ldtt, n_other)))
    assert verdict(data, TTLDTT, options) == expected


SAME_MEETING = {"count_current_year_if_meets": True}


def test_member_meeting_the_standard_counts_only_with_the_same_meeting_option():
    # Luật 06/2022 Đ28 (share of members who ARE Lao động tiên tiến): a member who only meets the
    # standard this year, without a decision, is not counted unless the officer turns on the
    # unconfirmed same-meeting reading; then the reason says so.
    ms = [*members(6, 0), member([rating(2025, "hoan_thanh_tot")], 50), *members(0, 3)]
    data = case(collective([rating(2025)], ms))
    r = result(data, TTLDTT)
    assert r.verdict == "not_eligible"
    assert any("6/10 thành viên" in x.text for x in r.reasons)
    r = result(data, TTLDTT, SAME_MEETING)
    assert r.verdict == "eligible"
    share = next(x for x in r.reasons if "7/10 thành viên" in x.text)
    assert "“Bình xét cùng kỳ” đang bật" in share.text and share.confidence == "UNCONFIRMED"


def test_a_member_who_only_meets_cstdcs_does_not_make_ttldxs():
    # Luật 06/2022 Đ27 k1 d: at least one member IS Chiến sĩ thi đua cơ sở.
    ms = members(8, 2)
    ms[0]["records"] = [htxs(2025), title(2025, "lao_dong_tien_tien")]  # meets CSTĐCS, not awarded
    data = case(collective([htxs(2025)], ms))
    assert verdict(data, TTLDXS) == "not_eligible"
    assert verdict(data, TTLDXS, SAME_MEETING) == "eligible"


@pytest.mark.parametrize(
    ("form", "expected"),
    [("khien_trach", "eligible"), ("canh_cao", "not_eligible"), ("cach_chuc", "not_eligible")],
)
def test_tap_the_lao_dong_tien_tien_member_discipline(form, expected):
    ms = members(8, 2, extra=discipline("2025-04-01", "2025-10-01", form))
    assert verdict(case(collective([rating(2025)], ms)), TTLDTT) == expected


def test_tap_the_lao_dong_tien_tien_needs_the_collective_rating():
    assert verdict(case(collective([rating(2025, "hoan_thanh")], members(8, 2))), TTLDTT) == "not_eligible"


@pytest.mark.parametrize(
    ("own", "ms", "expected"),
    [
        ([htxs(2025)], members(8, 2, cs=1), "eligible"),
        ([rating(2025)], members(8, 2, cs=1), "not_eligible"),  # collective not HTXS
        ([htxs(2025)], members(8, 2, cs=0), "not_eligible"),  # no CSTĐCS member
        ([htxs(2025)], members(6, 4, cs=1), "not_eligible"),  # 60% LĐTT
        (
            [htxs(2025)],
            members(8, 2, cs=1, other_rating="khong_hoan_thanh"),
            "not_eligible",
        ),  # not 100% >= HT
    ],
)
def test_tap_the_lao_dong_xuat_sac(own, ms, expected):
    r = result(case(collective(own, ms)), TTLDXS)
    assert r.verdict == expected
    assert any("Đ27" in x.citation for x in r.reasons)


def cluster(rank: int, organiser: str = "bo_nganh_tinh", year: int = 2025):
    return {"type": "cluster_rank", "year": year, "rank": rank, "organiser": organiser}


def movement(launched_by: str, years_run: int, year: int = 2025):
    return {"type": "movement_lead", "year": year, "launched_by": launched_by, "years_run": years_run}


@pytest.mark.parametrize(
    ("records", "item", "expected"),
    [
        ([cluster(1)], CO_BT, "eligible"),
        ([cluster(2)], CO_BT, "not_eligible"),
        ([cluster(1, year=2024)], CO_BT, "not_eligible"),
        ([movement("bo_nganh_tinh", 3)], CO_BT, "eligible"),  # Đ26 k2: movement run >= 3 years
        ([movement("bo_nganh_tinh", 2)], CO_BT, "not_eligible"),
        ([cluster(1, "trung_uong")], CO_CP, "eligible"),  # Đ25 k2
        ([cluster(1)], CO_CP, "eligible"),  # Đ25 k1: among ministry cluster leaders (selection is manual)
        ([cluster(3)], CO_CP, "not_eligible"),
        ([movement("thu_tuong", 5)], CO_CP, "eligible"),  # Đ25 k3
        ([movement("thu_tuong", 4)], CO_CP, "not_eligible"),
        ([movement("bo_nganh_tinh", 6)], CO_CP, "not_eligible"),
    ],
)
def test_flags(records, item, expected):
    assert verdict(case(collective([rating(2025), *records])), item) == expected


def test_government_flag_k1_lists_the_selection_for_the_officer():
    r = result(case(collective([rating(2025), cluster(1)])), CO_CP)
    assert any("lựa chọn trong số các tập thể dẫn đầu" in m for m in r.manual_checks)


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([htxs(2024), htxs(2025)], "eligible"),
        ([rating(2024), htxs(2025)], "not_eligible"),
        ([rating(2024), rating(2025), title(2024, TTLDXS), title(2025, TTLDXS)], "eligible"),
    ],
)
def test_bang_khen_bo_tinh_collective(records, expected):
    assert verdict(case(collective(records, [])), BKBT) == expected


def test_household_has_nothing_the_engine_can_decide():
    data = case({"kind": "household", "id": "H1", "name": "Hộ ông A", "records": []})
    from thidua.rules.tests.helpers import run

    assert run(data).results == []
