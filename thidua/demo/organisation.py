"""The planned organisation of the demo: units, the 2025 reorganisation, emulation clusters (pure data).

BHXH Việt Nam with its 14 central units (QĐ 391/QĐ-BTC) and 34 provincial BHXH. The 63 provincial units
before 2025 become 34 BHXH khu vực (01/04/2025; HCMC's on 01/06/2025 under QĐ 1733/QĐ-BTC), renamed
BHXH tỉnh, thành phố on 01/07/2025 (QĐ 2286/QĐ-BTC): merged old units are separate rows, so their
history stays reachable from the successor.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from thidua.demo import reference

YEARS = (2021, 2022, 2023, 2024, 2025)  # years with ratings, titles and ranked clusters
CLUSTER_YEARS = (2021, 2022, 2023, 2024, 2025, 2026)

ROOT_CODE = "BHXH-VN"
KHU_VUC_DAY = date(2025, 4, 1)  # regional level of QĐ 391/QĐ-BTC in force (CV 03/BHXH-TCCB)
KHU_VUC_27_DAY = date(2025, 6, 1)  # KV XXVII under the 34-unit model of QĐ 1733/QĐ-BTC (TB 712/TB-BHXH)
PROVINCE_DAY = date(2025, 7, 1)  # QĐ 2286/QĐ-BTC: BHXH khu vực → BHXH tỉnh, thành phố

# Departments of a provincial BHXH (QĐ 1456/QĐ-BHXH): 9 in Hà Nội and Hồ Chí Minh City, 8 elsewhere.
DEPARTMENTS_BIG = (
    "Văn phòng",
    "Phòng Tổ chức cán bộ",
    "Phòng Quản lý thu và Phát triển người tham gia",
    "Phòng Chế độ bảo hiểm xã hội",
    "Phòng Chế độ bảo hiểm y tế",
    "Phòng Kế hoạch - Tài chính",
    "Phòng Thanh tra - Kiểm tra",
    "Phòng Tuyên truyền và Hỗ trợ người tham gia",
    "Phòng Công nghệ thông tin và Chuyển đổi số",
)
DEPARTMENTS = (
    "Phòng Tổ chức - Hành chính",
    *DEPARTMENTS_BIG[2:],
)
BIG_PROVINCES = frozenset({"01", "79"})


@dataclass(frozen=True, slots=True)
class UnitPlan:
    """A unit to create. `role` says where it sits: root, central, province, old_province, department, co_so."""

    code: str
    name: str
    kind: str
    role: str
    parent: str | None = None
    province_code: str = ""
    is_legal_entity: bool = False
    short_name: str = ""
    symbol: str = ""
    place_name: str = ""
    valid_from: date | None = None
    final_name: str = ""  # the name from 01/07/2025 when the unit is renamed in the reorganisation
    weight: float = 0.0  # share of the staff


@dataclass(frozen=True, slots=True)
class MergePlan:
    units: tuple[str, ...]
    into: str
    effective_on: date
    decision: str


@dataclass(frozen=True, slots=True)
class RenamePlan:
    unit: str
    new_name: str
    new_kind: str
    effective_on: date
    decision: str


@dataclass(frozen=True, slots=True)
class ClusterPlan:
    number: int
    year: int
    members: tuple[str, ...]
    head: str
    ranks: tuple[int, ...] | None  # aligned with members; None when the year is not reviewed yet

    @property
    def name(self) -> str:
        return f"Cụm thi đua số {self.number}"

    def leader(self) -> str | None:
        if self.ranks is None:
            return None
        return self.members[self.ranks.index(1)]


@dataclass
class OrgPlan:
    units: list[UnitPlan]
    reorgs: list[MergePlan | RenamePlan]
    clusters: list[ClusterPlan]
    by_code: dict[str, UnitPlan] = field(default_factory=dict)
    # Unit code → the year-end collectives it belongs to (itself and its ancestors below the root).
    collectives_of: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_code = {u.code: u for u in self.units}
        for unit in self.units:
            chain = []
            current: UnitPlan | None = unit
            while current is not None and current.parent is not None:
                chain.append(current.code)
                current = self.by_code.get(current.parent)
            self.collectives_of[unit.code] = tuple(chain)

    def exists_at_year_end(self, code: str, year: int) -> bool:
        unit = self.by_code[code]
        day = date(year, 12, 31)
        if unit.valid_from is not None and unit.valid_from > day:
            return False
        return not (unit.role == "old_province" and year >= 2025)

    def name_on(self, code: str, day: date) -> str:
        unit = self.by_code[code]
        if unit.final_name and day >= PROVINCE_DAY:
            return unit.final_name
        return unit.name

    def top_unit(self, code: str) -> UnitPlan:
        """The unit directly under the root that contains `code` (a province or a central unit)."""
        chain = self.collectives_of[code]
        return self.by_code[chain[-1]] if chain else self.by_code[ROOT_CODE]

    def leaders(self, year: int) -> set[str]:
        return {c.leader() or "" for c in self.clusters if c.year == year} - {""}


def _short(province_name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if province_name.startswith(prefix):
            return province_name[len(prefix) :]
    return province_name


def _old_bhxh_name(old_name: str) -> str:
    if old_name == "Thành phố Hồ Chí Minh":
        return "Bảo hiểm xã hội Thành phố Hồ Chí Minh"
    return "Bảo hiểm xã hội " + old_name[0].lower() + old_name[1:]


def build_org(seed: int) -> OrgPlan:
    """The whole organisation: root, 14 central units, 34 provincial BHXH (with the 63 before them), clusters."""
    rng = random.Random(f"org:{seed}")
    units: list[UnitPlan] = [
        UnitPlan(
            code=ROOT_CODE,
            name="Bảo hiểm xã hội Việt Nam",
            kind="co_quan",
            role="root",
            short_name="BHXH VN",
            symbol="BHXH",
            place_name="Hà Nội",
            is_legal_entity=True,
            weight=0.002,
        )
    ]
    for i, central in enumerate(reference.central_units(), start=1):
        units.append(
            UnitPlan(
                code=f"{ROOT_CODE}-{i:02d}",
                name=central.name,
                kind="su_nghiep" if central.is_service_unit else "ban",
                role="central",
                parent=ROOT_CODE,
                is_legal_entity=central.is_legal_entity,
                place_name="Hà Nội",
                weight=0.04 / 14,
            )
        )
    old_by_code = {p.code: p for p in reference.old_provinces()}
    communes = reference.commune_names()
    total_communes = sum(p.communes for p in reference.provinces())
    reorgs: list[MergePlan | RenamePlan] = []
    for province in reference.provinces():
        code = f"BHXH-{province.code}"
        weight = 0.958 * province.communes / total_communes
        place = _short(province.name)
        final_name = province.bhxh_name
        if len(province.merged_from) == 1:
            # The same unit throughout: BHXH tỉnh → BHXH khu vực (04/2025) → BHXH tỉnh (07/2025).
            units.append(
                UnitPlan(
                    code=code,
                    name=_old_bhxh_name(old_by_code[province.code].name),
                    kind="bhxh_tinh",
                    role="province",
                    parent=ROOT_CODE,
                    province_code=province.code,
                    is_legal_entity=True,
                    symbol="BHXH",
                    place_name=place,
                    final_name=final_name,
                    weight=weight * 0.03,
                )
            )
            reorgs.append(RenamePlan(code, province.khu_vuc_name, "bhxh_khu_vuc", KHU_VUC_DAY, "391/QĐ-BTC"))
            valid_from = None
        else:
            # The old provincial units merge into a new BHXH khu vực, renamed BHXH tỉnh in 07/2025.
            valid_from = KHU_VUC_27_DAY if province.code == "79" else KHU_VUC_DAY
            decision = "1733/QĐ-BTC" if province.code == "79" else "391/QĐ-BTC"
            old_codes = []
            for old_code in province.merged_from:
                old = old_by_code[old_code]
                old_codes.append(f"BHXH-63-{old_code}")
                units.append(
                    UnitPlan(
                        code=f"BHXH-63-{old_code}",
                        name=_old_bhxh_name(old.name),
                        kind="bhxh_tinh",
                        role="old_province",
                        parent=ROOT_CODE,
                        province_code=old_code,
                        is_legal_entity=True,
                        symbol="BHXH",
                        place_name=_short(old.name),
                    )
                )
            units.append(
                UnitPlan(
                    code=code,
                    name=province.khu_vuc_name,
                    kind="bhxh_khu_vuc",
                    role="province",
                    parent=ROOT_CODE,
                    province_code=province.code,
                    is_legal_entity=True,
                    symbol="BHXH",
                    place_name=place,
                    valid_from=valid_from,
                    final_name=final_name,
                    weight=weight * 0.03,
                )
            )
            reorgs.append(MergePlan(tuple(old_codes), code, valid_from, decision))
        reorgs.append(RenamePlan(code, final_name, "bhxh_tinh", PROVINCE_DAY, "2286/QĐ-BTC"))
        departments = DEPARTMENTS_BIG if province.code in BIG_PROVINCES else DEPARTMENTS
        for j, dept in enumerate(departments, start=1):
            units.append(
                UnitPlan(
                    code=f"{code}-P{j:02d}",
                    name=dept,
                    kind="phong",
                    role="department",
                    parent=code,
                    province_code=province.code,
                    valid_from=valid_from,
                    weight=weight * 0.42 / len(departments),
                )
            )
        n_co_so = 6 if province.code in BIG_PROVINCES else rng.randint(3, 5)
        for j, commune in enumerate(communes[province.code][:n_co_so], start=1):
            units.append(
                UnitPlan(
                    code=f"{code}-CS{j:02d}",
                    name=f"Bảo hiểm xã hội cơ sở {commune}",
                    kind="bhxh_co_so",
                    role="co_so",
                    parent=code,
                    province_code=province.code,
                    is_legal_entity=True,
                    place_name=commune,
                    valid_from=valid_from,
                    weight=weight * 0.55 / n_co_so,
                )
            )
    plan = OrgPlan(units=units, reorgs=reorgs, clusters=[])
    plan.clusters = _clusters(plan, rng)
    return plan


def _clusters(plan: OrgPlan, rng: random.Random) -> list[ClusterPlan]:
    """Numbered clusters of provincial BHXH: 10 of the 63 units (2021-2024), 8 of the 34 (2025-2026).

    Cụm 5 and Cụm 8 of 2025-2026 are the observed ones; the rest are grouped by province code.
    """
    clusters: list[ClusterPlan] = []
    old_era = sorted(
        (
            u
            for u in plan.units
            if u.role == "old_province" or (u.role == "province" and u.valid_from is None)
        ),
        key=lambda u: u.province_code,
    )
    sizes = (7, 6, 6, 6, 6, 6, 6, 6, 7, 7)
    groups, start = [], 0
    for size in sizes:
        groups.append(tuple(u.code for u in old_era[start : start + size]))
        start += size
    for year in CLUSTER_YEARS[:4]:
        for number, members in enumerate(groups, start=1):
            clusters.append(_ranked(number, year, members, members[(year - 2021) % len(members)], rng))

    provinces = [u for u in plan.units if u.role == "province"]
    by_short = {_short(reference_name(u)): u.code for u in provinces}
    observed = {c.number: c for c in reference.observed_clusters()}
    taken = {by_short[m] for c in observed.values() for m in c.members}
    rest = [u.code for u in provinces if u.code not in taken]
    numbers = [n for n in range(1, 9) if n not in observed]
    per = [
        len(rest) // len(numbers) + (1 if i < len(rest) % len(numbers) else 0) for i in range(len(numbers))
    ]
    assigned: dict[int, tuple[str, ...]] = {}
    start = 0
    for number, size in zip(numbers, per, strict=True):
        assigned[number] = tuple(rest[start : start + size])
        start += size
    for number, cluster in observed.items():
        assigned[number] = tuple(by_short[m] for m in cluster.members)
    for year in CLUSTER_YEARS[4:]:
        for number in sorted(assigned):
            members = assigned[number]
            if number == 5:  # Quảng Ninh was elected head for 2026; the 2025 head is not reported
                head = by_short["Quảng Ninh"] if year == 2026 else members[0]
            elif number == 8:  # Đồng Nai headed the cluster in 2025
                head = by_short["Đồng Nai"] if year == 2025 else members[1]
            else:
                head = members[(year - 2025) % len(members)]
            clusters.append(_ranked(number, year, members, head, rng))
    return clusters


def reference_name(unit: UnitPlan) -> str:
    """The province's own name ('Tỉnh Bắc Ninh') for a provincial BHXH unit."""
    for province in reference.provinces():
        if province.code == unit.province_code:
            return province.name
    return unit.name


def _ranked(number: int, year: int, members: tuple[str, ...], head: str, rng: random.Random) -> ClusterPlan:
    ranks: tuple[int, ...] | None = None
    if year <= YEARS[-1]:
        order = list(range(1, len(members) + 1))
        rng.shuffle(order)
        ranks = tuple(order)
    return ClusterPlan(number=number, year=year, members=members, head=head, ranks=ranks)
