"""Reading an audit entry's JSON detail as Vietnamese label/value lines (no queries, no HTML)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from thidua.lib.numbers import format_number
from thidua.rules.names import award_name

DETAIL_LABELS: dict[str, str] = {
    "code": "Mã",
    "name": "Tên",
    "unit": "Đơn vị",
    "units": "Đơn vị",
    "citizen_id": "Số CCCD",
    "changes": "Thay đổi",
    "merged": "Đơn vị được sáp nhập",
    "into": "Đơn vị sau tổ chức lại",
    "split": "Đơn vị chia tách",
    "decision": "Căn cứ",
    "from": "Từ đơn vị",
    "to": "Sang đơn vị",
    "on": "Ngày",
    "title": "Chức vụ",
    "old_name": "Tên cũ",
    "new_name": "Tên mới",
    "from_parent": "Cấp trên cũ",
    "to_parent": "Cấp trên mới",
    "members": "Đơn vị thành viên",
    "head": "Cụm trưởng / khối trưởng",
    "ip": "Địa chỉ IP",
    "role": "Vai trò",
    "file": "Tệp",
    "rows": "Số dòng",
    "created": "Thêm mới",
    "updated": "Cập nhật",
    "skipped": "Bỏ qua",
    "username": "Tên đăng nhập",
    "reason": "Lý do",
    "period": "Thời gian",
    "people": "Nhân sự",
    "roles": "Phân quyền",
    "clusters": "Cụm, khối",
    "where": "Xem tại",
    "person": "Nhân sự",
    "note": "Căn cứ",
    "from_year": "Từ năm",
    "to_year": "Sang năm",
    "personal_data": "Số dòng có thông tin cá nhân đầy đủ",
    "query": "Bộ lọc",
    # the year-end, councils and decisions
    "award": "Danh hiệu, hình thức",
    "year": "Năm",
    "years": "Thời gian",
    "candidates": "Đề nghị",
    "candidate": "Đề nghị",
    "recipients": "Số cá nhân, tập thể",
    "total_vnd": "Tổng tiền thưởng (đồng)",
    "money_vnd": "Tiền thưởng phải thu hồi (đồng)",
    "number": "Số quyết định",
    "route": "Cấp quyết định",
    "authority": "Thẩm quyền",
    "waiting_released": "Số danh hiệu chờ được xét lại",
    "voters": "Số thành viên đã bỏ phiếu",
    "in_writing": "Phiếu gửi bằng văn bản",
    "closed_early": "Kết thúc trước khi đủ phiếu",
    "results": "Kết quả",
    "again": "Bỏ phiếu lại",
    "mode": "Hình thức",
    "member": "Thành viên",
    "agree": "Đồng ý",
    "disagree": "Không đồng ý",
    "threshold": "Ngưỡng",
    "passed": "Đạt",
    "proposed": "Số đề nghị",
    "deferred": "Số tạm hoãn",
    "kept": "Giữ nguyên",
    "waiting": "Số danh hiệu chờ",
    "problems": "Vướng mắc",
    "ruleset": "Bộ quy định áp dụng",
    "term": "Nhiệm kỳ",
    "vote_rule": "Tỷ lệ biểu quyết",
    "quorum": "Số thành viên có mặt",
    "deadline": "Hạn",
    "late": "Quá hạn",
    "htxs_cap": "Giới hạn HTXS",
    "unit_value": "Xếp loại đơn vị",
    "changed": "Thay đổi",
    "accepted": "Đồng ý",
    "engine_verdict": "Kết quả xét tự động",
    "justification": "Giải trình",
    "counting_committee": "Ban kiểm phiếu",
    "today": "Ngày",
    "registration": "Đăng ký",
    "told": "Số đơn vị được báo",
    "before": "Trước",
    "after": "Sau",
    "form": "Biểu mẫu",
    "description": "Mô tả",
    "offset": "Dịch toàn trang (mm)",
    # movements, results, rankings
    "kind": "Loại",
    "document": "Văn bản",
    "summary": "Trích yếu",
    "milestone": "Mốc thời gian",
    "include_subtree": "Gồm các đơn vị trực thuộc",
    "unit_kind": "Loại đơn vị",
    "public": "Công khai",
    "documents": "Văn bản công khai",
    "leaders": "Đơn vị dẫn đầu",
    "targets": "Số chỉ tiêu",
    "titles": "Danh hiệu đăng ký",
    "subject": "Đối tượng",
    "count": "Số lượng",
    "codes": "Tiêu chí",
    "self_score": "Điểm tự chấm",
    "review_score": "Điểm thẩm định",
    "final_score": "Điểm chính thức",
    "corrections": "Sửa số liệu",
    "ranks": "Thứ hạng",
    "notes": "Ghi chú",
    "feeds": "Căn cứ cho xét khen thưởng",
    "criteria": "Số tiêu chí",
    "movement": "Phong trào",
    "cluster": "Cụm, khối",
    # articles, exports, the demo
    "source": "Nguồn",
    "image": "Ảnh",
    "bytes": "Dung lượng (byte)",
    "type": "Định dạng",
    "list": "Danh sách",
    "counts": "Số lượng",
    "seed": "Mã dữ liệu mẫu",
}

# Where one key means another thing in another part: labels by the action's first word.
ACTION_DETAIL_LABELS: dict[str, dict[str, str]] = {
    "ballot": {"members": "Số thành viên Hội đồng"},
    "council": {"members": "Thành viên Hội đồng"},
    "movement": {"from": "Từ trạng thái", "to": "Sang trạng thái"},
    "scoring_table": {"from": "Sao chép từ bảng số"},
}

# Keys whose value is an award id (a title or form): shown by its name, never the id.
AWARD_KEYS = frozenset({"award"})
# Keys whose value is a whole number or an amount: Vietnamese notation (1.234.567).
NUMBER_KEYS = frozenset({"total_vnd", "money_vnd", "bytes", "recipients"})
# Keys whose value is a score: Vietnamese decimals (99,47).
SCORE_KEYS = frozenset({"self_score", "review_score", "final_score"})

# The Vietnamese label of a code value, by detail key ("kind": {"tin_tuc": "Tin tức"}). The apps above
# audit register their choices here when they start (`register_value_labels`), so this module
# imports none of them.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "route": {"own_unit": "Đơn vị tự quyết định", "above": "Cấp trên quyết định"},
    "list": {
        "people": "Nhân sự",
        "units": "Đơn vị",
        "audit": "Nhật ký thao tác",
        "person": "Báo cáo thành tích cá nhân",
        "unit": "Báo cáo thành tích tập thể",
    },
}


def register_value_labels(key: str, labels: Mapping[str, str] | Any) -> None:
    """Show the code values of detail `key` by their labels: a mapping or Django `choices` pairs."""
    pairs = labels.items() if isinstance(labels, Mapping) else labels
    VALUE_LABELS.setdefault(key, {}).update({str(code): str(label) for code, label in pairs})


# Field names that appear inside "changes" diffs, by model field.
FIELD_LABELS: dict[str, str] = {
    "name": "tên",
    "short_name": "tên viết tắt",
    "kind": "loại",
    "full_name": "họ và tên",
    "gender": "giới tính",
    "date_of_birth": "ngày sinh",
    "recruited_on": "ngày tuyển dụng",
    "email": "thư điện tử",
    "phone": "điện thoại",
    "current_title": "chức vụ",
    "province_code": "mã tỉnh",
    "place_name": "địa danh",
    "symbol": "ký hiệu",
    "is_legal_entity": "tư cách pháp nhân",
    "valid_from": "hoạt động từ",
    "valid_to": "hoạt động đến",
    "cover_id": "ảnh bìa",
    "title": "tiêu đề",
    "summary": "tóm tắt",
    "body": "nội dung",
    "status": "trạng thái",
    "parent_body": "cơ quan chủ quản",
    # the organisation's year-end settings (awards.AwardSettings)
    "htxs_cap_enabled": "áp dụng giới hạn tỷ lệ HTXS",
    "htxs_cap_pct": "giới hạn HTXS (% số HTT)",
    "htxs_cap_pct_excellent_unit": "giới hạn HTXS khi đơn vị được xếp loại HTXS (%)",
    "quotas": "tỷ lệ tối đa theo danh hiệu",
    "council_quorum": "số thành viên Hội đồng phải có mặt để biểu quyết",
}

# Fields whose value is {award id: percent}: shown as "Lao động tiên tiến: 15,5%".
PERCENT_BY_AWARD_FIELDS = frozenset({"quotas"})

LIST_LIMIT = 20
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def format_value(value: Any) -> str:
    """A detail value as text: dates dd/mm/yyyy, lists joined, booleans in words, empty as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        if len(value) > LIST_LIMIT:  # a bulk import lists thousands of ids: show the start and the count
            shown = ", ".join(format_value(v) for v in value[:LIST_LIMIT])
            return f"{shown} … (và {len(value) - LIST_LIMIT} mục khác, tổng {len(value)})"
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_value(v)}" for k, v in value.items())
    text = str(value)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = match.groups()
        return f"{day}/{month}/{year}"
    return text


