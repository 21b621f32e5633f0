"""Reading an audit entry's JSON detail as Vietnamese label/value lines (no queries, no HTML)."""

from __future__ import annotations

import re
from typing import Any

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
}

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
}

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


def _format_changes(changes: Any) -> str:
    if not isinstance(changes, dict):
        return format_value(changes)
    parts = []
    for field, pair in changes.items():
        label = FIELD_LABELS.get(field, field)
        if isinstance(pair, list) and len(pair) == 2:
            parts.append(f"{label}: {format_value(pair[0])} → {format_value(pair[1])}")
        else:
            parts.append(f"{label}: {format_value(pair)}")
    return "; ".join(parts) if parts else "không có thay đổi"


def detail_lines(detail: Any) -> list[tuple[str, str]]:
    """[(label, text), ...] for an entry's detail, in the order the service wrote it; empty values dropped."""
    if not isinstance(detail, dict):
        return [("Chi tiết", format_value(detail))] if detail else []
    lines: list[tuple[str, str]] = []
    for key, value in detail.items():
        if value is None or value == "" or value == []:
            continue
        text = _format_changes(value) if key == "changes" else format_value(value)
        lines.append((DETAIL_LABELS.get(key) or str(key), text))
    return lines
