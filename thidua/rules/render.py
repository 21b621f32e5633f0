"""Criteria trees as readable Vietnamese text (for the "rules in force" page and manual checks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from thidua.rules import vocab

if TYPE_CHECKING:
    from thidua.rules.ruleset import Node, Ruleset


def vn_date(day: date) -> str:
    """A date as people read it: dd/mm/yyyy."""
    return f"{day:%d/%m/%Y}"


def name_of(rs: Ruleset, item_id: str) -> str:
    item = rs.items.get(item_id)
    return item.name_vi if item else item_id


def level_text(level: str) -> str:
    return f"từ {vocab.RATING_LABELS[level]} trở lên"


def describe(node: Node, rs: Ruleset) -> str:
    """One line for a leaf predicate."""
    p = node.params
    op = node.op
    if op == "manual":
        return str(p["text"])
    if op == "meets":
        return f"Đạt tiêu chuẩn {name_of(rs, p['title'])} trong năm xét"
    if op == "rating_at_least":
        return f"Xếp loại {level_text(p['level'])} trong năm xét"
    if op == "consecutive":
        step = rs.resolve(p.get("step", 1))
        unit = "năm" if step == 1 else f"lần (mỗi {step} năm)"
        return f"{p['count']} {unit} liên tục đạt {name_of(rs, p['title'])}, tính đến năm xét"
    if op == "consecutive_rating":
        return f"{p['min_years']} năm liên tục xếp loại {level_text(p['level'])}, tính đến năm xét"
    if op == "since_award":
        return (
            f"Đã được tặng {name_of(rs, p['award'])}; sau đó có từ {p['min_years']} năm liên tục đến năm đề nghị "
            f"xếp loại {level_text(p['each_year']['level'])}"
        )
    if op == "holds":
        return f"Trong giai đoạn đó có {p['count']} lần đạt {name_of(rs, p['title'])}"
    if op == "rating_years":
        return f"Trong giai đoạn đó có ít nhất {p['min_count']} năm xếp loại {level_text(p['level'])}"
    if op in ("initiative", "science_work"):
        what = "sáng kiến" if op == "initiative" else "đề tài, đề án, công trình khoa học đã nghiệm thu"
        within = int(rs.resolve(p["within_years"]))
        years = (
            "trong năm xét"
            if within == 1
            else f"trong {within} năm tính đến năm xét"
            if within
            else "(không giới hạn năm công nhận)"
        )
        return f"{p['count']} {what} được công nhận từ cấp {vocab.SCOPE_LABELS[p['scope']]} trở lên {years}, chưa dùng để khen thưởng"
    if op == "member_share":
        pct = rs.resolve(p["min_pct"])
        opx = rs.resolve(p.get("op", ">="))
        return f"{'Trên' if opx == '>' else 'Từ'} {pct}% thành viên đạt {name_of(rs, p['title'])}{'' if opx == '>' else ' trở lên'}"
    if op == "all_members_rating_at_least":
        return f"100% thành viên xếp loại {level_text(p['level'])}"
    if op == "has_member_with_title":
        return f"Có ít nhất {p['min_count']} thành viên đạt {name_of(rs, p['title'])}"
    if op == "no_member_disciplined_at_least":
        return f"Không có thành viên bị kỷ luật từ hình thức {vocab.DISCIPLINE_LABELS[p['level']]} trở lên trong năm"
    if op == "leads_cluster":
        return f"Dẫn đầu cụm, khối thi đua do {vocab.ORGANISER_LABELS[p['organiser']]} tổ chức"
    if op == "leads_thematic_movement":
        return (
            f"Dẫn đầu khi tổng kết phong trào thi đua theo chuyên đề do {vocab.ORGANISER_LABELS[p['launched_by']]} "
            f"phát động, thực hiện từ {p['min_years']} năm trở lên"
        )
    return op


def render_node(node: Node, rs: Ruleset, depth: int) -> list[str]:
    pad = "  " * depth
    tags = []
    if node.citation:
        tags.append(node.citation)
    if node.confidence and node.confidence != "CONFIRMED":
        tags.append(node.confidence)
    if node.setting:
        tags.append(
            f"tùy chọn {setting_name(rs, node.setting)}: {'bật' if rs.settings[node.setting] else 'tắt'}"
        )
    suffix = f" ({'; '.join(tags)})" if tags else ""
    if node.op in ("all_of", "any_of"):
        head = "Đồng thời đáp ứng:" if node.op == "all_of" else "Đáp ứng một trong các điều kiện:"
        lines = [f"{pad}- {head}{suffix}"]
        for c in node.children:
            lines += render_node(c, rs, depth + 1)
        return lines
    manual = " [cán bộ xác nhận]" if node.op == "manual" else ""
    lines = [f"{pad}- {describe(node, rs)}{manual}{suffix}"]
    for c in node.within:
        lines += render_node(c, rs, depth + 1)
    return lines


# --------------------------------------------------------------------------------------------
# Results as text a page can print (the stored JSON shape or the models)
# --------------------------------------------------------------------------------------------
def _get(obj: Any, key: str, default: Any = None) -> Any:
    return obj.get(key, default) if isinstance(obj, Mapping) else getattr(obj, key, default)


def _item_names(ruleset_id: str | None, ids: Sequence[str]) -> list[str]:
    from thidua.rules.ruleset import load_ruleset

    try:
        rs = load_ruleset(ruleset_id) if ruleset_id else None
    except KeyError:
        rs = None
    return [rs.items[i].name_vi if rs is not None and i in rs.items else i for i in ids]


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def forecast_text(forecast: Any) -> str:
    """The forecast ("Dự báo năm sau") as one Vietnamese paragraph: a ``Forecast`` or its JSON dict."""
    if not forecast:
        return ""
    year = _get(forecast, "year")
    ids = list(_get(forecast, "eligible") or [])
    names = list(_get(forecast, "names") or []) or _item_names(_get(forecast, "ruleset"), ids)
    day = _as_date(_get(forecast, "as_of"))
    when = f"Năm {year}" + (f" (ngày xét {vn_date(day)})" if day else "")
    what = (
        f"dự kiến đủ điều kiện {', '.join(names)}"
        if names
        else "chưa dự kiến đủ điều kiện danh hiệu, hình thức nào"
    )
    assumption = _get(forecast, "assumption") or ""
    return f"{when}: {what}." + (f" Giả định: {assumption}." if assumption else "")


def missing_text(result: Any) -> str:
    """What one result still lacks ("Còn thiếu"), as one Vietnamese sentence; empty when nothing is."""
    missing = list(_get(result, "missing") or [])
    if not missing:
        return ""
    name = _get(result, "name") or _get(result, "id")
    return f"Để đạt {name} còn thiếu: {'; '.join(missing)}."


def setting_name(rs: Any, name: str | None) -> str:
    """A setting as a reason names it: its short Vietnamese label in quotes, never its code (the code
    only for a setting the ruleset does not describe)."""
    spec = rs.settings_spec.get(name) if name else None
    return f"“{spec.label}”" if spec is not None and spec.label else str(name)
