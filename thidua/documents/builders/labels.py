"""Vietnamese names of the titles and forms of the rulesets (ids as in `AwardRecord.award_id`)."""

from __future__ import annotations

AWARD_LABELS: dict[str, str] = {
    "lao_dong_tien_tien": "Lao động tiên tiến",
    "chien_si_tien_tien": "Chiến sĩ tiên tiến",
    "chien_si_thi_dua_co_so": "Chiến sĩ thi đua cơ sở",
    "chien_si_thi_dua_bo_tinh": "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh",
    "chien_si_thi_dua_toan_quoc": "Chiến sĩ thi đua toàn quốc",
    "tap_the_lao_dong_tien_tien": "Tập thể lao động tiên tiến",
    "tap_the_lao_dong_xuat_sac": "Tập thể lao động xuất sắc",
    "co_thi_dua_bo_tinh": "Cờ thi đua của bộ, ban, ngành, tỉnh",
    "co_thi_dua_chinh_phu": "Cờ thi đua của Chính phủ",
    "giay_khen": "Giấy khen",
    "bang_khen_bo_tinh": "Bằng khen của bộ, ban, ngành, tỉnh",
    "bang_khen_thu_tuong": "Bằng khen của Thủ tướng Chính phủ",
    "huan_chuong_lao_dong_hang_ba": "Huân chương Lao động hạng Ba",
    "huan_chuong_lao_dong_hang_nhi": "Huân chương Lao động hạng Nhì",
    "huan_chuong_lao_dong_hang_nhat": "Huân chương Lao động hạng Nhất",
}


def award_label(award_id: str) -> str:
    """The Vietnamese name; an unknown id is shown as is (a ruleset may add its own)."""
    return AWARD_LABELS.get(award_id, award_id)


def certificate_kind(award_id: str) -> str:
    """Which blank a record is printed on: "bang_khen" for the Bằng khen forms, else "giay_khen"."""
    return "bang_khen" if award_id.startswith("bang_khen") else "giay_khen"
