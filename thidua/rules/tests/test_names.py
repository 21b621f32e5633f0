"""The one lookup of title and form names (`thidua.rules.names`): the rulesets' legal wording."""

from __future__ import annotations

from datetime import date

import pytest

from thidua.rules.names import award_name


@pytest.mark.parametrize(
    ("award_id", "name"),
    [
        ("lao_dong_tien_tien", "Lao động tiên tiến"),
        ("chien_si_thi_dua_bo_tinh", "Chiến sĩ thi đua bộ, ban, ngành, tỉnh"),
        ("bang_khen_bo_tinh", "Bằng khen của bộ, ban, ngành, tỉnh"),
        ("bang_khen_thu_tuong", "Bằng khen của Thủ tướng Chính phủ"),
        ("huan_chuong_lao_dong_hang_ba", "Huân chương Lao động hạng Ba"),
        ("anh_hung_lao_dong", "Anh hùng Lao động"),
        ("ky_niem_chuong_moi", "Ky niem chuong moi"),  # unknown id: readable, never the raw id
    ],
)
def test_it_names_titles_and_forms_as_the_rulesets_do(award_id, name):
    assert award_name(award_id) == name


def test_it_reads_an_initiative_use_with_its_year():
    assert award_name("chien_si_thi_dua_co_so:2024") == "Chiến sĩ thi đua cơ sở năm 2024"


def test_it_names_by_the_ruleset_in_force_on_a_date_and_falls_back_before_the_first():
    assert award_name("giay_khen", on=date(2025, 12, 31)) == "Giấy khen"
    assert award_name("giay_khen", on=date(1990, 1, 1)) == "Giấy khen"
