"""Vietnamese numbers, amounts and dates in words; document number/symbol helpers.

Rules follow everyday administrative and accounting usage:

- "mười" for 10–19, "mươi" for the tens from 20 ("hai mươi");
- "mốt" for a final 1 after "mươi" (21 "hai mươi mốt"), "một" elsewhere (11, 101);
- "tư" for a final 4 after "mươi" (24 "hai mươi tư"), "bốn" elsewhere (14, 104);
- "lăm" for a final 5 after a ten (15 "mười lăm", 25 "hai mươi lăm"), "năm" elsewhere;
- "linh" (or "lẻ") when the tens digit is zero inside a number (105 "một trăm linh năm");
- a group after a larger one is read in full: 1 005 000 "một triệu không trăm linh năm nghìn";
- groups that are all zeros are skipped: 1 000 005 "một triệu không trăm linh năm";
- scales nghìn, triệu, tỷ; beyond tỷ the scales repeat ("một nghìn tỷ", "một tỷ tỷ").

Dates follow Nghị định 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 are written
with a leading zero ("ngày 05 tháng 01 năm 2020").

Number and symbol (số, ký hiệu) follow Art. 15 and Annex III of the same decree.
Pure Python: no Django import, so the module can be used and tested alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = [
    "COPY_TYPES",
    "DOCUMENT_TYPES",
    "NumberSymbol",
    "amount_in_words",
    "date_in_words",
    "date_line",
    "date_phrase",
    "document_type_label",
    "format_number_symbol",
    "number_in_words",
    "parse_number_symbol",
]

OddWord = Literal["linh", "lẻ"]

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 1_000_000_000


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _read_triple(n: int, full: bool, odd: OddWord) -> list[str]:
    """Words for 0 <= n < 1000. `full` reads a zero hundreds digit ("không trăm")."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
        if tens == 0 and units:
            words += [odd, _DIGITS[units]]
            return words
    if tens == 0:
        if units:
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens >= 2 else "một")
    elif units == 4:
        words.append("tư" if tens >= 2 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _read_below_billion(n: int, full: bool, odd: OddWord) -> list[str]:
    """Words for 0 <= n < 10**9 as groups triệu, nghìn, units."""
    groups = [(n // 1_000_000, "triệu"), (n // 1000 % 1000, "nghìn"), (n % 1000, "")]
    words: list[str] = []
    started = full
    for value, scale in groups:
        if value == 0:
            continue
        words += _read_triple(value, started, odd)
        if scale:
            words.append(scale)
        started = True
    return words


def _read(n: int, full: bool, odd: OddWord) -> list[str]:
    if n < _BILLION:
        return _read_below_billion(n, full, odd)
    high, low = divmod(n, _BILLION)
    words = [*_read(high, full, odd), "tỷ"]
    if low:
        words += _read_below_billion(low, True, odd)
    return words


def number_in_words(n: int, *, odd: OddWord = "linh") -> str:
    """Read an integer in Vietnamese, lower case: 105 → "một trăm linh năm".

    `odd` chooses "linh" (northern, administrative) or "lẻ" (southern) for a zero tens digit.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"Cần một số nguyên, nhận được {n!r}")
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + " ".join(_read(-n, False, odd))
    return " ".join(_read(n, False, odd))


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def amount_in_words(amount: int, *, currency: str = "đồng", odd: OddWord = "linh") -> str:
    """An amount of VND in words, capitalised: 2_340_000 → "Hai triệu ba trăm bốn mươi nghìn đồng"."""
    words = number_in_words(amount, odd=odd)
    return _capitalize(f"{words} {currency}" if currency else words)


def _two(n: int) -> str:
    return f"{n:02d}"


def date_phrase(d: date) -> str:
    """ "ngày 05 tháng 01 năm 2020": leading zero for days < 10 and months 1–2 (NĐ 30)."""
    day = _two(d.day) if d.day < 10 else str(d.day)
    month = _two(d.month) if d.month <= 2 else str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def date_line(place: str, d: date) -> str:
    """The place-and-date line of a document: "Đắk Lắk, ngày 21 tháng 3 năm 2019"."""
    place = _nfc(place.strip())
    if not place:
        raise ValueError("Thiếu địa danh ở dòng địa danh, ngày tháng")
    return f"{place}, {date_phrase(d)}"


def date_in_words(d: date, *, odd: OddWord = "linh") -> str:
    """A date fully in words: "ngày hai mươi mốt tháng ba năm hai nghìn không trăm mười chín".

    The month 4 is read "tư" ("tháng tư"), as is customary.
    """
    month = "tư" if d.month == 4 else number_in_words(d.month, odd=odd)
    return f"ngày {number_in_words(d.day, odd=odd)} tháng {month} năm {number_in_words(d.year, odd=odd)}"


# --- Document types (Nghị định 30/2020/NĐ-CP, Annex III §I) ---------------------------------------------

DOCUMENT_TYPES: Mapping[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
}
"""Abbreviation → name of the document types that have one. Công văn and thư công have none."""

COPY_TYPES: Mapping[str, str] = {"SY": "Bản sao y", "TrS": "Bản trích sao", "SL": "Bản sao lục"}
"""Abbreviations of the kinds of copies (Annex III §II)."""


def document_type_label(abbreviation: str) -> str:
    """The type name as printed above the title: "QĐ" → "QUYẾT ĐỊNH"."""
    try:
        return DOCUMENT_TYPES[_nfc(abbreviation)].upper()
    except KeyError:
        raise ValueError(f"Không có loại văn bản viết tắt là “{abbreviation}”") from None


# --- Number and symbol --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberSymbol:
    """A parsed "số, ký hiệu": 07/QĐ-BHXH, 86/2025/QĐ-UBND or, for a công văn, 856/BHXH-TĐKT."""

    number: int
    parts: tuple[str, ...]
    year: int | None = None

    @property
    def type_abbreviation(self) -> str | None:
        """The document type (QĐ, KH…) or None for a công văn."""
        return self.parts[0] if self.parts[0] in DOCUMENT_TYPES else None

    @property
    def issuer(self) -> str:
        """The issuing body's abbreviation (BHXH in both 07/QĐ-BHXH and 856/BHXH-TĐKT)."""
        return self.parts[1] if self.type_abbreviation else self.parts[0]

    @property
    def unit(self) -> str | None:
        """What follows the issuer: the drafting unit or field of a công văn (TĐKT), or None."""
        rest = self.parts[2:] if self.type_abbreviation else self.parts[1:]
        return "-".join(rest) or None

    def __str__(self) -> str:
        return format_number_symbol(self.number, *self.parts, year=self.year)


# An issuer or unit part: upper-case letters without tone marks (Đ allowed) and digits: BHXH, TĐKT, UBND.
# A công văn whose issuer abbreviation equals a type abbreviation (CT…) is read as that type: inherent in NĐ 30.
_PART_RE = re.compile(r"^[A-Z0-9Đ]+$")


def _check_part(part: str) -> None:
    if not part:
        raise ValueError("Ký hiệu có nhóm chữ viết tắt bị trống (thừa hoặc thiếu dấu “-”)")
    if part in DOCUMENT_TYPES or part in COPY_TYPES:
        return
    if not _PART_RE.match(part):
        raise ValueError(f"Nhóm chữ viết tắt “{part}” phải viết hoa, không dấu cách hay ký tự đặc biệt")


def format_number_symbol(number: int, *symbol_parts: str, year: int | None = None) -> str:
    """Join a number and symbol the NĐ 30 way.

    `format_number_symbol(7, "QĐ", "BHXH")` → "07/QĐ-BHXH";
    `format_number_symbol(856, "BHXH", "TĐKT")` → "856/BHXH-TĐKT" (công văn);
    `format_number_symbol(86, "QĐ", "UBND", year=2025)` → "86/2025/QĐ-UBND" (legal normative document).
    """
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f"Số văn bản phải là số nguyên dương, nhận được {number!r}")
    if not symbol_parts:
        raise ValueError("Thiếu ký hiệu văn bản")
    parts = tuple(_nfc(p.strip()) for p in symbol_parts)
    for part in parts:
        _check_part(part)
    middle = f"/{year}" if year is not None else ""
    return f"{number:02d}{middle}/{'-'.join(parts)}"


_NUMBER_SYMBOL_RE = re.compile(r"^(?P<number>\d+)(?:/(?P<year>\d{4}))?/(?P<symbol>.+)$")


def parse_number_symbol(text: str, *, strict: bool = False) -> NumberSymbol:
    """Parse and validate "856/BHXH-TĐKT", "07/QĐ-BHXH", "Số: 86/2025/QĐ-UBND".

    Raises ValueError with a Vietnamese message that can be shown to the user as it is.
    With `strict`, a number below 10 must carry its leading zero ("07", not "7").
    A Latin "Ð" (U+00D0), often typed by mistake for "Đ", is accepted and corrected.
    """
    cleaned = _nfc(text).replace("\u00d0", "Đ").strip()
    cleaned = re.sub(r"^Số\s*:?\s*", "", cleaned, flags=re.IGNORECASE)
    if not cleaned:
        raise ValueError("Chưa nhập số, ký hiệu văn bản")
    if re.search(r"\s", cleaned):
        raise ValueError(f"Số, ký hiệu “{cleaned}” không được có dấu cách (ví dụ đúng: 123/QĐ-BHXH)")
    match = _NUMBER_SYMBOL_RE.match(cleaned)
    if not match:
        raise ValueError(
            f"Số, ký hiệu “{cleaned}” không đúng mẫu số/ký hiệu (ví dụ đúng: 123/QĐ-BHXH hoặc công văn 123/UBND-VP)"
        )
    raw_number = match["number"]
    number = int(raw_number)
    if number < 1:
        raise ValueError("Số văn bản phải bắt đầu từ 01")
    if strict and number < 10 and len(raw_number) < 2:
        raise ValueError(f"Số nhỏ hơn 10 phải viết thêm số 0 phía trước (ví dụ {number:02d})")
    parts = tuple(match["symbol"].split("-"))
    for part in parts:
        _check_part(part)
    if len(parts) < 2:
        raise ValueError(
            f"Ký hiệu “{match['symbol']}” phải gồm ít nhất hai nhóm nối bằng dấu “-” (ví dụ QĐ-BHXH, BHXH-TĐKT)"
        )
    if parts[0] in COPY_TYPES:
        raise ValueError(f"“{parts[0]}” là ký hiệu bản sao, không phải loại văn bản")
    year = int(match["year"]) if match["year"] else None
    return NumberSymbol(number=number, parts=parts, year=year)
