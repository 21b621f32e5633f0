"""Reading history values as people write them: rating levels, titles and forms, scopes, discipline.

Every parser takes what a spreadsheet holds ("HTXS", "Bằng khen của Chủ tịch UBND tỉnh Đắk Lắk",
"CSTĐCS") and returns the stored code, or None; the importer turns None into a message naming the row.
Titles and forms resolve to the rulesets' ids (the names shown come from `thidua.rules.names`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from thidua.history.models import Discipline, Initiative, PendingProceeding, RatingValue
from thidua.lib.text import fold
from thidua.rules import list_rulesets, load_ruleset

HTXS = RatingValue.HOAN_THANH_XUAT_SAC
HTT = RatingValue.HOAN_THANH_TOT

_RATING_ALIASES: dict[str, str] = {
    "htxs": HTXS,
    "htxsnv": HTXS,
    "htt": HTT,
    "httnv": HTT,
    "ht": RatingValue.HOAN_THANH,
    "htnv": RatingValue.HOAN_THANH,
    "kht": RatingValue.KHONG_HOAN_THANH,
    "khtnv": RatingValue.KHONG_HOAN_THANH,
}
for _value, _label in RatingValue.choices:
    _RATING_ALIASES[fold(_label)] = _value
    _RATING_ALIASES[fold(_label).replace(" nhiem vu", "")] = _value
    _RATING_ALIASES[_value] = _value


def parse_rating(text: str) -> str | None:
    """ "HTXS", "Hoàn thành tốt", "hoàn thành xuất sắc nhiệm vụ", "hoan_thanh" → the stored value."""
    key = fold(text).replace(".", "").strip()
    return _RATING_ALIASES.get(key) or _RATING_ALIASES.get(key.replace(" ", ""))


@dataclass(frozen=True)
class AwardRef:
    """A title or form of the rulesets: its id, whether it is a title (danh hiệu) and who may get it."""

    id: str
    is_title: bool
    subjects: frozenset[str]


@cache
def known_awards() -> dict[str, AwardRef]:
    """Every title and form of every shipped ruleset (a past award may predate the rules in force)."""
    found: dict[str, AwardRef] = {}
    for info in sorted(list_rulesets(), key=lambda r: r.effective_from):
        for item in load_ruleset(info.id).items.values():
            found[item.id] = AwardRef(item.id, item.kind == "title", frozenset(item.subjects))
    return found


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for info in sorted(list_rulesets(), key=lambda r: r.effective_from):
        for item in load_ruleset(info.id).items.values():
            names[fold(item.name_vi)] = item.id
    return names


# Abbreviations in common use (folded, without spaces or dots).
_ABBREVIATIONS = {
    "ldtt": "lao_dong_tien_tien",
    "cstt": "chien_si_tien_tien",
    "cstdcs": "chien_si_thi_dua_co_so",
    "cstdcoso": "chien_si_thi_dua_co_so",
    "cstdbo": "chien_si_thi_dua_bo_tinh",
    "cstdnganh": "chien_si_thi_dua_bo_tinh",
    "cstdtinh": "chien_si_thi_dua_bo_tinh",
    "cstdcapbo": "chien_si_thi_dua_bo_tinh",
    "cstdcaptinh": "chien_si_thi_dua_bo_tinh",
    "cstdtq": "chien_si_thi_dua_toan_quoc",
    "cstdtoanquoc": "chien_si_thi_dua_toan_quoc",
    "ttldtt": "tap_the_lao_dong_tien_tien",
    "ttldxs": "tap_the_lao_dong_xuat_sac",
    "gk": "giay_khen",
    "bkttg": "bang_khen_thu_tuong",
    "bktt": "bang_khen_thu_tuong",
    "hcldhangba": "huan_chuong_lao_dong_hang_ba",
    "hcldhangnhi": "huan_chuong_lao_dong_hang_nhi",
    "hcldhangnhat": "huan_chuong_lao_dong_hang_nhat",
}

# Longer wordings ("Bằng khen của Chủ tịch UBND tỉnh Đắk Lắk"): the first pattern whose words all
# appear (and none of its excluded words) names the award. Order matters: specific before general.
_PATTERNS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("chien si thi dua", "toan quoc"), (), "chien_si_thi_dua_toan_quoc"),
    (("chien si thi dua", "co so"), (), "chien_si_thi_dua_co_so"),
    (("chien si thi dua",), (), "chien_si_thi_dua_bo_tinh"),
    (("chien si tien tien",), (), "chien_si_tien_tien"),
    (("tap the lao dong xuat sac",), (), "tap_the_lao_dong_xuat_sac"),
    (("tap the lao dong tien tien",), (), "tap_the_lao_dong_tien_tien"),
    (("lao dong tien tien",), ("tap the",), "lao_dong_tien_tien"),
    (("co thi dua", "chinh phu"), (), "co_thi_dua_chinh_phu"),
    (("co thi dua",), ("quan khu", "quan doan", "dai hoc quoc gia"), "co_thi_dua_bo_tinh"),
    (("bang khen", "thu tuong"), (), "bang_khen_thu_tuong"),
    (("bang khen",), ("quan khu", "quan doan", "dai hoc quoc gia"), "bang_khen_bo_tinh"),
    (("giay khen",), (), "giay_khen"),
    (("ky niem chuong",), (), "ky_niem_chuong"),
    (("huan chuong lao dong", "hang ba"), (), "huan_chuong_lao_dong_hang_ba"),
    (("huan chuong lao dong", "hang nhi"), (), "huan_chuong_lao_dong_hang_nhi"),
    (("huan chuong lao dong", "hang nhat"), (), "huan_chuong_lao_dong_hang_nhat"),
)


def parse_award(text: str) -> AwardRef | None:
    """A title or form from its id, its name, an abbreviation or a longer wording; None if unknown."""
    awards = known_awards()
    raw = text.strip()
    if raw in awards:
        return awards[raw]
    key = " ".join(fold(raw).replace(",", " ").replace(".", " ").split())
    found = _names().get(fold(raw)) or _ABBREVIATIONS.get(key.replace(" ", ""))
    if found is None:
        for words, excluded, award_id in _PATTERNS:
            if all(w in key for w in words) and not any(w in key for w in excluded):
                found = award_id
                break
    return awards.get(found) if found else None


def _choice(text: str, choices: list[tuple[str, str]], aliases: dict[str, str] | None = None) -> str | None:
    key = fold(text)
    for value, label in choices:
        if key in {value, fold(label)}:
            return value
    return (aliases or {}).get(key)


def parse_scope(text: str) -> str | None:
    return _choice(
        text,
        Initiative.Scope.choices,
        {
            "co so": Initiative.Scope.CO_SO,
            "cap co so": Initiative.Scope.CO_SO,
            "don vi": Initiative.Scope.CO_SO,
            "bo": Initiative.Scope.BO_NGANH_TINH,
            "nganh": Initiative.Scope.BO_NGANH_TINH,
            "tinh": Initiative.Scope.BO_NGANH_TINH,
            "cap bo": Initiative.Scope.BO_NGANH_TINH,
            "cap tinh": Initiative.Scope.BO_NGANH_TINH,
            "bo nganh tinh": Initiative.Scope.BO_NGANH_TINH,
            "toan quoc": Initiative.Scope.TOAN_QUOC,
        },
    )


def parse_initiative_kind(text: str) -> str | None:
    return _choice(
        text,
        Initiative.Kind.choices,
        {
            "sang kien": Initiative.Kind.INITIATIVE,
            "de tai": Initiative.Kind.SCIENCE_WORK,
            "de an": Initiative.Kind.SCIENCE_WORK,
            "de tai khoa hoc": Initiative.Kind.SCIENCE_WORK,
            "cong trinh khoa hoc": Initiative.Kind.SCIENCE_WORK,
        },
    )


def parse_discipline_form(text: str) -> str | None:
    return _choice(text, Discipline.Form.choices)


def parse_proceeding_kind(text: str) -> str | None:
    return _choice(
        text,
        PendingProceeding.Kind.choices,
        {
            "ky luat": PendingProceeding.Kind.DISCIPLINE,
            "xem xet ky luat": PendingProceeding.Kind.DISCIPLINE,
            "dieu tra": PendingProceeding.Kind.INVESTIGATION,
            "thanh tra": PendingProceeding.Kind.INVESTIGATION,
            "kiem tra": PendingProceeding.Kind.INVESTIGATION,
            "khieu nai": PendingProceeding.Kind.COMPLAINT,
            "to cao": PendingProceeding.Kind.COMPLAINT,
        },
    )
