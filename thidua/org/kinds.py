"""Unit kinds as data: the sectors of `sectors.yaml`, and each organisation's own labels.

`Unit.kind` holds a code ("bhxh_tinh", "ubnd_xa", "truong_thpt"...). What the code means — its label,
its level for the rules (`bo_nganh_tinh`, `tinh`, `xa`), the Đ80 authorities its head holds, whether a
new unit of that kind is a legal entity by default — is read here: from the sector of the unit's
organisation, with the organisation's own labels over it. A unit outside any organisation (a test's
units, a database set up before organisations existed) reads a code as the first sector listing it.

Lookups of an organisation are cached per root for a short time (a page of 500 units asks once);
saving an `Organisation` clears the cache of the process, other processes see a change within
`CACHE_SECONDS`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from thidua.org.models import Organisation, Unit

SECTORS_FILE = Path(__file__).with_name("sectors.yaml")
LEVELS = ("bo_nganh_tinh", "tinh", "xa", "")
LEVEL_LABELS = {
    "bo_nganh_tinh": "Cấp bộ, ngành, tỉnh",
    "tinh": "Cấp tỉnh",
    "xa": "Cấp xã",
    "": "",
}
CACHE_SECONDS = 30.0
DEFAULT_KIND = "khac"


@dataclass(frozen=True)
class UnitKind:
    """One kind of unit in a sector."""

    code: str
    label: str
    level: str = ""
    decides: tuple[str, ...] = ()
    legal_entity: bool = False

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, "")


@dataclass(frozen=True)
class Sector:
    """A family of organisations and the kinds of units they are made of, in display order."""

    id: str
    name: str
    description: str
    root_kind: str
    kinds: tuple[UnitKind, ...]

    def kind(self, code: str) -> UnitKind | None:
        return next((k for k in self.kinds if k.code == code), None)


class SectorDataError(ValueError):
    """`sectors.yaml` is malformed (a test loads it; the app refuses to start on it)."""


def _read_kind(sector_id: str, code: str, raw: Any) -> UnitKind:
    where = f"sectors.{sector_id}.kinds.{code}"
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str) or not raw["label"].strip():
        raise SectorDataError(f"{where}: cần 'label'")
    unknown = set(raw) - {"label", "level", "decides", "legal_entity"}
    if unknown:
        raise SectorDataError(f"{where}: khóa lạ {sorted(unknown)}")
    level = raw.get("level") or ""
    if level not in LEVELS:
        raise SectorDataError(f"{where}: level '{level}' không thuộc {LEVELS}")
    decides = raw.get("decides") or []
    if not isinstance(decides, list) or not all(isinstance(d, str) for d in decides):
        raise SectorDataError(f"{where}: 'decides' là danh sách mã thẩm quyền")
    if len(code) > 20 or not code.replace("_", "").isalnum() or not code.islower():
        raise SectorDataError(f"{where}: mã loại đơn vị gồm chữ thường, số, '_' và tối đa 20 ký tự")
    return UnitKind(code, raw["label"].strip(), level, tuple(decides), bool(raw.get("legal_entity", False)))


def parse_sectors(data: Any) -> dict[str, Sector]:
    """The sectors of a loaded `sectors.yaml`; `SectorDataError` names the first thing wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("sectors"), dict):
        raise SectorDataError("sectors.yaml: cần khóa 'sectors'")
    sectors: dict[str, Sector] = {}
    for sector_id, raw in data["sectors"].items():
        if not isinstance(raw, dict) or not isinstance(raw.get("kinds"), dict) or not raw["kinds"]:
            raise SectorDataError(f"sectors.{sector_id}: cần 'name' và 'kinds'")
        kinds = tuple(_read_kind(sector_id, str(code), k) for code, k in raw["kinds"].items())
        codes = {k.code for k in kinds}
        root_kind = raw.get("root_kind", "")
        if root_kind not in codes:
            raise SectorDataError(f"sectors.{sector_id}: root_kind '{root_kind}' không có trong kinds")
        if DEFAULT_KIND not in codes:
            raise SectorDataError(f"sectors.{sector_id}: cần loại '{DEFAULT_KIND}'")
        sectors[str(sector_id)] = Sector(
            id=str(sector_id),
            name=str(raw.get("name") or sector_id),
            description=" ".join(str(raw.get("description") or "").split()),
            root_kind=root_kind,
            kinds=kinds,
        )
    return sectors


@cache
def sectors() -> dict[str, Sector]:
    """Every sector, in the file's order."""
    return parse_sectors(yaml.safe_load(SECTORS_FILE.read_text(encoding="utf-8")))


