"""The 54 ethnic groups of Việt Nam (dân tộc) as data: code and name, from `data/dan_toc.csv`.

Source: Danh mục các dân tộc Việt Nam of the General Statistics Office (Quyết định 121-TCTK/PPCĐ of
02/3/1979), the list the population censuses and the national population database use; codes 01-54
in its order. The names follow current usage (Mông, Raglay, Bru-Vân Kiều); the codes were copied
from memory of that list, not from the decision itself: UNCONFIRMED until checked. Kinh (01) is the
majority; every other group is an ethnic minority (dân tộc thiểu số) in statistics.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from thidua.lib.text import fold

DATA = Path(__file__).resolve().parent / "data" / "dan_toc.csv"
KINH = "01"


@cache
def ethnic_groups() -> tuple[tuple[str, str], ...]:
    """(code, name) of the 54 groups, in the list's order."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return tuple((row["code"], row["name"]) for row in csv.DictReader(handle))


def ethnic_name(code: str) -> str:
    """The name of a group by its code ('' for an empty or unknown code)."""
    return dict(ethnic_groups()).get(code, "")


def is_minority(code: str) -> bool | None:
    """True for an ethnic minority, False for Kinh, None when the group is not recorded."""
    if not code:
        return None
    return code != KINH


def find_ethnic_code(text: str) -> str | None:
    """The code of a group typed by a person: its code ('1', '01') or its name, with or without
    diacritics, spaces or hyphens ('Ê-đê', 'e de', 'Hmong' for Mông). None when nothing matches."""
    typed = text.strip()
    if typed.isdigit():
        code = typed.zfill(2)
        return code if code in dict(ethnic_groups()) else None
    key = _key(typed)
    if not key:
        return None
    for code, name in ethnic_groups():
        if _key(name) == key:
            return code
    return _ALIASES.get(key)


def _key(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


# Other spellings in common use.
_ALIASES = {
    "hmong": "08",
    "meo": "08",
    "khome": "05",
    "khmer": "05",
    "rarai": "10",
    "jrai": "10",
    "ede": "12",
    "bahnar": "13",
    "sedang": "14",
    "koho": "16",
    "cham": "17",
    "mnong": "20",
    "raglai": "21",
    "stieng": "22",
    "vankieu": "23",
    "brivankieu": "23",
    "katu": "26",
    "gietrieng": "27",
    "khmu": "29",
    "taoi": "31",
    "colao": "47",
    "odu": "53",
    "romam": "54",
}
