"""Prize money (coefficient x base salary, rounded up to 10,000 VND) and dated rulesets."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest

from thidua.rules import evaluate, list_rulesets, load_ruleset
from thidua.rules.ruleset import round_up
from thidua.rules.tests.helpers import case, htxs, person, rating, result

# law.md §5: coefficient, amount at 2,340,000 and at 2,530,000 VND
PRIZES = [
    ("chien_si_thi_dua_toan_quoc", "individual", 10_530_000, 11_390_000),
    ("chien_si_thi_dua_bo_tinh", "individual", 7_020_000, 7_590_000),
    ("chien_si_thi_dua_co_so", "individual", 2_340_000, 2_530_000),
    ("lao_dong_tien_tien", "individual", 710_000, 760_000),
    ("tap_the_lao_dong_xuat_sac", "collective", 3_510_000, 3_800_000),
    ("tap_the_lao_dong_tien_tien", "collective", 1_880_000, 2_030_000),
    ("xa_phuong_dac_khu_tieu_bieu", "collective", 4_680_000, 5_060_000),
    ("thon_to_dan_pho_van_hoa", "collective", 3_510_000, 3_800_000),
    ("co_thi_dua_chinh_phu", "collective", 28_080_000, 30_360_000),
    ("co_thi_dua_bo_tinh", "collective", 18_720_000, 20_240_000),
    ("co_thi_dua_quan_khu_dhqg", "collective", 14_040_000, 15_180_000),
    ("huan_chuong_sao_vang", "individual", 107_640_000, 116_380_000),
    ("huan_chuong_ho_chi_minh", "individual", 71_370_000, 77_170_000),
    ("huan_chuong_doc_lap_hang_nhat", "individual", 35_100_000, 37_950_000),
    ("huan_chuong_doc_lap_hang_nhi", "individual", 29_250_000, 31_630_000),
    ("huan_chuong_doc_lap_hang_ba", "individual", 24_570_000, 26_570_000),
    ("huan_chuong_lao_dong_hang_nhat", "individual", 21_060_000, 22_770_000),
    ("huan_chuong_lao_dong_hang_nhi", "individual", 17_550_000, 18_980_000),
    ("huan_chuong_lao_dong_hang_ba", "individual", 10_530_000, 11_390_000),
    ("huan_chuong_dai_doan_ket_dan_toc", "individual", 17_550_000, 18_980_000),
    ("huan_chuong_dung_cam", "individual", 10_530_000, 11_390_000),
    ("anh_hung_lao_dong", "individual", 36_270_000, 39_220_000),
    ("anh_hung_lao_dong", "collective", 72_540_000, 78_430_000),
    ("danh_hieu_nhan_dan", "individual", 29_250_000, 31_630_000),
    ("danh_hieu_uu_tu", "individual", 21_060_000, 22_770_000),
    ("bang_khen_thu_tuong", "individual", 8_190_000, 8_860_000),
    ("bang_khen_thu_tuong", "collective", 16_380_000, 17_710_000),
    ("bang_khen_bo_tinh", "individual", 3_510_000, 3_800_000),
    ("bang_khen_bo_tinh", "collective", 7_020_000, 7_590_000),
    ("bang_khen_quan_khu_dhqg", "individual", 2_340_000, 2_530_000),
    ("bang_khen_quan_khu_dhqg", "collective", 4_680_000, 5_060_000),
    ("giay_khen", "individual", 710_000, 760_000),
    ("giay_khen", "collective", 1_410_000, 1_520_000),
]


@pytest.mark.parametrize(("item", "kind", "before", "after"), PRIZES)
def test_prize_table_of_law_md(item, kind, before, after):
    rs = load_ruleset(on=date(2026, 6, 30))
    assert rs.prize_vnd(item, kind, date(2026, 6, 30)) == before
    assert rs.prize_vnd(item, kind, date(2026, 7, 1)) == after


@pytest.mark.parametrize(
    ("day", "salary"),
    [
        (date(2023, 6, 30), 1_490_000),
        (date(2023, 7, 1), 1_800_000),
        (date(2024, 6, 30), 1_800_000),
        (date(2024, 7, 1), 2_340_000),
        (date(2026, 6, 30), 2_340_000),
        (date(2026, 7, 1), 2_530_000),
    ],
)
def test_base_salary_schedule(day, salary):
    assert load_ruleset(on=date(2025, 12, 1)).base_salary_on(day) == salary


def test_rounding_is_up_and_exact():
    assert round_up(Decimal("0.3") * 2_340_000, 10_000) == 710_000  # 702,000 -> 710,000
    assert round_up(Decimal("2.0") * 2_340_000, 10_000) == 4_680_000  # already a multiple
    assert isinstance(round_up(Decimal("0.45") * 2_530_000, 10_000), int)


@pytest.mark.parametrize(("as_of", "prize"), [("2026-06-30", 710_000), ("2026-07-01", 760_000)])
def test_prize_uses_the_base_salary_on_the_decision_date(as_of, prize):
    r = result(case(person([rating(2026)]), year=2026, as_of=as_of), "lao_dong_tien_tien")
    assert r.prize_vnd == prize
    assert r.prize_coefficient == 0.3


@pytest.mark.parametrize(
    ("as_of", "ruleset", "vote", "prize_cite"),
    [
        ("2025-06-30", "tdkt-2024", 80, "NĐ 98/2023"),
        ("2025-07-01", "tdkt-2025-07", None, "NĐ 152/2025"),
        ("2025-08-04", "tdkt-2025-07", None, "NĐ 152/2025"),
        ("2025-08-05", "tdkt-2025-08", None, "NĐ 152/2025"),
    ],
)
def test_date_selects_the_ruleset(as_of, ruleset, vote, prize_cite):
    out = evaluate(
        case(person([htxs(2025)]), as_of=as_of, candidates=["chien_si_thi_dua_co_so"]), with_forecast=False
    )
    assert out.ruleset == ruleset
    (r,) = out.results
    assert r.vote_threshold_pct == vote
    rs = load_ruleset(ruleset)
    item = rs.items["chien_si_thi_dua_co_so"]
    assert item.prize is not None and prize_cite in (item.prize.citation or "")
    if vote is None:
        assert any("Chưa xác nhận" in m and "80%" in m for m in r.manual_checks)


def test_unconfirmed_vote_threshold_can_be_assumed_by_setting():
    data = case(person([htxs(2025)]), candidates=["chien_si_thi_dua_bo_tinh"])
    out = evaluate(data, options={"assume_nd98_vote_thresholds": True}, with_forecast=False)
    assert out.results[0].vote_threshold_pct == 90


def test_rulesets_cover_dates_without_overlap():
    infos = list_rulesets()
    assert [i.id for i in infos] == ["tdkt-2024", "tdkt-2025-07", "tdkt-2025-08"]
    for a, b in itertools.pairwise(infos):
        assert a.effective_to is not None and (b.effective_from - a.effective_to).days == 1
    assert infos[-1].effective_to is None


def test_no_ruleset_before_2024():
    with pytest.raises(KeyError):
        load_ruleset(on=date(2023, 12, 31))


def test_forecast_next_year_if_the_rating_is_kept():
    data = case(
        person([htxs(2024), htxs(2025), {"type": "title", "year": 2024, "id": "chien_si_thi_dua_co_so"}])
    )
    out = evaluate(data)
    assert out.forecast is not None and out.forecast.year == 2026
    assert "chien_si_thi_dua_co_so" in out.forecast.eligible
    assert "lao_dong_tien_tien" in out.forecast.eligible
    # granted this year (assumed), so next year's chain of 3 CSTĐCS is there, but no ministry-scope initiative
    assert "chien_si_thi_dua_bo_tinh" not in out.forecast.eligible
    dumped = out.model_dump(mode="json")
    assert dumped["forecast"]["as_of"] == "2026-12-15"
