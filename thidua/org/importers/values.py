"""Cell values: dates, choices, codes, each parsed or refused with a Vietnamese message."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from thidua.lib.ethnic_groups import find_ethnic_code
from thidua.lib.text import fold, nfc
from thidua.org.citizen_id import PROVINCE_CODES
from thidua.org.kinds import kind_choices, parse_kind
from thidua.org.models import Person
from thidua.org.organisation import current_organisation


class CellError(ValueError):
    pass


def display(value: Any) -> str:
    """A cell as the user sees it (for problem reports)."""
    if type(value) is str:  # most cells
        return nfc(value).strip()
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == datetime.min.time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def as_text(value: Any) -> str:
    """Cell text; '=…', '+…', '-…', '@…' stay plain text (never evaluated)."""
    return " ".join(display(value).split())


def as_code(value: Any, *, width: int = 0) -> str:
    """A code or number typed into Excel as a number lost its leading zeros: pad to `width`."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and float(value).is_integer() and width:
        return f"{int(value):0{width}d}"
    return display(value).replace(" ", "") if width else as_text(value)


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?: 0?0:00(?::00)?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return _in_range(value.date())
    if isinstance(value, date):
        return _in_range(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if 1 <= value < 2958466:
            converted = from_excel(value)
            if isinstance(converted, datetime):
                return _in_range(converted.date())
        raise CellError("Ngày không hợp lệ: nhập dạng dd/mm/yyyy.")
    text = as_text(value)
    dmy = _DMY.match(text)
    iso = _ISO.match(text)
    if dmy:
        day, month, year = (int(x) for x in dmy.groups())
    elif iso:
        year, month, day = (int(x) for x in iso.groups())
    else:
        raise CellError("Ngày phải theo dạng dd/mm/yyyy, ví dụ 05/09/1985.")
    try:
        result = date(year, month, day)
    except ValueError as exc:
        raise CellError("Ngày không tồn tại trong lịch.") from exc
    return _in_range(result)


def _in_range(day: date) -> date:
    """Dates an organisation records: from 1900 up to 2100 (a later one is a typing error)."""
    if day.year < 1900:
        raise CellError("Năm phải từ 1900 trở đi.")
    if day.year > 2100:
        raise CellError("Ngày quá xa trong tương lai (sau năm 2100): kiểm tra lại năm.")
    return day


_TRUE = {"co", "x", "1", "true", "yes", "dung", "c"}
_FALSE = {"khong", "0", "false", "no", "sai", "k"}


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(as_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError("Chỉ nhận 'Có' hoặc 'Không'.")


def as_gender(value: Any) -> str:
    key = fold(as_text(value))
    if key in {"nam", "m", "male"}:
        return Person.Gender.NAM
    if key in {"nu", "f", "female"}:
        return Person.Gender.NU
    raise CellError("Giới tính phải là 'Nam' hoặc 'Nữ'.")


def as_ethnicity(value: Any) -> str:
    """A group of the 54 (its name, with or without diacritics, or its code) → its code."""
    code = find_ethnic_code(as_code(value, width=0) if isinstance(value, int | float) else as_text(value))
    if code is None:
        raise CellError(
            "Dân tộc không có trong danh mục 54 dân tộc Việt Nam (ghi tên, ví dụ Kinh, Tày, hoặc mã 01-54)."
        )
    return code


def as_unit_kind(value: Any) -> str:
    """A kind's label or code, of the organisation's sector (or any sector's, by its code or label)."""
    organisation = current_organisation()
    code = parse_kind(as_text(value), organisation)
    if code is not None:
        return code
    labels = "; ".join(label for _, label in kind_choices(organisation))
    raise CellError(f"Loại đơn vị không có trong danh mục ({labels}).")


_email_validator = EmailValidator()
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,20}$")


# Addresses plainly valid for Django's EmailValidator too (a subset of what it accepts: letters, digits
# and . _ % + - before the @, a dotted domain, a top-level domain of letters), checked without it: it
# costs ~10 µs an address, a second per 100,000 rows. Anything else goes through the validator.
_PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


EMAIL_MAX = Person._meta.get_field("email").max_length or 254
PHONE_MAX = Person._meta.get_field("phone").max_length or 20


def as_email(value: Any) -> str:
    text = as_text(value)
    if len(text) <= EMAIL_MAX and _PLAIN_EMAIL.fullmatch(text):
        return text
    try:
        _email_validator(text)  # accepts up to 320 characters
    except ValidationError as exc:
        raise CellError("Địa chỉ thư điện tử không hợp lệ.") from exc
    if len(text) > EMAIL_MAX:
        raise CellError(f"Địa chỉ thư điện tử dài quá {EMAIL_MAX} ký tự.")
    return text


def as_phone(value: Any) -> str:
    text = as_code(value, width=0) if not isinstance(value, int | float) else str(int(value))
    if isinstance(value, int | float) and len(text) == 9:
        text = "0" + text  # Excel dropped the leading zero of a mobile number
    if not _PHONE.match(text) or len(text) > PHONE_MAX:  # _PHONE lets "+" and 20 more through
        raise CellError(
            f"Số điện thoại chỉ gồm chữ số (có thể có +, dấu cách, dấu chấm), tối đa {PHONE_MAX} ký tự."
        )
    return text


def _max_length(limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = as_text(value)
        if len(text) > limit:
            raise CellError(f"Dài quá {limit} ký tự.")
        return text

    return parse


def _province(value: Any) -> str:
    text = as_code(value, width=2)
    if not (len(text) == 2 and text.isdigit() and f"0{text}" in PROVINCE_CODES):
        raise CellError("Mã tỉnh phải gồm 2 chữ số và có trong danh mục (ví dụ 01, 79).")
    return text


def _symbol(value: Any) -> str:
    text = as_text(value).upper()
    if len(text) > 30 or not re.fullmatch(r"[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*", text):
        raise CellError(
            "Ký hiệu gồm chữ in hoa không dấu (Đ được), chữ số và dấu '-', tối đa 30 ký tự, ví dụ SGDĐT."
        )
    return text


def _unit_code(value: Any) -> str:
    text = as_text(value)
    if len(text) > 40:
        raise CellError("Mã đơn vị dài quá 40 ký tự.")
    return text


def _citizen_id(value: Any) -> str:
    if type(value) is str and value.isascii() and value.isdigit():  # most cells: as_code would return it
        return value
    return as_code(value, width=12)


def _cached(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`parse` remembering the values it saw: a column of dates, genders, unit codes or titles repeats
    the same few values over 100,000 rows. `typed`: 1 and 1.0 and True stay apart. Refusals (CellError)
    are not remembered, only raised again."""
    remembered = functools.lru_cache(maxsize=8192, typed=True)(parse)

    def parse_cached(value: Any) -> Any:
        try:
            return remembered(value)
        except TypeError:  # an unhashable cell (none from our readers): parse it as it is
            return parse(value)

    return parse_cached


PARSERS: dict[str, Callable[[Any], Any]] = {
    "code": _unit_code,
    "name": _max_length(255),
    "short_name": _max_length(60),
    "kind": as_unit_kind,
    "parent_code": _unit_code,
    "is_legal_entity": as_bool,
    "province_code": _province,
    "symbol": _symbol,
    "place_name": _max_length(100),
    "valid_from": as_date,
    "citizen_id": _citizen_id,
    "full_name": _max_length(120),
    "gender": _cached(as_gender),
    "date_of_birth": _cached(as_date),
    "recruited_on": _cached(as_date),
    "unit_code": _cached(_unit_code),
    "title": _cached(_max_length(120)),
    "started_on": _cached(as_date),
    "email": as_email,
    "phone": as_phone,
    "is_direct_worker": _cached(as_bool),
    "ethnicity": _cached(as_ethnicity),
}
