"""Table tests for the readings of `shared/domain/law.md` that issue 10 pinned down, one block per point,
each row citing the article it checks. Every table has rows that the engine got wrong before."""

from __future__ import annotations

from typing import Any

import pytest

from thidua.rules.tests.helpers import case, htxs, initiative, person, rating, result, title, verdict

LDTT, CSCS, CSBT, CSTQ = (
    "lao_dong_tien_tien",
    "chien_si_thi_dua_co_so",
    "chien_si_thi_dua_bo_tinh",
    "chien_si_thi_dua_toan_quoc",
)
BKBT, BKTTG, HCLD3 = "bang_khen_bo_tinh", "bang_khen_thu_tuong", "huan_chuong_lao_dong_hang_ba"


def htxs_years(first: int, last: int = 2025) -> list[dict[str, Any]]:
    return [htxs(y) for y in range(first, last + 1)]


# --- windows that law.md does not state are settings, off by default ----------------------------
WINDOWS = [
    # (article, item, records, setting, window, verdict without window, verdict with window)
    (
        "Luật 06/2022 Đ23: initiative recognised in an earlier year",
        CSCS,
        [rating(2025), initiative("SK", 2022)],
        "cstdcs_initiative_window_years",
        1,
        "eligible",
        "not_eligible",
    ),
    (
        "Luật 06/2022 Đ22: ministry-level initiative older than the 3-year chain",
        CSBT,
        [
            *htxs_years(2020),
            *(title(y, CSCS) for y in (2023, 2024, 2025)),
            initiative("SK", 2021, "bo_nganh_tinh"),
        ],
        "cstd_bo_tinh_initiative_window_years",
        3,
        "eligible",
        "not_eligible",
    ),
    (
        "Luật 06/2022 Đ21: national initiative older than 6 years",
        CSTQ,
        [
            *htxs_years(2016),
            *(title(y, CSCS) for y in range(2020, 2026)),
            title(2024, CSBT),
            title(2025, CSBT),
            initiative("SK", 2017, "toan_quoc"),
        ],
        "cstd_toan_quoc_initiative_window_years",
        6,
        "eligible",
        "not_eligible",
    ),
    (
        "Luật 06/2022 Đ74 k1 d: the 2 initiatives of the second limb, one before the 2 HTXS years",
        BKBT,
        [htxs(2024), htxs(2025), initiative("A", 2021), initiative("B", 2025)],
        "bk_bo_tinh_initiative_window_years",
        2,
        "eligible",
        "not_eligible",
    ),
]


@pytest.mark.parametrize(("article", "item", "records", "setting", "window", "off", "on"), WINDOWS)
def test_initiative_windows_are_settings_off_by_default(article, item, records, setting, window, off, on):
    data = case(person(records))
    r = result(data, item)
    assert r.verdict == off, article
    assert any(f"{setting} đang tắt" in m for m in r.manual_checks), (article, r.manual_checks)
    assert verdict(data, item, {setting: window}) == on, article


def test_window_settings_are_unconfirmed_and_zero_by_default():
    from thidua.rules import load_ruleset

    for rid in ("tdkt-2024", "tdkt-2025-07", "tdkt-2025-08"):
        rs = load_ruleset(rid)
        for name in {w[3] for w in WINDOWS}:
            spec = rs.settings_spec[name]
            assert (spec.confidence, spec.type, rs.settings[name]) == ("UNCONFIRMED", "int", 0), (rid, name)


# --- Bằng khen bộ/tỉnh Đ74 k1 d: the BNV reading (CV 3385, CONFIRMED in law.md §2) ----------------
def cs_years(*years: int, ratings: str = "hoan_thanh_xuat_sac") -> list[dict[str, Any]]:
    return [*(rating(y, ratings) for y in range(2023, 2026)), *(title(y, CSCS) for y in years)]


