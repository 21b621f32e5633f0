"""The reference lists shipped in `thidua/demo/data/` (read at run time from the package)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from thidua.lib.text import nfc

# thanglequoc writes the old tone placement ("Hoà", "Hoá"); government texts write "Hòa", "Hóa".
_TONE_PLACEMENT = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uỷ": "ủy", "uý": "úy"}


def modern_tones(text: str) -> str:
    result = nfc(text)
    for old, new in _TONE_PLACEMENT.items():
        result = result.replace(old, new)
    return result


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("thidua.demo").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True)
class CentralUnit:
    seq: str
    name: str
    is_service_unit: bool
    is_legal_entity: bool


@dataclass(frozen=True)
class Province:
    """One of the 34 provinces (from 01/07/2025) with its BHXH unit and the old provinces merged into it."""

    code: str
    name: str  # "Tỉnh Bắc Ninh"
    bhxh_name: str  # "Bảo hiểm xã hội tỉnh Bắc Ninh"
    khu_vuc_name: str  # "Bảo hiểm xã hội khu vực XI"
    merged_from: tuple[str, ...]  # old province codes
    communes: int


@dataclass(frozen=True)
class OldProvince:
    code: str
    name: str  # "Tỉnh Bắc Giang"
    merged_into: str


@dataclass(frozen=True)
class ObservedCluster:
    number: int
    members: tuple[str, ...]  # short province names: "Phú Thọ"
    head: str


@cache
def central_units() -> tuple[CentralUnit, ...]:
    return tuple(
        CentralUnit(
            seq=row["seq"],
            name=nfc(row["name_vi"]),
            is_service_unit=row["kind"] == "don_vi_su_nghiep_cong_lap",
            is_legal_entity=row["legal_entity_seal_account"] == "yes",
        )
        for row in _rows("central_units_2025.csv")
    )


@cache
def provinces() -> tuple[Province, ...]:
    bhxh = {row["province_code_new"]: row for row in _rows("bhxh_units_2025.csv")}
    result = []
    for row in _rows("provinces_34_from_2025-07-01.csv"):
        unit = bhxh[row["code"]]
        result.append(
            Province(
                code=row["code"],
                name=modern_tones(row["name_2025-07-01"]),
                bhxh_name=nfc(unit["bhxh_tinh_name_from_2025-07-01_derived"]),
                khu_vuc_name="Bảo hiểm xã hội " + nfc(unit["bhxh_khu_vuc_2025-05-12"]).replace("BHXH k", "k"),
                merged_from=tuple(row["merged_from_codes"].split()),
                communes=int(row["communes_2025-07-01"]),
            )
        )
    return tuple(result)


@cache
def old_provinces() -> tuple[OldProvince, ...]:
    return tuple(
        OldProvince(
            code=row["code"], name=modern_tones(row["name"]), merged_into=row["merged_into_code_2025"]
        )
        for row in _rows("provinces_63_before_2025-07-01.csv")
    )


@cache
def observed_clusters() -> tuple[ObservedCluster, ...]:
    """The post-merger clusters reported in the press (the 2025 review, held in January 2026)."""
    result = []
    for row in _rows("emulation_clusters_observed.csv"):
        if not row["year_reported"].startswith("2025"):
            continue
        head = row["cluster_head"].split("(")[0].strip()
        result.append(
            ObservedCluster(
                number=int(row["cluster"].rsplit(" ", 1)[-1]),
                members=tuple(nfc(m.strip()) for m in row["members_bhxh_tinh"].split(";")),
                head=nfc(head),
            )
        )
    return tuple(result)


@cache
def commune_names() -> dict[str, tuple[str, ...]]:
    """Province code → names of a few of its communes without the "Phường"/"Xã" prefix."""
    names: dict[str, list[str]] = {}
    for row in _rows("communes_sample_2025.csv"):
        name = modern_tones(row["name"])
        for prefix in ("Phường ", "Xã ", "Đặc khu "):
            if name.startswith(prefix):
                name = name[len(prefix) :]
        names.setdefault(row["province_code"], []).append(name)
    return {code: tuple(values) for code, values in names.items()}
