"""Reading the organisation's rule options from text (the command line, a form) by the ruleset's spec."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from thidua.lib.numbers import parse_number
from thidua.lib.text import fold
from thidua.rules import Ruleset

CONFIDENCE_LABELS = {
    "CONFIRMED": "Đã xác nhận",
    "SINGLE_SOURCE": "Một nguồn",
    "UNCONFIRMED": "Chưa xác nhận",
}
_TRUE = {"on", "true", "1", "co", "yes", "bat"}
_FALSE = {"off", "false", "0", "khong", "no", "tat"}


def parse_bool(text: str) -> bool:
    key = fold(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"'{text}' không phải có/không (on/off)")


def parse_value(ruleset: Ruleset, key: str, text: str) -> Any:
    """The typed value of setting `key` written as text; ValueError with a Vietnamese message."""
    spec = ruleset.settings_spec.get(key)
    if spec is None:
        raise ValueError(f"Không có tùy chọn '{key}' trong bộ quy tắc {ruleset.id}")
    text = text.strip()
    if spec.type == "bool":
        return parse_bool(text)
    if spec.choices:
        for choice in spec.choices:
            if str(choice) == text:
                return choice
        allowed = ", ".join(str(c) for c in spec.choices)
        raise ValueError(f"Tùy chọn '{key}' nhận một trong: {allowed}")
    if spec.type == "int":
        try:
            return int(text)
        except ValueError as exc:
            raise ValueError(f"Tùy chọn '{key}' nhận một số nguyên") from exc
    return text


def parse_assignments(ruleset: Ruleset, items: list[str]) -> dict[str, Any]:
    """`["KEY=VALUE", ...]` into typed options; ValueError naming the first bad item."""
    options: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"'{item}': ghi dạng TÊN=GIÁ_TRỊ")
        options[key.strip()] = parse_value(ruleset, key.strip(), value)
    return options


def parse_quotas(ruleset: Ruleset, items: list[str]) -> dict[str, Decimal]:
    """`["lao_dong_tien_tien=80", "giay_khen=12,5"]` into {award_id: percent} (checked by the service)."""
    quotas: dict[str, Decimal] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in ruleset.items:
            raise ValueError(f"'{item}': ghi dạng MÃ_DANH_HIỆU=TỶ_LỆ, ví dụ lao_dong_tien_tien=80")
        number = parse_number(value)
        if number is None:
            raise ValueError(f"'{item}': tỷ lệ là số từ 0 đến 100, ví dụ 80 hoặc 12,5")
        quotas[key] = number
    return quotas