@pytest.mark.parametrize(
    ("records", "expected", "consumes"),
    [
        # first limb: two consecutive CSTĐCS earned on the HTXS path
        (cs_years(2024, 2025), "eligible", []),
        # both CSTĐCS years earned with initiatives (HTT ratings): the first limb does not apply
        (
            [
                *cs_years(2024, 2025, ratings="hoan_thanh_tot"),
                initiative("A", 2024, used_for=f"{CSCS}:2024"),
                initiative("B", 2025, used_for=f"{CSCS}:2025"),
            ],
            "not_eligible",
            [],
        ),
        # HTT ratings and no initiative record: the years cannot have been earned on the HTXS path
        (cs_years(2024, 2025, ratings="hoan_thanh_tot"), "not_eligible", []),
        # HTXS both years, but CSTĐCS 2025 was granted on initiative B: B is consumed, and the second
        # limb needs 2 further initiatives
        ([*cs_years(2024, 2025), initiative("B", 2025, used_for=f"{CSCS}:2025")], "not_eligible", []),
        (
            [
                *cs_years(2024, 2025),
                initiative("B", 2025, used_for=f"{CSCS}:2025"),
                initiative("C", 2025),
                initiative("D", 2024),
            ],
            "eligible",
            ["C", "D"],
        ),
        # used_for without a year is read as the initiative's own year
        ([*cs_years(2024, 2025), initiative("B", 2024, used_for=CSCS)], "not_eligible", []),
        # an initiative used for CSTĐCS of another year does not touch these two
        ([*cs_years(2024, 2025), initiative("B", 2023, used_for=f"{CSCS}:2023")], "eligible", []),
    ],
)
def test_bang_khen_bo_tinh_k1_d_two_cstdcs_only_on_the_htxs_path(records, expected, consumes):
    r = result(case(person(records)), BKBT)
    assert (r.verdict, sorted(r.consumes)) == (expected, consumes)
    assert any("Đ74 k1 d" in x.citation and "CV 3385" in x.citation for x in r.reasons)


def test_bang_khen_bo_tinh_k1_d_names_the_initiative_that_took_the_year():
    records = [*cs_years(2024, 2025), initiative("SK-7", 2025, used_for=f"{CSCS}:2025")]
    r = result(case(person(records)), BKBT)
    assert any(not x.ok and "năm 2025 đạt nhờ SK-7" in x.text for x in r.reasons), r.reasons
    ok = result(case(person(cs_years(2024, 2025))), BKBT)
    assert any("CV 3385" in m and "đối chiếu quyết định" in m for m in ok.manual_checks)


# --- NĐ 152/2025 Đ4 k4: achievements count from the END DATE of the discipline -------------------
def disc(day: str, until: str | None, form: str = "khien_trach") -> dict[str, Any]:
    return {"type": "discipline", "form": form, "date": day, "until": until}


@pytest.mark.parametrize(
    ("item", "records", "expected"),
    [
        # ends on 01/03/2025: the 2025 achievement (established at the end of 2025) counts
        (LDTT, [rating(2025), disc("2024-03-01", "2025-03-01")], "eligible"),
        (LDTT, [rating(2025), disc("2024-03-01", "2025-11-30")], "eligible"),
        # ends on 31/12/2025: nothing of 2025 counts yet
        (LDTT, [rating(2025), disc("2024-03-01", "2025-12-31")], "not_eligible"),
        (LDTT, [rating(2025), disc("2025-02-01", None)], "not_eligible"),  # still in effect
        # the CSTĐCS of 2023 counts when the discipline ended during 2023
        (
            CSBT,
            [
                *htxs_years(2022),
                *(title(y, CSCS) for y in (2023, 2024, 2025)),
                initiative("SK", 2025, "bo_nganh_tinh"),
                disc("2022-09-01", "2023-08-31"),
            ],
            "eligible",
        ),
        (
            CSBT,
            [
                *htxs_years(2022),
                *(title(y, CSCS) for y in (2023, 2024, 2025)),
                initiative("SK", 2025, "bo_nganh_tinh"),
                disc("2022-09-01", "2023-12-31"),
            ],
            "not_eligible",
        ),
    ],
)
def test_discipline_masks_until_its_end_date(item, records, expected):
    r = result(case(person(records)), item)
    assert r.verdict == expected
    assert any("Đ4 k4" in x.citation and "Bị kỷ luật" in x.text for x in r.reasons)


