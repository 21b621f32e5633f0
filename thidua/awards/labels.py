"""Vietnamese names of emulation titles and commendation forms, by their ruleset ids.

The ids are those of the rulesets (ASCII slugs of the legal names); pages show these names, never
the ids. An id missing here falls back to a readable form of itself, so a new ruleset id still shows.
"""

from __future__ import annotations

AWARD_LABELS: dict[str, str] = {
    # Danh hiệu thi đua cá nhân
    "lao_dong_tien_tien": "Lao động tiên tiến",
    "chien_si_thi_dua_co_so": "Chiến sĩ thi đua cơ sở",
    "chien_si_thi_dua_bo_tinh": "Chiến sĩ thi đua cấp bộ, ngành, tỉnh",
    "chien_si_thi_dua_toan_quoc": "Chiến sĩ thi đua toàn quốc",
    # Danh hiệu thi đua tập thể
    "tap_the_lao_dong_tien_tien": "Tập thể lao động tiên tiến",
    "tap_the_lao_dong_xuat_sac": "Tập thể lao động xuất sắc",
    "co_thi_dua_bo_tinh": "Cờ thi đua của bộ, ngành, tỉnh",
    "co_thi_dua_chinh_phu": "Cờ thi đua của Chính phủ",
    # Hình thức khen thưởng
    "giay_khen": "Giấy khen",
    "bang_khen_bo_tinh": "Bằng khen của Bộ trưởng, Chủ tịch UBND tỉnh",
    "bang_khen_thu_tuong": "Bằng khen của Thủ tướng Chính phủ",
    "huan_chuong_lao_dong_hang_ba": "Huân chương Lao động hạng Ba",
    "huan_chuong_lao_dong_hang_nhi": "Huân chương Lao động hạng Nhì",
    "huan_chuong_lao_dong_hang_nhat": "Huân chương Lao động hạng Nhất",
    "huan_chuong_doc_lap_hang_ba": "Huân chương Độc lập hạng Ba",
    "huan_chuong_doc_lap_hang_nhi": "Huân chương Độc lập hạng Nhì",
    "huan_chuong_doc_lap_hang_nhat": "Huân chương Độc lập hạng Nhất",
    "huan_chuong_ho_chi_minh": "Huân chương Hồ Chí Minh",
    "danh_hieu_anh_hung_lao_dong": "Anh hùng Lao động",
    "ky_niem_chuong": "Kỷ niệm chương",
}


def award_label(award_id: str) -> str:
    """The Vietnamese name of a title or form; unknown ids read as their words ('abc_xyz' → 'Abc xyz')."""
    if award_id in AWARD_LABELS:
        return AWARD_LABELS[award_id]
    words = award_id.replace("_", " ").strip()
    return words[:1].upper() + words[1:]