def format_keyed(key: str, value: Any) -> str:
    """A detail value as text, read through its key: award ids named, codes labelled, numbers in
    Vietnamese notation; lists and nested objects read the same way, item by item."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        text = " | ".join(_format_object(v) for v in value[:LIST_LIMIT])
        return text + (f" … (tổng {len(value)})" if len(value) > LIST_LIMIT else "")
    if isinstance(value, dict) and key != "changes":
        return _format_object(value)
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        # rows such as ranks [code, rank, total]: one row after another
        rows = "; ".join(format_value(v) for v in value[:LIST_LIMIT])
        return rows + (f" … (tổng {len(value)})" if len(value) > LIST_LIMIT else "")
    if isinstance(value, list) and (key in VALUE_LABELS or key in AWARD_KEYS):
        return format_value([format_keyed(key, v) for v in value])
    if isinstance(value, str) and key in AWARD_KEYS and value:
        return award_name(value)
    if isinstance(value, (str, int)) and not isinstance(value, bool) and key in VALUE_LABELS:
        return VALUE_LABELS[key].get(str(value), str(value))
    if key in NUMBER_KEYS and not isinstance(value, bool) and isinstance(value, (int, float, str)):
        return format_number(value) or format_value(value)
    if key in SCORE_KEYS and not isinstance(value, bool) and isinstance(value, (int, float, str)):
        return format_number(value, None) or format_value(value)
    if key == "changed" and isinstance(value, list):
        return ", ".join(FIELD_LABELS.get(str(v), str(v)) for v in value)
    return format_value(value)


def _format_object(value: dict[str, Any]) -> str:
    parts = []
    for k, v in value.items():
        if v is None or v == "" or v == []:
            continue
        parts.append(f"{DETAIL_LABELS.get(k, k)}: {format_keyed(k, v)}")
    return "; ".join(parts)


def _format_field_value(field: str, value: Any) -> str:
    if field in PERCENT_BY_AWARD_FIELDS and isinstance(value, dict):
        if not value:
            return "không giới hạn"
        return "; ".join(
            f"{award_name(str(k))}: {format_number(v, None) or format_value(v)}%" for k, v in value.items()
        )
    return format_value(value)


def _format_changes(changes: Any) -> str:
    if not isinstance(changes, dict):
        return format_value(changes)
    parts = []
    for field, pair in changes.items():
        label = FIELD_LABELS.get(field, field)
        if isinstance(pair, list) and len(pair) == 2:
            old, new = (_format_field_value(field, v) for v in pair)
            parts.append(f"{label}: {old} → {new}")
        else:
            parts.append(f"{label}: {_format_field_value(field, pair)}")
    return "; ".join(parts) if parts else "không có thay đổi"


def detail_lines(detail: Any, action: str = "") -> list[tuple[str, str]]:
    """[(label, text), ...] for an entry's detail, in the order the service wrote it; empty values dropped.
    `action` (the entry's action code) picks the labels of keys that mean another thing there."""
    own_labels = ACTION_DETAIL_LABELS.get(action.partition(".")[0], {})
    if not isinstance(detail, dict):
        return [("Chi tiết", format_value(detail))] if detail else []
    lines: list[tuple[str, str]] = []
    for key, value in detail.items():
        if value is None or value == "" or value == []:
            continue
        text = _format_changes(value) if key == "changes" else format_keyed(key, value)
        lines.append((own_labels.get(key) or DETAIL_LABELS.get(key) or str(key), text))
    return lines
