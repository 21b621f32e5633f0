"""Table tests for the readings of `shared/domain/law.md` that issue 10 pinned down, one block per point,
each row citing the article it checks. Every table has rows that the engine got wrong before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from thidua.rules import load_ruleset
from thidua.rules.render import setting_name
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
    named = setting_name(load_ruleset(on=date.fromisoformat(data["as_of"])), setting)
    assert any(f"{named} đang tắt" in m for m in r.manual_checks), (article, r.manual_checks)
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


# --- newer law is visible -----------------------------------------------------------------------------
NEW_LAW = "Luật 06/2026/QH16"


@pytest.mark.parametrize(
    ("as_of", "expected"), [("2026-10-01", True), ("2026-12-20", True), ("2026-09-30", False)]
)
def test_every_result_from_2026_10_01_warns_that_luat_06_2026_may_change_the_criteria(as_of, expected):
    # law.md §0: Luật 06/2026/QH16 reported in force from 01/10/2026, content UNCONFIRMED
    from thidua.rules import evaluate
    from thidua.rules.tests.helpers import collective, member

    people = [case(person([htxs(2026)]), year=2026, as_of=as_of)]
    unit = collective([htxs(2026)], [member([rating(2026), title(2026, LDTT)], i) for i in range(3)])
    for data in (*people, case(unit, year=2026, as_of=as_of)):
        out = evaluate(data, with_forecast=False)
        assert out.results
        for r in out.results:
            assert any(NEW_LAW in m for m in r.manual_checks) is expected, (r.id, r.manual_checks)
    cs = result(people[0], CSCS)
    assert (
        any("đồng thời Hoàn thành xuất sắc nhiệm vụ và có sáng kiến" in m for m in cs.manual_checks)
        is expected
    )


def hist(
    first: int, cs: tuple[int, ...], htxs_in: tuple[int, ...] = (), last: int = 2025
) -> list[dict[str, Any]]:
    recs = [htxs(y) if y in htxs_in else rating(y) for y in range(first, last + 1)]
    return recs + [title(y, CSCS) for y in cs]


@pytest.mark.parametrize(
    ("item", "records"),
    [
        # Luật 06/2022 Đ73 k1 b: since BK bộ/tỉnh
        (BKTTG, [*hist(2018, (2021, 2022, 2023)), {"type": "award", "id": BKBT, "date": "2019-06-01"}]),
        # Luật 06/2022 Đ44 k1 e: since BK Thủ tướng
        (
            HCLD3,
            [*hist(2018, (2021, 2022, 2024), (2022,)), {"type": "award", "id": BKTTG, "date": "2019-03-01"}],
        ),
    ],
)
def test_since_award_paths_carry_the_thematic_award_check(item, records):
    # NĐ 152/2025 Đ4 k3: thematic and one-off awards do not ground higher merit awards
    r = result(case(person(records)), item)
    assert r.verdict == "eligible"
    assert any("NĐ 152/2025 Đ4 k3" in m and "chuyên đề" in m and "đột xuất" in m for m in r.manual_checks)


# --- citations follow the instrument in force --------------------------------------------------------
def _texts(out: Any) -> list[str]:
    texts = []
    for r in out.results:
        texts += [x.citation for x in r.reasons] + [x.text for x in r.reasons]
        # the one check that names the NĐ 98 assumption as an option the officer may turn on
        texts += [m for m in r.manual_checks if "“Ngưỡng biểu quyết theo NĐ 98/2023” đang tắt" not in m]
        texts.append(r.prize_basis or "")
    return texts


@pytest.mark.parametrize("as_of", ["2025-07-01", "2025-12-15", "2026-11-20"])
def test_no_reason_cites_nd_98_after_2025_07_01(as_of):
    import random
    from datetime import date

    from thidua.rules import evaluate, load_ruleset
    from thidua.rules.tests.gen import random_collective, random_individual

    day = date.fromisoformat(as_of)
    rng = random.Random(11)
    for i in range(150):
        for data in (random_individual(rng, i, day.year, day), random_collective(rng, i, day.year, day)):
            for options in (None, {"include_armed_forces": True}):
                out = evaluate(data, options=options)
                bad = [t for t in _texts(out) if "NĐ 98" in t]
                assert not bad, bad[:3]
    rs = load_ruleset(on=day)
    for row in rs.rules_in_force():
        assert "NĐ 98" not in row["citation"], row["id"]
        assert all("NĐ 98" not in text for text in row["criteria"].values()), row["id"]
    assert "NĐ 152/2025 Đ49" in (rs.prize_basis(LDTT, "individual", day) or "")


def test_before_2025_07_01_the_prize_basis_cites_nd_98():
    from datetime import date

    from thidua.rules import load_ruleset

    rs = load_ruleset(on=date(2025, 3, 1))
    assert "NĐ 98/2023" in (rs.prize_basis(CSCS, "individual", date(2025, 3, 1)) or "")
    assert "NĐ 152" not in (rs.prize_basis(CSCS, "individual", date(2025, 3, 1)) or "")


@pytest.mark.parametrize(
    ("as_of", "expected", "manual"),
    [
        ("2024-01-20", "eligible", True),  # TT 01/2024/TT-BNV not yet in force: the officer confirms
        ("2024-02-10", "not_eligible", False),  # in force: 4 months < 6
    ],
)
def test_six_month_rule_applies_from_the_circulars_own_date(as_of, expected, manual):
    r = result(case(person([rating(2023)], recruited_on="2023-10-01"), year=2023, as_of=as_of), LDTT)
    assert r.verdict == expected
    assert any("chưa có hiệu lực" in m and "TT 01/2024" in m for m in r.manual_checks) is manual
