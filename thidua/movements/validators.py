"""The number and symbol of an administrative document (số, ký hiệu văn bản), Nghị định 30/2020 Art. 15.

Accepted shapes: `<n>/<TYPE>-<ISSUER>` (`15/QĐ-BNV`, `982/KH-UBND`), with the year of a legal
normative document (`86/2025/QĐ-UBND`), and a công văn `<n>/<ISSUER>-<UNIT>` (`123/UBND-VP`).
Symbols are uppercase; Vietnamese capitals such as Đ are allowed; groups are joined by "-" or "&".
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
_GROUP = rf"[{_UPPER}][{_UPPER}0-9]*"
NUMBER_SYMBOL_RE = re.compile(
    rf"^(?P<number>\d{{1,6}})(?:/(?P<year>(?:19|20)\d\d))?/(?P<symbol>{_GROUP}(?:[-&]{_GROUP})+)$"
)

MESSAGE = (
    "Số, ký hiệu văn bản không đúng định dạng: cần dạng <số>/<loại văn bản>-<cơ quan ban hành> "
    "(ví dụ 15/QĐ-BNV, 86/2025/QĐ-UBND) hoặc công văn <số>/<cơ quan>-<đơn vị soạn thảo> "
    "(ví dụ 123/UBND-VP); ký hiệu viết hoa, không có dấu cách."
)


def normalise_number_symbol(value: str) -> str:
    """Trim spaces around and a leading "Số:" — the part people copy from the document header."""
    text = value.strip()
    text = re.sub(r"^(?:số|Số|SỐ)\s*:?\s*", "", text)
    return text


def validate_number_symbol(value: str) -> None:
    """Raise ValidationError with a Vietnamese message unless `value` is a valid number and symbol."""
    match = NUMBER_SYMBOL_RE.match(normalise_number_symbol(value))
    if match is None or int(match.group("number")) == 0:
        raise ValidationError(MESSAGE, code="number_symbol")


def document_year(value: str) -> int | None:
    match = NUMBER_SYMBOL_RE.match(normalise_number_symbol(value))
    if match is None or match.group("year") is None:
        return None
    return int(match.group("year"))
