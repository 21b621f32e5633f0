"""Task-completion ratings (xếp loại chất lượng): the grid, the .xlsx import and the HTXS cap."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction
from django.db.models import Q

from thidua.accounts.models import User
from thidua.audit.services import log
from thidua.awards.services.common import settings_for
from thidua.core.errors import DomainError
from thidua.core.versioning import check_version
from thidua.history.models import Rating, RatingValue
from thidua.history.values import parse_rating
from thidua.lib.sheets import ExcelError, SheetRefused, open_xlsx
from thidua.lib.text import excerpt, fold
from thidua.org.models import Person, PersonQuerySet, Unit
from thidua.org.permissions import require_unit_write

HTXS = RatingValue.HOAN_THANH_XUAT_SAC
HTT = RatingValue.HOAN_THANH_TOT


def rated_people(unit: Unit, year: int) -> list[Person]:
    """The people the unit's own grid rates: `Person.objects.of_unit` (the one query of a unit's
    people in a year), the unit itself, in Vietnamese order."""
    return list(Person.objects.of_unit(unit, year).vietnamese_order())


def people_of_year(unit: Unit, year: int) -> PersonQuerySet:
    """The people of `unit`'s whole subtree in `year`, as a query (`Person.objects.of_unit`, reach
    "subtree")."""
    return Person.objects.of_unit(unit, year, reach="subtree")


def people_in_subtree(unit: Unit, year: int) -> list[Person]:
    """The people of `unit`'s whole subtree in `year`, in Vietnamese order."""
    return list(people_of_year(unit, year).vietnamese_order())


def count_people_in_subtree(unit: Unit, year: int) -> int:
    """How many `people_in_subtree` there are (one query, nothing loaded)."""
    return people_of_year(unit, year).count()


@dataclass(frozen=True)
class CapCheck:
    """The HTXS cap of a unit for a year: `htxs` against `allowed` (pct of those rated HTT)."""

    enabled: bool
    htxs: int
    htt: int
    pct: int
    allowed: int
    unit_is_htxs: bool

    @property
    def over(self) -> bool:
        return self.enabled and self.htxs > self.allowed

    @property
    def text(self) -> str:
        state = f"vượt giới hạn {self.pct}%" if self.over else f"trong giới hạn {self.pct}%"
        return f"{self.htxs}/{self.allowed} — {state}"


def htxs_cap(unit: Unit, year: int, values: dict[int, str] | None = None) -> CapCheck:
    """HTXS ≤ 20% of those rated HTT in the unit, 25% if the unit itself is rated HTXS (NĐ 233/2026
    Đ12 k6), rounded down. `values` (person id → rating) checks a grid before it is saved."""
    settings = settings_for(unit)
    if values is None:
        people = [p.pk for p in rated_people(unit, year)]
        values = dict(
            Rating.objects.filter(person_id__in=people, year=year).values_list("person_id", "value")
        )
    unit_rating = Rating.objects.filter(unit=unit, year=year).values_list("value", flat=True).first()
    unit_is_htxs = unit_rating == HTXS
    pct = settings.htxs_cap_pct_excellent_unit if unit_is_htxs else settings.htxs_cap_pct
    htxs = sum(1 for v in values.values() if v == HTXS)
    htt = sum(1 for v in values.values() if v == HTT)
    return CapCheck(settings.htxs_cap_enabled, htxs, htt, pct, htt * pct // 100, unit_is_htxs)


GRID = "Bảng xếp loại của đơn vị"


def grid_version(unit: Unit, year: int, people: list[int] | None = None) -> str:
    """The version of a unit's rating grid for a year: a fingerprint of every rating in it (its people's
    and the unit's own, with their row versions). Any change by anyone changes it."""
    ids = people if people is not None else [p.pk for p in rated_people(unit, year)]
    rows = (
        Rating.objects.filter(Q(person_id__in=ids) | Q(unit=unit), year=year)
        .order_by("person_id", "unit_id")
        .values_list("person_id", "unit_id", "value", "version")
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:20]


RATINGS_REFUSED = "Bạn không có quyền xếp loại người, tập thể của đơn vị này"


@transaction.atomic
def save_ratings(
    *,
    actor: User | None,
    unit: Unit,
    year: int,
    values: dict[int, str],
    unit_value: str | None = None,
    version: str | None = None,
    require_version: bool = False,
) -> CapCheck:
    """Save the ratings of the people of `unit` for `year` (blank = no rating) and of the unit itself.

    Refuses people outside the unit and unknown values, and a grid changed since the caller read it
    (`version` from `grid_version`; the HTXS cap depends on the whole grid). Logs `rating.saved` with
    the counts and the cap check; the cap is a warning, returned to the caller, not a refusal."""
    require_unit_write(actor, unit, RATINGS_REFUSED)
    Unit.objects.select_for_update().filter(pk=unit.pk).first()  # one grid save at a time per unit
    allowed = {p.pk for p in rated_people(unit, year)}
    check_version(grid_version(unit, year, list(allowed)), version, what=GRID, required=require_version)
    stray = set(values) - allowed
    if stray:
        raise DomainError("Có người không thuộc đơn vị trong năm xếp loại")
    valid = set(RatingValue.values)
    for value in [*values.values(), unit_value or ""]:
        if value and value not in valid:
            raise DomainError(f"Mức xếp loại không hợp lệ: {value}")
    existing = {r.person_id: r for r in Rating.objects.filter(person_id__in=values, year=year)}
    changed = 0
    for person_id, value in values.items():
        row = existing.get(person_id)
        if not value:
            if row is not None:
                row.delete()
                changed += 1
        elif row is None:
            Rating.objects.create(person_id=person_id, year=year, value=value)
            changed += 1
        elif row.value != value:
            row.value = value
            row.version += 1
            row.save(update_fields=["value", "version", "updated_at"])
            changed += 1
    if unit_value is not None:
        if unit_value:
            own = Rating.objects.filter(unit=unit, year=year).first()
            if own is None:
                Rating.objects.create(unit=unit, year=year, value=unit_value)
            elif own.value != unit_value:
                own.value = unit_value
                own.version += 1
                own.save(update_fields=["value", "version", "updated_at"])
        else:
            Rating.objects.filter(unit=unit, year=year).delete()
    cap = htxs_cap(unit, year)
    log(
        "rating.saved",
        actor=actor,
        obj=unit,
        unit_path=unit.path,
        detail={
            "year": year,
            "changed": changed,
            "unit_value": unit_value,
            "htxs_cap": cap.text if cap.enabled else "không áp dụng",
        },
    )
    return cap


# -- import from .xlsx ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportProblem:
    row: int
    column: str
    value: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", excerpt(self.value))  # never echo more than an excerpt

    def __str__(self) -> str:
        return f"Dòng {self.row}, cột “{self.column}”: “{self.value}” — {self.message}"


COLUMNS = ("Số CCCD", "Họ và tên", "Mức xếp loại")


class RatingImportError(DomainError):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"Tệp có {len(problems)} lỗi; chưa có xếp loại nào được lưu.")
        self.problems = problems


