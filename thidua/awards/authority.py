"""Who decides (thẩm quyền quyết định): the engine's `authority` codes mapped to the unit that issues.

One place, as data. Luật 06/2022 Đ80 k1 lets the head of a legal-entity unit (thủ trưởng cơ quan,
đơn vị có tư cách pháp nhân) decide Lao động tiên tiến, Chiến sĩ thi đua cơ sở, Tập thể lao động tiên
tiến and Giấy khen: such a unit issues the decision itself, without sending the dossier up. Every
other authority sits above the proposing unit: the dossier goes to the level above, which appraises
and issues (or forwards, for the State's and the Prime Minister's awards).
Citations other than Đ80 k1 and k5 (law.md §10: CONFIRMED) are left at the article or the law until
their clause is verified.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from thidua.org.kinds import kind_of
from thidua.org.models import Unit


class Level(StrEnum):
    OWN_UNIT = "own_unit"  # the proposing unit itself, when it is a legal entity
    ABOVE = "above"  # the level above the proposing unit


@dataclass(frozen=True)
class Authority:
    code: str
    label: str
    level: Level
    citation: str

    @property
    def display(self) -> str:
        return f"{self.label} ({self.citation})"


AUTHORITIES: dict[str, Authority] = {
    a.code: a
    for a in (
        Authority("thu_truong_don_vi", "Thủ trưởng đơn vị", Level.OWN_UNIT, "Luật 06/2022 Đ80 k1"),
        Authority(
            "giam_doc_doanh_nghiep", "Giám đốc doanh nghiệp, hợp tác xã", Level.OWN_UNIT, "Luật 06/2022 Đ80"
        ),
        Authority("chu_tich_ubnd_xa", "Chủ tịch UBND cấp xã", Level.ABOVE, "Luật 06/2022 Đ80"),
        Authority(
            "bo_truong_chu_tich_tinh",
            "Bộ trưởng, thủ trưởng cơ quan trung ương, Chủ tịch UBND tỉnh",
            Level.ABOVE,
            "Luật 06/2022 Đ80",
        ),
        Authority(
            "quan_khu_dhqg", "Tư lệnh quân khu, Giám đốc đại học quốc gia", Level.ABOVE, "Luật 06/2022 Đ80"
        ),
        Authority(
            "bqp_bca", "Bộ trưởng Bộ Quốc phòng, Bộ trưởng Bộ Công an", Level.ABOVE, "Luật 06/2022 Đ80 k5"
        ),
        Authority("thu_tuong", "Thủ tướng Chính phủ", Level.ABOVE, "Luật 06/2022"),
        Authority("chu_tich_nuoc", "Chủ tịch nước", Level.ABOVE, "Luật 06/2022"),
    )
}

LEVEL_ABOVE = Authority("", "Cấp trên của đơn vị trình", Level.ABOVE, "Luật 06/2022 Đ80")


@dataclass(frozen=True)
class Route:
    """Where a dossier of `unit` is decided: by the unit itself, or by the level above."""

    authority: Authority
    own_unit: bool

    @property
    def display(self) -> str:
        return self.authority.display


def route_for(unit: Unit, codes: Iterable[str]) -> Route:
    """The unit decides itself when its kind's head holds one of the authorities (sector data: a
    UBND xã's chair decides what "chu_tich_ubnd_xa" decides, a UBND tỉnh's what the province
    decides), or when one of the codes is an own-unit authority and the unit is a legal entity; a
    unit without legal personality sends it to the head of the level above (named after the parent's
    kind when that one holds an authority); otherwise the first known authority above (or the level
    above by default)."""
    known = [AUTHORITIES[c] for c in codes if c in AUTHORITIES]
    held = kind_of(unit).decides
    by_kind = [a for a in known if a.code in held]
    if by_kind:
        return Route(replace(by_kind[0], level=Level.OWN_UNIT), own_unit=True)
    own = [a for a in known if a.level == Level.OWN_UNIT]
    if own and unit.is_legal_entity:
        return Route(own[0], own_unit=True)
    parent = unit.parent if unit.parent_id else None
    above_by_kind = [a for a in known if parent is not None and a.code in kind_of(parent).decides]
    if above_by_kind:
        return Route(replace(above_by_kind[0], level=Level.ABOVE), own_unit=False)
    if own:
        # A unit without legal personality (a department) proposes to its head unit, which decides.
        return Route(
            Authority(own[0].code, f"{own[0].label} cấp trên", Level.ABOVE, own[0].citation), own_unit=False
        )
    above = [a for a in known if a.level == Level.ABOVE]
    return Route(above[0] if above else LEVEL_ABOVE, own_unit=False)
