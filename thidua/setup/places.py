"""The 34 provinces and cities (from 01/07/2025) as places, read from `data/` (shared/data)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from thidua.lib.text import fold

DATA = Path(__file__).with_name("data") / "provinces_34_from_2025-07-01.csv"


@dataclass(frozen=True)
class Province:
    code: str
    name: str  # "Tỉnh Đắk Lắk"
    place: str  # "Đắk Lắk", as printed before a date


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@cache
def provinces() -> tuple[Province, ...]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Province(row["code"], row["name_current_2026"], _short(row["name_current_2026"])) for row in rows
    )


def province_code_of(place: str) -> str:
    """The 2-digit code of the province a place names ("Đắk Lắk", "tỉnh Đắk Lắk"), else ""."""
    key = fold(_short(place.strip().capitalize()))
    for province in provinces():
        if key in {fold(province.place), fold(province.name)}:
            return province.code
    return ""
