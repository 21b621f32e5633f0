"""Pure generation of the demo data: plain dataclasses from a seed, no database access.

Over the organisation planned by `organisation.build_org`, `generate_people`
yields staff in chunks, each person with their positions, ratings, titles and awards, initiatives,
discipline, proceedings and leaves; it feeds a `Tally` of per-collective counts so that
`generate_collectives` can award collective titles afterwards without keeping the people in memory.

Titles obey the law (shared/domain/law.md §2, §3.5, §8):
- LĐTT only with a rating ≥ HTT in the year;
- CSTĐCS only with LĐTT and (HTXS, or a unit-level initiative not used before, which it consumes);
- CSTĐ bộ/ngành/tỉnh only after CSTĐCS in 3 consecutive years ending that year, plus a bộ/ngành/tỉnh-scope
  initiative (consumed);
- Bằng khen bộ/tỉnh only for CSTĐCS in 2 consecutive years, decided in the first quarter of the next year;
- no individual title in a year in which a discipline was in force;
- HTXS at most 20 % of HTT in a unit (and so overall);
- Tập thể lao động tiên tiến: collective ≥ HTT, ≥ 70 % of members LĐTT, no member disciplined at
  "cảnh cáo" or above; Tập thể lao động xuất sắc: collective HTXS, all members ≥ HT, ≥ 70 % LĐTT, ≥ 1 CSTĐCS;
- Cờ thi đua bộ/ngành/tỉnh only for the leader (rank 1) of a cluster organised by BHXH Việt Nam.

The members of a collective in a year are the people rated that year whose position on 31 December
lies in the collective's subtree.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from thidua.demo import reference
from thidua.demo.names import make_name
from thidua.demo.organisation import ROOT_CODE, YEARS, MergePlan, OrgPlan, UnitPlan
from thidua.lib.numbers import format_number
from thidua.lib.text import fold
from thidua.org.citizen_id import make_citizen_id

# Ages are computed against a fixed day so that the same seed gives the same people on any day.
REFERENCE_DAY = date(2026, 7, 1)
MAX_PEOPLE = 1_000_000  # the 6-digit serial of a citizen id keeps ids unique up to this count
MIN_UNIT_STAFF = 8
STAFFED_DEPARTMENT = "BHXH-01-P03"  # Phòng Quản lý thu và Phát triển người tham gia, BHXH thành phố Hà Nội
MINISTRY_DAY = date(2025, 3, 1)  # BHXH Việt Nam under the Ministry of Finance (NĐ 29/2025/NĐ-CP)

# Rating values and award ids (those of models and rulesets; no Django import here).
HTXS, HTT, HT, KHT = "hoan_thanh_xuat_sac", "hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh"
AT_LEAST_HTT = frozenset({HTXS, HTT})
LDTT = "lao_dong_tien_tien"
CSTDCS = "chien_si_thi_dua_co_so"
CSTD_BO = "chien_si_thi_dua_bo_tinh"
TTLDTT = "tap_the_lao_dong_tien_tien"
TTLDXS = "tap_the_lao_dong_xuat_sac"
CO_BO = "co_thi_dua_bo_tinh"
BK_BO = "bang_khen_bo_tinh"
MIN_LDTT_SHARE = 0.7
MAX_HTXS_SHARE_OF_HTT = 0.2

INITIATIVE_TITLES = (
    "Giải pháp phát triển người tham gia bảo hiểm xã hội tự nguyện tại {place}",
    "Ứng dụng phân tích dữ liệu trong giám định chi phí khám bệnh, chữa bệnh bảo hiểm y tế",
    "Quy trình rút ngắn thời gian giải quyết hồ sơ hưởng chế độ ốm đau, thai sản",
    "Giải pháp giảm nợ đóng bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp tại {place}",
    "Số hóa hồ sơ lưu trữ và tra cứu điện tử tại {place}",
    "Mô hình hỗ trợ người tham gia qua tổng đài và ứng dụng VssID",
    "Giải pháp kiểm soát chi trả lương hưu qua tài khoản cá nhân",
    "Công cụ đối chiếu dữ liệu người tham gia với cơ sở dữ liệu quốc gia về dân cư",
    "Nâng cao hiệu quả tuyên truyền chính sách bảo hiểm y tế học sinh, sinh viên",
    "Tự động hóa lập báo cáo quyết toán thu, chi tại {place}",
)


def _crc(*parts: object) -> int:
    return zlib.crc32(":".join(str(p) for p in parts).encode())


# --- The organisation --------------------------------------------------------------------------

# --- People ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AwardRow:
    award_id: str
    kind: str  # "title" | "form"
    year: int
    decided_on: date
    decision_number: str
    decided_by: str


@dataclass(slots=True)
class InitiativeRow:
    code: str
    title: str
    year: int
    scope: str  # "co_so" | "bo_nganh_tinh"
    used_for: str = ""


@dataclass(slots=True)
class PersonRow:
    index: int
    citizen_id: str
    full_name: str
    gender: str
    date_of_birth: date
    recruited_on: date
    unit: str
    title: str
    email: str
    phone: str
    positions: list[tuple[str, str, date, date | None]] = field(default_factory=list)
    ratings: dict[int, str] = field(default_factory=dict)
    awards: list[AwardRow] = field(default_factory=list)
    initiatives: list[InitiativeRow] = field(default_factory=list)
    disciplines: list[tuple[str, date, date]] = field(default_factory=list)
    proceedings: list[tuple[str, date]] = field(default_factory=list)
    leaves: list[tuple[str, date, date]] = field(default_factory=list)
    star: bool = False
    direct_worker: bool = False
    ethnicity: str = ""

    def unit_on(self, day: date) -> str | None:
        for unit, _title, start, end in self.positions:
            if start <= day and (end is None or end >= day):
                return unit
        return None


@dataclass
class Tally:
    """Per (collective, year): members, LĐTT, members below HT, CSTĐCS, members disciplined ≥ cảnh cáo."""

    counts: dict[tuple[str, int], list[int]] = field(default_factory=dict)

    def add(self, plan: OrgPlan, person: PersonRow) -> None:
        titles = {(a.award_id, a.year) for a in person.awards}
        serious = {d.year for form, d, _ in person.disciplines if form != "khien_trach"}
        for year, value in person.ratings.items():
            unit = person.unit_on(date(year, 12, 31))
            if unit is None:
                continue
            row = (
                1,
                int((LDTT, year) in titles),
                int(value == KHT),
                int((CSTDCS, year) in titles),
                int(year in serious),
            )
            for collective in plan.collectives_of[unit]:
                counts = self.counts.setdefault((collective, year), [0, 0, 0, 0, 0])
                for i, v in enumerate(row):
                    counts[i] += v


def quotas(plan: OrgPlan, people: int) -> list[tuple[UnitPlan, int]]:
    """Headcount per unit, summing to `people`, in plan order.

    Units whose share would be under `MIN_UNIT_STAFF` people get none (a small demo staffs the biggest
    units instead of giving every unit its director alone). Reserved seats come first: BHXH Việt Nam,
    BHXH thành phố Hà Nội and one of its departments (the demo accounts use them), and from 1,000 people
    every provincial BHXH's director.
    """
    units = [u for u in plan.units if u.weight > 0]
    reserved: dict[str, int] = {}
    if people >= 100:
        reserved = {ROOT_CODE: 1, "BHXH-01": 1, STAFFED_DEPARTMENT: 3}
    if people >= 1000:
        reserved |= {u.code: 1 for u in units if u.role == "province"}
    left = people - sum(reserved.values())
    kept = [u for u in units if u.code in reserved]
    candidates = sorted((u for u in units if u.code not in reserved), key=lambda u: (-u.weight, u.code))
    total = sum(u.weight for u in kept) + sum(u.weight for u in candidates)
    while candidates and left * candidates[-1].weight / total < MIN_UNIT_STAFF:
        total -= candidates.pop().weight
    kept += candidates
    raw = [(u, left * u.weight / total) for u in kept]
    counts = {u.code: int(share) for u, share in raw}
    remainder = left - sum(counts.values())
    for u, _share in sorted(raw, key=lambda item: (-(item[1] - int(item[1])), item[0].code))[:remainder]:
        counts[u.code] += 1
    return [(u, counts.get(u.code, 0) + reserved.get(u.code, 0)) for u in units if u.code in counts]


_LEADER_TITLES = {
    "root": ("Giám đốc", "Phó Giám đốc", 4),
    "province": ("Giám đốc", "Phó Giám đốc", 3),
    "co_so": ("Giám đốc", "Phó Giám đốc", 2),
    "department": ("Trưởng phòng", "Phó Trưởng phòng", 2),
}


def _leader_titles(unit: UnitPlan) -> tuple[str, str, int]:
    if unit.role == "central":
        if unit.name.startswith("Thanh tra"):
            return "Chánh Thanh tra", "Phó Chánh Thanh tra", 2
        if unit.name.startswith("Văn phòng"):
            return "Chánh Văn phòng", "Phó Chánh Văn phòng", 2
        if unit.name.startswith("Trung tâm"):
            return "Giám đốc", "Phó Giám đốc", 2
        return "Trưởng ban", "Phó Trưởng ban", 2
    if unit.role == "department" and unit.name == "Văn phòng":
        return "Chánh Văn phòng", "Phó Chánh Văn phòng", 2
    return _LEADER_TITLES[unit.role]


def _staff_title(unit: UnitPlan, rng: random.Random) -> str:
    r = rng.random()
    if unit.name == "Phòng Kế hoạch - Tài chính" or (unit.role == "co_so" and r < 0.12):
        return "Kế toán viên chính" if rng.random() < 0.25 else "Kế toán viên"
    if unit.role in {"root", "central"}:
        return "Chuyên viên cao cấp" if r < 0.15 else "Chuyên viên chính" if r < 0.55 else "Chuyên viên"
    if r < 0.22:
        return "Chuyên viên chính"
    if r < 0.85:
        return "Chuyên viên"
    return "Nhân viên" if r < 0.95 else "Cán sự"


def _random_day(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


class _Decisions:
    """One decision per issuing unit, year and title: its number and date repeat on every row it grants."""

    def __init__(self, plan: OrgPlan, seed: int) -> None:
        self.plan = plan
        self.seed = seed
        self.cache: dict[tuple[str, int, str], tuple[date, str, str]] = {}

    def unit_level(self, issuer: str, year: int, award_id: str) -> tuple[date, str, str]:
        key = (issuer, year, award_id)
        if key not in self.cache:
            self.cache[key] = self._unit_level(issuer, year, award_id)
        return self.cache[key]

    def _unit_level(self, issuer: str, year: int, award_id: str) -> tuple[date, str, str]:
        crc = _crc(self.seed, issuer, year, award_id)
        decided_on = date(year + 1, 1, 6) + timedelta(days=crc % 20)
        unit = self.plan.by_code[issuer]
        if unit.role == "root":
            return decided_on, f"{20 + crc % 380}/QĐ-BHXH", _root_head(decided_on)
        return decided_on, f"{20 + crc % 380}/QĐ-BHXH", "Giám đốc " + self.plan.name_on(issuer, decided_on)

    def ministry_level(self, year: int, award_id: str) -> tuple[date, str, str]:
        crc = _crc(self.seed, "ministry", year, award_id)
        decided_on = date(year + 1, 1, 15) + timedelta(days=crc % 40)
        if decided_on >= MINISTRY_DAY:
            return decided_on, f"{100 + crc % 2900}/QĐ-BTC", "Bộ trưởng Bộ Tài chính"
        return decided_on, f"{100 + crc % 900}/QĐ-BHXH", _root_head(decided_on)


# Ethnic groups by the (old) province of birth: the big minorities of each region, with shares of
# the order of the 2019 census for those provinces (rounded, for a plausible demo; not statistics).
_ETHNIC_MIX: dict[str, tuple[tuple[str, int], ...]] = {
    **{
        code: (("02", 25), ("03", 15), ("08", 12), ("09", 8), ("07", 8))
        for code in ("02", "04", "06", "08", "20")
    },
    **{code: (("03", 30), ("08", 18), ("06", 8), ("09", 6)) for code in ("10", "11", "12", "14", "15")},
    "17": (("06", 55), ("03", 3)),
    **{code: (("10", 22), ("13", 10), ("12", 10), ("14", 6)) for code in ("62", "64", "66")},
    **{code: (("16", 14), ("20", 8), ("17", 3)) for code in ("60", "67", "68")},
    **{code: (("05", 28), ("04", 4)) for code in ("84", "89", "91", "94", "95")},
    **{code: (("17", 10), ("21", 6)) for code in ("56", "58")},
}
UNKNOWN_ETHNICITY_PER_MILLE = 30


def ethnicity_for(birth_province: str, draw: int) -> str:
    """A group for a person born in `birth_province` (old code), from a hashed draw: Kinh mostly,
    the region's minorities in rough proportions, a few records without the field (as in real files)."""
    share = draw % 1000
    if share < UNKNOWN_ETHNICITY_PER_MILLE:
        return ""
    share = (draw // 1000) % 100
    for code, percent in _ETHNIC_MIX.get(birth_province, (("04", 1),)):
        if share < percent:
            return code
        share -= percent
    return "01"


class _PeopleGenerator:
    def __init__(self, plan: OrgPlan, seed: int) -> None:
        self.plan = plan
        self.seed = seed
        self.rng = random.Random(f"people:{seed}")
        self.decisions = _Decisions(plan, seed)
        self.index = 0
        self.young_women = 0
        self.siblings: dict[str | None, list[str]] = {}
        for unit in plan.units:
            if unit.role == "department":
                self.siblings.setdefault(unit.parent, []).append(unit.code)
        self.merged_from = {p.code: p.merged_from for p in reference.provinces()}

    def _issuer(self, unit_code: str) -> str:
        top = self.plan.top_unit(unit_code)
        return top.code if top.role in {"province", "old_province"} else ROOT_CODE

    def batch(self, unit: UnitPlan, count: int) -> list[PersonRow]:
        rng = self.rng
        head, deputy, n_deputies = _leader_titles(unit)
        # Deputies in proportion to the staff: none under 4 people, one under 12.
        n_deputies = 0 if count < 4 else 1 if count < 12 else n_deputies
        southern = (unit.province_code or "01") >= "48"
        rows = []
        for k in range(count):
            title = head if k == 0 else deputy if k <= n_deputies else _staff_title(unit, rng)
            rows.append(self._person(unit, title, leader=k <= n_deputies, southern=southern))
        self._rate(rows)
        for row in rows:
            self._awards(row)
        return rows

    def _person(self, unit: UnitPlan, title: str, *, leader: bool, southern: bool) -> PersonRow:
        rng = self.rng
        index = self.index
        self.index += 1
        gender = "nu" if rng.random() < 0.58 else "nam"
        min_age, max_age = (42, 59) if leader else (23, 60)
        age = min_age + int((max_age - min_age + 1) * rng.random() ** (1.0 if leader else 1.3))
        birth = _random_day(
            rng,
            date(REFERENCE_DAY.year - age - 1, REFERENCE_DAY.month, 2),
            date(REFERENCE_DAY.year - age, 6, 30),
        )
        recruited = _random_day(
            rng,
            max(date(birth.year + 22, 9, 1), date(1990, 1, 1)),
            min(date(birth.year + 34, 12, 31), date(2026, 3, 1)),
        )
        if unit.province_code:
            old_codes = self.merged_from[unit.province_code]
            birth_province = rng.choice(old_codes) if rng.random() < 0.85 else rng.choice(_OLD_CODES)
        else:
            birth_province = rng.choice(_OLD_CODES)
        serial = (index * 7919 + 104_729) % MAX_PEOPLE
        full_name = make_name(rng, gender, southern=southern)
        row = PersonRow(
            index=index,
            citizen_id=make_citizen_id(f"0{birth_province}", gender, birth.year, serial),
            full_name=full_name,
            gender=gender,
            date_of_birth=birth,
            recruited_on=recruited,
            unit=unit.code,
            title=title,
            email=f"{_email_local(full_name)}.{index}@vss.gov.vn",
            phone=f"09{rng.randrange(10**8):08d}",
            star=rng.random() < 0.1,
        )
        # Hashed, not drawn from `rng`: the rest of the demo stays the same for a seed.
        row.direct_worker = not leader and _crc(self.seed, "direct", index) % 100 < 90
        row.ethnicity = ethnicity_for(birth_province, _crc(self.seed, "ethnic", index))
        self._positions(row, unit, rng)
        self._events(row, rng)
        return row

    def _positions(self, row: PersonRow, unit: UnitPlan, rng: random.Random) -> None:
        start = row.recruited_on
        if unit.valid_from is not None and start < unit.valid_from:
            # Staff of the merged provinces: first in one of the old provincial BHXH, then the new unit.
            province = self.plan.by_code[unit.parent or ""] if unit.role != "province" else unit
            merge = next(r for r in self.plan.reorgs if isinstance(r, MergePlan) and r.into == province.code)
            old = rng.choice(merge.units)
            old_title = row.title if unit.role == "province" else _old_title(row.title)
            row.positions.append((old, old_title, start, unit.valid_from - timedelta(days=1)))
            start = unit.valid_from
        siblings = self.siblings.get(unit.parent, [])
        moved_on = _random_day(rng, start + timedelta(days=400), date(2026, 6, 30))
        if (
            unit.role == "department"
            and len(siblings) > 1
            and rng.random() < 0.08
            and moved_on < date(2026, 6, 30)
        ):
            previous = rng.choice([s for s in siblings if s != unit.code])
            row.positions.append((previous, "Chuyên viên", start, moved_on - timedelta(days=1)))
            start = moved_on
        row.positions.append((unit.code, row.title, start, None))

    def _events(self, row: PersonRow, rng: random.Random) -> None:
        """A few disciplined people (about 1 %), pending proceedings (0.7 %) and maternity leaves."""
        if row.index % 97 == 50:
            year = rng.choice(YEARS)
            if row.recruited_on <= date(year - 1, 12, 31):
                decided = _random_day(rng, date(year, 3, 1), date(year, 10, 31))
                form = "canh_cao" if rng.random() < 0.3 else "khien_trach"
                row.disciplines.append((form, decided, decided + timedelta(days=365)))
        if row.index % 151 == 75:
            kind = rng.choice(("discipline", "investigation", "complaint"))
            row.proceedings.append((kind, _random_day(rng, date(2026, 3, 1), date(2026, 6, 30))))
        if row.gender != "nu" or REFERENCE_DAY.year - row.date_of_birth.year >= 42:
            return
        self.young_women += 1
        if self.young_women % 25 == 12:
            first = max(row.recruited_on + timedelta(days=365), date(2021, 1, 1))
            start = _random_day(rng, first, date(2026, 1, 31))
            row.leaves.append(("thai_san", start, start + timedelta(days=182)))

    def _rate(self, rows: list[PersonRow]) -> None:
        """Ratings per year, then the HTXS cap (≤ 20 % of HTT) within this unit's staff."""
        rng = self.rng
        for row in rows:
            disciplined = {d.year for _, d, _ in row.disciplines}
            for year in YEARS:
                if row.recruited_on > date(year, 6, 30):
                    continue  # under 6 months worked in the year: not rated
                if year in disciplined:
                    row.ratings[year] = KHT
                    continue
                r = rng.random()
                if row.star:
                    row.ratings[year] = HTXS if r < 0.55 else HTT if r < 0.97 else HT
                else:
                    row.ratings[year] = HTXS if r < 0.08 else HTT if r < 0.8 else HT if r < 0.975 else KHT
        for year in YEARS:
            excellent = [r for r in rows if r.ratings.get(year) == HTXS]
            good = sum(1 for r in rows if r.ratings.get(year) == HTT)
            # Downgrading one HTXS adds one HTT: keep x ≤ 0.2 (good + (n - x)).
            allowed = int(MAX_HTXS_SHARE_OF_HTT * (good + len(excellent)) / (1 + MAX_HTXS_SHARE_OF_HTT))
            excellent.sort(key=lambda r: (not r.star, rng.random()))
            for row in excellent[allowed:]:
                row.ratings[year] = HTT

    def _awards(self, row: PersonRow) -> None:
        rng = self.rng
        blocked = {
            year
            for _, start, end in row.disciplines
            for year in YEARS
            if start <= date(year, 12, 31) and end >= date(year, 1, 1)
        }
        cstdcs: set[int] = set()
        bk_years: set[int] = set()
        for year in YEARS:
            rating = row.ratings.get(year)
            if rating is None:
                continue
            place = self.plan.by_code[row.unit].place_name or "đơn vị"
            if rating in AT_LEAST_HTT and rng.random() < (0.3 if row.star else 0.04):
                self._initiative(row, year, "co_so", place)
            if {year - 1, year - 2} <= cstdcs and rng.random() < 0.6:
                self._initiative(row, year, "bo_nganh_tinh", place)
            if year in blocked or rating not in AT_LEAST_HTT or rng.random() > 0.97:
                continue
            unit = row.unit_on(date(year, 12, 31)) or row.unit
            issuer = self._issuer(unit)
            row.awards.append(AwardRow(LDTT, "title", year, *self.decisions.unit_level(issuer, year, LDTT)))
            free = [i for i in row.initiatives if i.scope == "co_so" and not i.used_for and i.year <= year]
            if (rating == HTXS or free) and rng.random() < 0.9:
                if rating != HTXS:
                    free[0].used_for = f"{CSTDCS}:{year}"
                cstdcs.add(year)
                row.awards.append(
                    AwardRow(CSTDCS, "title", year, *self.decisions.unit_level(issuer, year, CSTDCS))
                )
            else:
                continue
            high = [
                i for i in row.initiatives if i.scope == "bo_nganh_tinh" and not i.used_for and i.year <= year
            ]
            recent = any(a.award_id == CSTD_BO and a.year > year - 3 for a in row.awards)
            if {year - 1, year - 2} <= cstdcs and high and not recent and rng.random() < 0.8:
                high[0].used_for = f"{CSTD_BO}:{year}"
                row.awards.append(
                    AwardRow(CSTD_BO, "title", year, *self.decisions.ministry_level(year, CSTD_BO))
                )
            if year - 1 in cstdcs and year - 1 not in bk_years and rng.random() < 0.5:
                bk_years.add(year)
                row.awards.append(AwardRow(BK_BO, "form", year, *self.decisions.ministry_level(year, BK_BO)))

    def _initiative(self, row: PersonRow, year: int, scope: str, place: str) -> None:
        n = len(row.initiatives) + 1
        title = self.rng.choice(INITIATIVE_TITLES).format(place=place)
        row.initiatives.append(InitiativeRow(f"SK-{year}-{row.index:07d}-{n}", title, year, scope))


_OLD_CODES = tuple(p.code for p in reference.old_provinces())


def _old_title(title: str) -> str:
    """Before the merger, today's department and BHXH cơ sở leaders served as senior staff of the old unit."""
    leader = title.startswith(("Trưởng", "Phó Trưởng", "Chánh", "Phó Chánh", "Giám đốc", "Phó Giám đốc"))
    return "Chuyên viên chính" if leader else title


def _root_head(day: date) -> str:
    return ("Giám đốc" if day >= MINISTRY_DAY else "Tổng Giám đốc") + " Bảo hiểm xã hội Việt Nam"


def _email_local(full_name: str) -> str:
    words = fold(full_name).split()
    return words[-1] + "".join(w[0] for w in words[:-1])


def generate_people(
    plan: OrgPlan, people: int, seed: int, *, tally: Tally | None = None, chunk: int = 5000
) -> Iterator[list[PersonRow]]:
    """Yield the staff in chunks of about `chunk` people, unit by unit; same seed → same people."""
    if not 0 <= people <= MAX_PEOPLE:
        raise ValueError(f"Số nhân sự phải từ 0 đến {format_number(MAX_PEOPLE)}")
    generator = _PeopleGenerator(plan, seed)
    pending: list[PersonRow] = []
    for unit, count in quotas(plan, people):
        while count > 0:
            size = min(count, chunk)
            rows = generator.batch(unit, size)
            count -= size
            if tally is not None:
                for row in rows:
                    tally.add(plan, row)
            pending.extend(rows)
            if len(pending) >= chunk:
                yield pending
                pending = []
    if pending:
        yield pending


# --- Collectives -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CollectiveRow:
    unit: str
    year: int
    rating: str
    awards: tuple[AwardRow, ...]


def generate_collectives(plan: OrgPlan, tally: Tally, seed: int) -> list[CollectiveRow]:
    """Ratings of every collective for each year it existed at year end, and the titles the counts allow."""
    rng = random.Random(f"collectives:{seed}")
    decisions = _Decisions(plan, seed)
    result = []
    for year in YEARS:
        leaders = plan.leaders(year)
        for unit in plan.units:
            if unit.role == "root" or not plan.exists_at_year_end(unit.code, year):
                continue
            r = rng.random()
            rating = HTXS if r < 0.3 else HTT if r < 0.88 else HT if r < 0.98 else KHT
            if unit.code in leaders:
                rating = HTXS
            members, ldtt, below, cstdcs, serious = tally.counts.get((unit.code, year), [0, 0, 0, 0, 0])
            awards: list[AwardRow] = []
            share_ok = members > 0 and ldtt >= MIN_LDTT_SHARE * members
            issuer = unit.parent if unit.role in {"department", "co_so"} else ROOT_CODE
            if rating == HTXS and share_ok and below == 0 and cstdcs >= 1 and rng.random() < 0.8:
                awards.append(AwardRow(TTLDXS, "title", year, *decisions.ministry_level(year, TTLDXS)))
            elif rating in AT_LEAST_HTT and share_ok and serious == 0 and rng.random() < 0.95:
                awards.append(
                    AwardRow(TTLDTT, "title", year, *decisions.unit_level(issuer or ROOT_CODE, year, TTLDTT))
                )
            if unit.code in leaders:
                awards.append(AwardRow(CO_BO, "title", year, *decisions.ministry_level(year, CO_BO)))
            result.append(CollectiveRow(unit.code, year, rating, tuple(awards)))
    return result
