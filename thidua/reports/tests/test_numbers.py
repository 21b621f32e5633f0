"""The reports' numbers against a hand count on a small organisation (the `small` fixture's
docstring). Every expected number below was counted by hand from that history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from thidua.movements.models import Movement
from thidua.reports import statforms, stats, tally
from thidua.reports.report import Section

pytestmark = pytest.mark.django_db


def rows(section: Section) -> dict[str, list[object]]:
    return {str(r[0]): list(r[1:]) for r in section.rows}


def test_awards_by_year_and_level(small):
    tally.rebuild()
    report = stats.awards_report(stats.Filters(small.root, 2024, 2025))

    trend = report.sections[0]
    assert [c.header for c in trend.columns] == ["Năm", "Cấp bộ, ban, ngành, tỉnh", "Cấp cơ sở", "Tổng số"]
    assert rows(trend) == {"2024": [0, 6, 6], "2025": [2, 5, 7]}
    assert trend.total == ["Cộng", 2, 11, 13]
    titles = rows(report.sections[1])
    assert titles["Chiến sĩ thi đua cơ sở"] == ["Cấp cơ sở", 0, 2, 2]  # the revoked one is not counted
    assert titles["Lao động tiên tiến"] == ["Cấp cơ sở", 0, 8, 8]
    assert titles["Tập thể lao động tiên tiến"] == ["Cấp cơ sở", 1, 0, 1]
    assert titles["Cờ thi đua của bộ, ban, ngành, tỉnh"] == ["Cấp bộ, ban, ngành, tỉnh", 1, 0, 1]
    assert rows(report.sections[2]) == {
        "Bằng khen của bộ, ban, ngành, tỉnh": ["Cấp bộ, ban, ngành, tỉnh", 0, 1, 1]
    }
    matrix = rows(report.sections[3])
    assert matrix["Lao động tiên tiến"] == [4, 4] and matrix["Chiến sĩ thi đua cơ sở"] == [1, 1]


def test_shares_of_women_direct_workers_and_minorities(small):
    tally.rebuild()
    report = stats.shares_report(stats.Filters(small.root, 2024, 2025))

    by_year = rows(report.sections[0])
    # 2024: 5 person awards; women Bình, Đào (2); direct An ×2, Cường, Đào (4); minorities Bình, Đào (2)
    assert by_year["2024"] == [5, 2, Decimal("40.0"), 4, Decimal("80.0"), 2, Decimal("40.0")]
    # 2025: 6; women Bình ×2, Đào ×2; direct An, Cường, Đào ×2; minorities Bình ×2, Đào ×2
    assert by_year["2025"] == [6, 4, Decimal("66.7"), 4, Decimal("66.7"), 4, Decimal("66.7")]
    staff = rows(report.sections[2])
    # 3 people of the shared org + Đào = 4 (the council fixture is not loaded here)
    assert staff["Tổng số nhân sự"][0] == 4
    assert staff["Nữ"] == [2, Decimal("50.0")]
    assert staff["Người dân tộc thiểu số"] == [2, Decimal("50.0")]
    assert staff["Chưa ghi dân tộc"] == [1, Decimal("25.0")]


def test_by_unit_and_province(small):
    tally.rebuild()
    report = stats.units_report(stats.Filters(small.root, 2024, 2025))

    units = rows(report.sections[0])
    # A: 2 collective (department's TTLĐTT, A's Cờ) + An 3, Bình 3, Đào 3; B: Cường 2 (revoked left out)
    assert units[small.a.name] == [2, 9, 11, 36_490_000]
    assert units[small.b.name] == [0, 2, 2, 1_400_000]
    assert report.sections[0].total == ["Cộng", 2, 11, 13, 37_890_000]
    provinces = rows(report.sections[1])
    assert provinces[small.a.name][2] == 11 and provinces[small.b.name][2] == 2


def test_an_award_counts_where_the_person_worked_on_the_decision_day(small):
    from thidua.org.services import transfer_person

    transfer_person(actor=None, person=small.dao, unit=small.b, on=date(2026, 6, 1))
    tally.rebuild()

    units = rows(stats.units_report(stats.Filters(small.root, 2024, 2025)).sections[0])
    assert units[small.a.name][2] == 11 and units[small.b.name][2] == 2


def test_an_officer_of_a_province_sees_its_numbers_only(small):
    tally.rebuild()
    trend = stats.awards_report(stats.Filters(small.a, 2024, 2025)).sections[0]
    assert rows(trend) == {"2024": [0, 5, 5], "2025": [2, 4, 6]}


def test_prize_money_by_decision_year_and_source(small):
    tally.rebuild()
    report = stats.prize_report(stats.Filters(small.root, 2025, 2026))

    by_year = rows(report.sections[0])
    # decided in 2025 (achievements of 2024): 4 × 700.000 + 2.340.000 + 1.870.000
    assert by_year["2025"] == [6, 0, 7_010_000, 7_010_000]
    # decided in 2026: Bằng khen 7.020.000 + Cờ 18.720.000; 4 × 700.000 + 2.340.000
    assert by_year["2026"] == [7, 25_740_000, 5_140_000, 30_880_000]


def test_the_shipped_statistical_forms_over_the_same_history(small):
    tally.rebuild()
    forms = statforms.shipped()
    grassroots = statforms.evaluate(forms["tt18-tdkt-04"][0], small.root, 2025, Movement.objects.none())
    table = rows(grassroots.sections[0])
    # 2025, grassroots level: LĐTT ×4 + CSTĐCS Đào; women Bình, Đào ×2; direct An, Cường, Đào ×2;
    # minorities Bình, Đào ×2
    assert table["Tổng số"] == [5, 0, 5, 3, 4, 3]
    assert table["Chiến sĩ thi đua cơ sở"] == [1, 0, 1, 1, 1, 1]
    assert table["Lao động tiên tiến"] == [4, 0, 4, 2, 3, 2]
    assert table["Tập thể lao động tiên tiến"] == [0, 0, 0, 0, 0, 0]
    money = rows(
        statforms.evaluate(forms["tt18-tdkt-05"][0], small.root, 2026, Movement.objects.none()).sections[0]
    )
    assert money["Tổng số"] == [7, 1, 6, 30_880_000]
    assert money["Khen thưởng cấp bộ, ban, ngành, tỉnh"] == [2, 1, 1, 25_740_000]
    assert money["Khen thưởng cấp Nhà nước"] == [0, 0, 0, 0]
    assert "Chưa xác nhận" in " ".join(grassroots.notes)


def test_the_year_end_annex_states_the_same_numbers(small):
    from thidua.reports import annex

    tally.rebuild()
    report = annex.annex_report(small.root, 2025, Movement.objects.none())
    titles = rows(report.sections[0])
    # Tập thể, cá nhân, nữ, trực tiếp, DTTS, tiền thưởng
    assert titles["Lao động tiên tiến"] == [0, 4, 2, 3, 2, 2_800_000]
    assert titles["Cờ thi đua của bộ, ban, ngành, tỉnh"] == [1, 0, 0, 0, 0, 18_720_000]
    assert rows(report.sections[1]) == {"Bằng khen của bộ, ban, ngành, tỉnh": [0, 1, 1, 0, 1, 7_020_000]}
    assert report.sections[0].title.startswith("I. ") and report.sections[5].title.startswith("VI. ")