def test_discipline_reason_names_the_dates():
    r = result(case(person([rating(2025), disc("2024-03-01", "2025-03-01")])), LDTT)
    (d,) = [x for x in r.reasons if "Bị kỷ luật" in x.text]
    assert d.ok and d.citation == "NĐ 152/2025 Đ4 k4"
    assert "01/03/2024" in d.text and "01/03/2025" in d.text and "từ ngày 02/03/2025" in d.text
    r = result(case(person([rating(2025), disc("2025-02-01", None)])), LDTT)
    assert any(not x.ok and "01/02/2025" in x.text and "chưa hết thời hạn" in x.text for x in r.reasons)


# --- collectives: a member without a rating blocks, listed as "chưa xếp loại" ----------------------
def ldtt_member(i: int) -> dict[str, Any]:
    from thidua.rules.tests.helpers import member

    return member([rating(2025), title(2025, LDTT)], i)


def unrated_member(i: int) -> dict[str, Any]:
    from thidua.rules.tests.helpers import member

    return member([rating(2024)], i)  # rated last year, not this year


@pytest.mark.parametrize(
    ("item", "own", "members", "expected"),
    [
        # Đ28 (≥70% LĐTT in the two regulations seen): 8/10 would pass, but 2 members are not rated
        (
            "tap_the_lao_dong_tien_tien",
            [rating(2025)],
            [*map(ldtt_member, range(8)), *map(unrated_member, (8, 9))],
            "not_eligible",
        ),
        ("tap_the_lao_dong_tien_tien", [rating(2025)], [*map(ldtt_member, range(8))], "eligible"),
        # Đ27 k1 c: 100% of members complete their tasks: an unrated member is not "completed"
        (
            "tap_the_lao_dong_xuat_sac",
            [htxs(2025)],
            [
                {
                    "kind": "individual",
                    "id": "CS",
                    "name": "Chiến sĩ",
                    "records": [htxs(2025), title(2025, LDTT), title(2025, CSCS)],
                },
                *map(ldtt_member, range(7)),
                unrated_member(9),
            ],
            "not_eligible",
        ),
    ],
)
def test_unrated_members_block_and_are_named(item, own, members, expected):
    from thidua.rules.tests.helpers import collective

    r = result(case(collective(own, members)), item)
    assert r.verdict == expected
    if expected == "not_eligible":
        assert any(
            not x.ok and "chưa xếp loại năm 2025" in x.text and "Thành viên 9" in x.text for x in r.reasons
        )
        assert any("xếp loại năm 2025 của mọi thành viên" in m for m in r.missing)


# --- merged units: one cluster rank per predecessor for the same year ------------------------------
def cluster(rank: int, organiser: str = "bo_nganh_tinh", year: int = 2025) -> dict[str, Any]:
    return {"type": "cluster_rank", "year": year, "rank": rank, "organiser": organiser}


@pytest.mark.parametrize(
    ("ranks", "expected"),
    [((3, 1), "eligible"), ((1, 1), "eligible"), ((2, 4), "not_eligible")],
)
def test_merged_unit_takes_the_best_cluster_rank(ranks, expected):
    # Luật 06/2022 Đ26 k1 (leads its cluster); docs/rules.md: the successor keeps one history
    from thidua.rules import evaluate
    from thidua.rules.tests.helpers import collective

    data = case(collective([rating(2025), *(cluster(r) for r in ranks)]), candidates=["co_thi_dua_bo_tinh"])
    r = evaluate(data, with_forecast=False).results[0]  # no CaseError: two ranks are not a malformed case
    assert r.verdict == expected
    assert any("Đ26 k1" in x.citation for x in r.reasons)
    if expected == "eligible":
        assert any("hợp nhất" in m and "hạng cao nhất" in m for m in r.manual_checks)