def sector(sector_id: str) -> Sector:
    """The sector `sector_id`; KeyError when there is none."""
    return sectors()[sector_id]


@cache
def catalogue() -> dict[str, UnitKind]:
    """Every code of every sector, read as the first sector listing it (units outside organisations)."""
    found: dict[str, UnitKind] = {}
    for s in sectors().values():
        for k in s.kinds:
            found.setdefault(k.code, k)
    return found


def readable(code: str) -> str:
    """An unknown code as words, never the raw code: 'abc_xyz' → 'Abc xyz'."""
    words = code.replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) or "Khác"


# --- an organisation's kinds ---------------------------------------------------------------------

_cache: dict[int, tuple[float, Organisation | None]] = {}
_orders: dict[int, tuple[Any, dict[str, int]]] = {}  # root id → (organisation version, kind order)


def clear_cache() -> None:
    """Forget cached organisations (saving or deleting an `Organisation` calls this)."""
    _cache.clear()
    _orders.clear()


def root_id_of(unit: Unit) -> int | None:
    head = unit.path.strip("/").split("/", 1)[0]
    return int(head) if head.isdigit() else (unit.pk if unit.parent_id is None else None)


def organisation_of_root(root_id: int | None) -> Organisation | None:
    """The organisation rooted at unit `root_id` (None when the tree has none), cached briefly."""
    if root_id is None:
        return None
    now = time.monotonic()
    hit = _cache.get(root_id)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    from thidua.org.models import Organisation

    found = Organisation.objects.filter(root_id=root_id).first()
    _cache[root_id] = (now, found)
    return found


def kinds_of(organisation: Organisation | None) -> dict[str, UnitKind]:
    """The kinds an organisation offers, in order, with its own labels; the catalogue without one."""
    if organisation is None:
        return catalogue()
    try:
        base = sector(organisation.sector).kinds
    except KeyError:
        base = tuple(catalogue().values())
    labels = organisation.kind_labels if isinstance(organisation.kind_labels, dict) else {}
    return {
        k.code: replace(k, label=str(labels[k.code]).strip())
        if isinstance(labels.get(k.code), str) and str(labels[k.code]).strip()
        else k
        for k in base
    }


def kinds_for_unit(unit: Unit) -> dict[str, UnitKind]:
    return kinds_of(organisation_of_root(root_id_of(unit)))


def kind_of(unit: Unit) -> UnitKind:
    """What `unit.kind` means in the unit's organisation (a code its sector lacks: the catalogue's)."""
    return describe(unit.kind, kinds_for_unit(unit))


def describe(code: str, kinds: dict[str, UnitKind]) -> UnitKind:
    found = kinds.get(code) or catalogue().get(code)
    return found if found is not None else UnitKind(code, readable(code))


def kind_label(code: str, organisation: Organisation | None = None) -> str:
    return describe(code, kinds_of(organisation)).label


def kind_choices(organisation: Organisation | None = None) -> list[tuple[str, str]]:
    """(code, label) for pickers and drop-down lists: the organisation's kinds, or every known kind."""
    return [(k.code, k.label) for k in kinds_of(organisation).values()]


def codes_at_level(level: str, organisation: Organisation | None = None) -> list[str]:
    return [k.code for k in kinds_of(organisation).values() if k.level == level]


def kind_order(organisation: Organisation | None = None) -> dict[str, int]:
    """Display order of the codes (the tree lists siblings by it); catalogue codes follow."""
    order = {code: i for i, code in enumerate(kinds_of(organisation))}
    for code in catalogue():
        order.setdefault(code, len(order))
    return order


def kind_rank(unit: Unit) -> int:
    """The place of the unit's kind in its organisation's order (unknown codes last)."""
    order = _orders.get(root_id_of(unit) or 0)
    organisation = organisation_of_root(root_id_of(unit))
    key = (organisation.pk, organisation.updated_at) if organisation is not None else None
    if order is None or order[0] != key:
        order = (key, kind_order(organisation))
        _orders[root_id_of(unit) or 0] = order
    return order[1].get(unit.kind, 999)


def parse_kind(text: str, organisation: Organisation | None = None) -> str | None:
    """A code from what a person typed: the code itself or a label, without case or diacritics."""
    from thidua.lib.text import fold

    key = fold(text)
    if not key:
        return None
    for kinds in (kinds_of(organisation), catalogue()):
        for k in kinds.values():
            if key in {k.code, fold(k.label)}:
                return k.code
    return None
