"""Building small import files in memory for the import tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

PEOPLE_HEADERS = [
    "Số CCCD",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày tuyển dụng",
    "Mã đơn vị",
    "Chức vụ",
    "Từ ngày",
    "Thư điện tử",
    "Điện thoại",
    "Người lao động trực tiếp",
    "Dân tộc",
]
UNIT_HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Tên viết tắt",
    "Loại đơn vị",
    "Mã đơn vị cấp trên",
    "Có tư cách pháp nhân",
    "Mã tỉnh",
    "Hoạt động từ ngày",
    "Ký hiệu trên văn bản",
    "Địa danh",
]


def xlsx(headers: list[str], rows: list[list[Any]], *, sheet: str = "Nhân sự") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: list[str], rows: list[list[Any]], *, delimiter: str = ",") -> bytes:
    import csv

    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")