def import_ratings(*, actor: User | None, unit: Unit, year: int, source: BinaryIO | bytes) -> CapCheck:
    """Import ratings from an .xlsx sheet (columns Số CCCD, Họ và tên, Mức xếp loại; header row 1).

    All or nothing: every row is checked (row, column, value, what is wrong) before anything is
    saved; any problem raises `RatingImportError` listing them all."""
    require_unit_write(actor, unit, RATINGS_REFUSED)
    try:
        with open_xlsx(source) as workbook:  # size, columns, rows and cells checked before reading
            if not workbook.worksheets:
                raise SheetRefused("Tệp .xlsx không có trang tính nào.")
            rows = workbook.worksheets[0].rows()
    except SheetRefused as exc:
        raise DomainError(exc.message, field="file") from exc
    if not rows:
        raise RatingImportError([ImportProblem(1, "", "", "Tệp trống")])
    header = [excerpt(c or "") for c in rows[0]]
    problems: list[ImportProblem] = []
    index: dict[str, int] = {}
    for name in COLUMNS:
        if name in header:
            index[name] = header.index(name)
        elif name != "Họ và tên":
            problems.append(ImportProblem(1, name, "", "Thiếu cột"))
    if problems:
        raise RatingImportError(problems)
    people = {p.citizen_id: p for p in rated_people(unit, year)}
    values: dict[int, str] = {}
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = ["" if c is None else str(c).strip() for c in row]
        if not any(cells):
            continue
        errors = [(i, c) for i, c in enumerate(row) if isinstance(c, ExcelError) and i in index.values()]
        for i, error in errors:
            name = next(n for n, j in index.items() if j == i)
            problems.append(ImportProblem(number, name, str(error), error.message))
        if errors:
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = index.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        cid, raw = cell("Số CCCD"), cell("Mức xếp loại")
        person = people.get(cid)
        if person is None:
            problems.append(ImportProblem(number, "Số CCCD", cid, "Không có người này trong đơn vị"))
        elif cid in seen:
            problems.append(ImportProblem(number, "Số CCCD", cid, f"Trùng với dòng {seen[cid]}"))
        else:
            seen[cid] = number
            name = cell("Họ và tên")
            if name and fold(name) != fold(person.full_name):
                problems.append(
                    ImportProblem(number, "Họ và tên", name, f"Không khớp với tên {person.full_name}")
                )
        value = parse_rating(raw) if raw else None
        if value is None:
            problems.append(
                ImportProblem(number, "Mức xếp loại", raw, "Không phải mức xếp loại (HTXS, HTT, HT, KHT)")
            )
        if person is not None and value is not None:
            values[person.pk] = value
    if problems:
        raise RatingImportError(problems)
    with transaction.atomic():
        cap = save_ratings(actor=actor, unit=unit, year=year, values=values)
        log(
            "rating.imported",
            actor=actor,
            obj=unit,
            unit_path=unit.path,
            detail={"year": year, "rows": len(values)},
        )
    return cap
