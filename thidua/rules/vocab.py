"""Fixed vocabulary of the case contract and of rules.yaml: ratings, scopes, discipline forms, kinds."""

from __future__ import annotations

from typing import Final

RATINGS: Final = ("khong_hoan_thanh", "hoan_thanh", "hoan_thanh_tot", "hoan_thanh_xuat_sac")
RATING_RANK: Final = {r: i for i, r in enumerate(RATINGS)}
RATING_LABELS: Final = {
    "hoan_thanh_xuat_sac": "Hoàn thành xuất sắc nhiệm vụ",
    "hoan_thanh_tot": "Hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Hoàn thành nhiệm vụ",
    "khong_hoan_thanh": "Không hoàn thành nhiệm vụ",
}

SCOPES: Final = ("co_so", "bo_nganh_tinh", "toan_quoc")
SCOPE_RANK: Final = {s: i for i, s in enumerate(SCOPES)}
SCOPE_LABELS: Final = {"co_so": "cơ sở", "bo_nganh_tinh": "bộ, ngành, tỉnh", "toan_quoc": "toàn quốc"}

DISCIPLINE_FORMS: Final = (
    "khien_trach",
    "canh_cao",
    "ha_bac_luong",
    "giang_chuc",
    "cach_chuc",
    "buoc_thoi_viec",
)
DISCIPLINE_RANK: Final = {f: i for i, f in enumerate(DISCIPLINE_FORMS)}
DISCIPLINE_LABELS: Final = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
}

PENDING_KINDS: Final = ("discipline", "investigation", "complaint")
PENDING_LABELS: Final = {
    "discipline": "đang xem xét kỷ luật",
    "investigation": "đang điều tra, thanh tra, kiểm tra, kiểm toán",
    "complaint": "đang xác minh khiếu nại, tố cáo",
}
LEAVE_REASONS: Final = ("thai_san", "hoc_tap", "benh", "khac")
LEAVE_LABELS: Final = {
    "thai_san": "nghỉ thai sản",
    "hoc_tap": "đi học tập",
    "benh": "nghỉ ốm",
    "khac": "nghỉ khác",
}

SUBJECT_KINDS: Final = ("individual", "collective", "household")
KIND_LABELS: Final = {"individual": "cá nhân", "collective": "tập thể", "household": "hộ gia đình"}
CLUSTER_ORGANISERS: Final = ("trung_uong", "bo_nganh_tinh")
MOVEMENT_LAUNCHERS: Final = ("thu_tuong", "bo_nganh_tinh")
ORGANISER_LABELS: Final = {
    "trung_uong": "Hội đồng Thi đua - Khen thưởng Trung ương",
    "bo_nganh_tinh": "bộ, ngành, tỉnh",
    "thu_tuong": "Thủ tướng Chính phủ",
}
CONFIDENCES: Final = ("CONFIRMED", "SINGLE_SOURCE", "UNCONFIRMED")
# Who decides (the rulesets' `authority` codes; Luật 06/2022 Đ80): the one wording, read by pages and
# by the year-end's routing (`thidua/awards/authority.py`).
AUTHORITY_LABELS: Final = {
    "thu_truong_don_vi": "Thủ trưởng đơn vị",
    "giam_doc_doanh_nghiep": "Giám đốc doanh nghiệp, hợp tác xã",
    "chu_tich_ubnd_xa": "Chủ tịch UBND cấp xã",
    "bo_truong_chu_tich_tinh": "Bộ trưởng, thủ trưởng cơ quan trung ương, Chủ tịch UBND tỉnh",
    "quan_khu_dhqg": "Tư lệnh quân khu, Giám đốc đại học quốc gia",
    "bqp_bca": "Bộ trưởng Bộ Quốc phòng, Bộ trưởng Bộ Công an",
    "thu_tuong": "Thủ tướng Chính phủ",
    "chu_tich_nuoc": "Chủ tịch nước",
}
