"""The numbers of the statistics pages, read from the pre-aggregated `AwardTally` rows (and, for
movements, from registrations, results and rankings), always inside one unit's subtree.

Each builder returns a `Report` (sections of typed rows, a chart each); the views show it and
write it to .xlsx, the year-end annex reuses the same tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum

from thidua.lib.ethnic_groups import KINH
from thidua.lib.numbers import format_number
from thidua.movements.models import (
    Movement,
    Ranking,
    Registration,
    Result,
    participating_units,
    period_order,
)
from thidua.org.kinds import codes_at_level
from thidua.org.models import Person, Unit
from thidua.org.organisation import current_organisation
from thidua.reports import charts
from thidua.reports.levels import level_label, levels
from thidua.reports.models import AwardTally
from thidua.reports.report import Cell, Col, Report, Section
from thidua.rules.names import award_name


def province_kinds() -> list[str]:
    """Unit kinds of province level in the organisation's sector (BHXH tỉnh and khu vực for BHXH)."""
    return codes_at_level("tinh", current_organisation())


COUNTS = ("n", "women", "direct_workers", "minorities", "prize_vnd")
WORKFORCE_SECONDS = 600


@dataclass(frozen=True)
class Filters:
    """Which awards a report counts: those of `unit`'s subtree, achievement years `first`–`last`."""

    unit: Unit
    first: int
    last: int

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def label(self) -> str:
        years = f"năm {self.first}" if self.first == self.last else f"các năm {self.first}–{self.last}"
        return f"{self.unit.name}, {years}"


def tallies(f: Filters, *, by_decision_year: bool = False) -> QuerySet[AwardTally]:
    field = "decided_year" if by_decision_year else "year"
    return AwardTally.objects.filter(
        unit__path__startswith=f.unit.path, **{f"{field}__gte": f.first, f"{field}__lte": f.last}
    )


def _sums(rows: QuerySet[AwardTally], *keys: str) -> list[dict[str, Any]]:
    return list(rows.values(*keys).annotate(**{c: Sum(c) for c in COUNTS}).order_by(*keys))


def _pct(part: int | None, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _num(cell: Cell) -> int | Decimal:
    """A table cell as a number (text and empty cells count 0)."""
    if isinstance(cell, Decimal):
        return cell
    return int(cell) if isinstance(cell, int | float) else 0


def _col_sum(table: list[list[Cell]], index: int) -> int:
    return sum(int(_num(row[index])) for row in table)


def _level_ids() -> list[str]:
    return [lv.id for lv in levels()]


def _award_sort(award_id: str) -> tuple[int, str]:
    from thidua.reports.levels import level_of, level_rank

    return level_rank(level_of(award_id)), award_name(award_id)


# -- awards by year, level, title and form --------------------------------------------------------
def awards_report(f: Filters) -> Report:
    rows = tallies(f)
    by_year_level: dict[tuple[int, str], int] = {
        (r["year"], r["level"]): r["n"] for r in _sums(rows, "year", "level")
    }
    used_levels = [lv for lv in _level_ids() if any(k[1] == lv for k in by_year_level)] or _level_ids()[:3]
    numbers = [[by_year_level.get((year, lv), 0) for lv in used_levels] for year in f.years]
    year_rows: list[list[Cell]] = [[str(y), *n, sum(n)] for y, n in zip(f.years, numbers, strict=True)]
    totals: list[Cell] = [sum(n[i] for n in numbers) for i in range(len(used_levels))]
    totals.append(sum(sum(n) for n in numbers))
    trend = Section(
        "Số lượt khen thưởng theo năm và cấp khen thưởng",
        [Col("Năm", "text"), *[Col(level_label(lv)) for lv in used_levels], Col("Tổng số")],
        year_rows,
        chart=charts.column_chart(
            [str(y) for y in f.years],
            [(level_label(lv), [by_year_level.get((y, lv), 0) for y in f.years]) for lv in used_levels],
            title="Số lượt khen thưởng theo năm, chia theo cấp",
        ),
        total=["Cộng", *totals],
    )
    sections = [trend]
    per_award = _sums(rows, "kind", "award_id", "subject")
    for kind, title in (("title", "Danh hiệu thi đua"), ("form", "Hình thức khen thưởng")):
        per: dict[str, dict[str, int]] = defaultdict(lambda: {"unit": 0, "person": 0, "prize": 0})
        for r in per_award:
            if r["kind"] == kind:
                per[r["award_id"]][r["subject"]] += r["n"]
                per[r["award_id"]]["prize"] += r["prize_vnd"] or 0
        ordered = sorted(per, key=_award_sort)
        table: list[list[Cell]] = [
            [
                award_name(a),
                level_label(_level(a)),
                per[a]["unit"],
                per[a]["person"],
                per[a]["unit"] + per[a]["person"],
            ]
            for a in ordered
        ]
        sections.append(
            Section(
                f"{title} ({f.label})",
                [Col(title, "text"), Col("Cấp", "text"), Col("Tập thể"), Col("Cá nhân"), Col("Tổng số")],
                table,
                chart=charts.bar_chart(
                    [(str(row[0]), _num(row[4])) for row in table], title=f"{title}: số lượt"
                ),
                total=["Cộng", "", *[_col_sum(table, i) for i in (2, 3, 4)]],
            )
        )
    by_award_year: dict[tuple[str, int], int] = {
        (r["award_id"], r["year"]): r["n"] for r in _sums(rows, "award_id", "year")
    }
    award_ids = sorted({a for a, _ in by_award_year}, key=_award_sort)
    matrix: list[list[Cell]] = [
        [award_name(a), *[by_award_year.get((a, y), 0) for y in f.years]] for a in award_ids
    ]
    biggest = sorted(award_ids, key=lambda a: -sum(by_award_year.get((a, y), 0) for y in f.years))[:6]
    sections.append(
        Section(
            "Diễn biến qua các năm theo danh hiệu, hình thức",
            [Col("Danh hiệu, hình thức", "text"), *[Col(str(y)) for y in f.years]],
            matrix,
            chart=charts.line_chart(
                [str(y) for y in f.years],
                [(award_name(a), [by_award_year.get((a, y), 0) for y in f.years]) for a in biggest],
                title="Diễn biến số lượt khen của các danh hiệu, hình thức nhiều nhất",
            ),
        )
    )
    return Report(
        "khen-thuong", "Khen thưởng theo năm, cấp, danh hiệu và hình thức", f.label, sections, _notes()
    )


def _level(award_id: str) -> str:
    from thidua.reports.levels import level_of

    return level_of(award_id)


def _notes() -> list[str]:
    return [
        "Số liệu: các danh hiệu, hình thức khen thưởng còn hiệu lực (không tính khen thưởng đã bị hủy bỏ), "
        "theo năm thành tích; cá nhân được tính ở đơn vị công tác vào ngày quyết định.",
    ]


# -- by unit and province ------------------------------------------------------------------------
def _child_of(unit: Unit, path: str) -> int | None:
    """The id of `unit`'s child whose subtree holds `path` (None: `unit` itself)."""
    ids = [int(p) for p in path.strip("/").split("/") if p]
    return ids[unit.depth + 1] if len(ids) > unit.depth + 1 else None


def _unit_sums(f: Filters) -> list[dict[str, Any]]:
    return list(
        tallies(f)
        .values("unit_id", "unit__path", "subject")
        .annotate(**{c: Sum(c) for c in COUNTS})
        .order_by()
    )


def units_report(f: Filters) -> Report:
    sums = _unit_sums(f)
    per_child: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in sums:
        key = _child_of(f.unit, r["unit__path"])
        bucket = per_child[key]
        bucket[r["subject"]] += r["n"]
        bucket["prize"] += r["prize_vnd"] or 0
    names = dict(Unit.objects.filter(pk__in=[k for k in per_child if k]).values_list("pk", "name"))
    table: list[list[Cell]] = []
    for key, bucket in per_child.items():
        label = names.get(key, "") if key else f"{f.unit.name} (cơ quan, trực thuộc trực tiếp)"
        table.append(
            [label, bucket["unit"], bucket["person"], bucket["unit"] + bucket["person"], bucket["prize"]]
        )
    table.sort(key=lambda row: (-_num(row[3]), str(row[0])))
    children = Section(
        f"Theo đơn vị trực thuộc {f.unit.name}",
        [
            Col("Đơn vị", "text"),
            Col("Tập thể"),
            Col("Cá nhân"),
            Col("Tổng số"),
            Col("Tiền thưởng (đồng)", "money"),
        ],
        table,
        chart=charts.bar_chart(
            [(str(r[0]), _num(r[3])) for r in table[:20]],
            title="Số lượt khen theo đơn vị (20 đơn vị nhiều nhất)",
        ),
        total=["Cộng", *[_col_sum(table, i) for i in (1, 2, 3, 4)]],
    )
    provinces = _province_map([r["unit__path"] for r in sums])
    per_province: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in sums:
        name = provinces.get(r["unit__path"], "Cơ quan, đơn vị không thuộc tỉnh")
        per_province[name][r["subject"]] += r["n"]
        per_province[name]["prize"] += r["prize_vnd"] or 0
    ptable: list[list[Cell]] = [
        [name, b["unit"], b["person"], b["unit"] + b["person"], b["prize"]]
        for name, b in per_province.items()
    ]
    ptable.sort(key=lambda row: (-_num(row[3]), str(row[0])))
    province = Section(
        "Theo tỉnh, thành phố (BHXH tỉnh, khu vực của đơn vị)",
        [
            Col("Tỉnh, thành phố", "text"),
            Col("Tập thể"),
            Col("Cá nhân"),
            Col("Tổng số"),
            Col("Tiền thưởng (đồng)", "money"),
        ],
        ptable,
        chart=charts.bar_chart(
            [(str(r[0]), _num(r[3])) for r in ptable[:20]], title="Số lượt khen theo tỉnh, thành phố"
        ),
        total=["Cộng", *[_col_sum(ptable, i) for i in (1, 2, 3, 4)]],
        note="Đơn vị đã sáp nhập được tính ở tỉnh của đơn vị vào thời điểm khen thưởng.",
    )
    return Report(
        "don-vi", "Khen thưởng theo đơn vị và tỉnh, thành phố", f.label, [children, province], _notes()
    )


def _province_map(paths: Iterable[str]) -> dict[str, str]:
    """unit path → the name of its province unit (itself or the nearest above of a provincial kind)."""
    wanted = set(paths)
    ids = {int(p) for path in wanted for p in path.strip("/").split("/") if p}
    provinces = {
        pk: (place or name)
        for pk, place, name in Unit.objects.filter(pk__in=ids, kind__in=province_kinds()).values_list(
            "pk", "place_name", "name"
        )
    }
    out = {}
    for path in wanted:
        chain = [int(p) for p in path.strip("/").split("/") if p]
        found = next((provinces[i] for i in reversed(chain) if i in provinces), None)
        if found:
            out[path] = found
    return out


# -- the shares councils watch -------------------------------------------------------------------
def workforce(unit: Unit) -> dict[str, int]:
    """Current staff of the subtree: total, women, direct workers, minorities, ethnicity unknown
    (kept a few minutes: one grouping over up to a million people)."""
    key = f"reports:workforce:{unit.pk}:{unit.path}"
    found = cache.get(key)
    if found is None:
        people = Person.objects.filter(current_unit__path__startswith=unit.path)
        found = people.aggregate(
            total=Count("id"),
            women=Count("id", filter=Q(gender=Person.Gender.NU)),
            direct_workers=Count("id", filter=Q(is_direct_worker=True)),
            minorities=Count("id", filter=Q(ethnicity__gt="") & ~Q(ethnicity=KINH)),
            unknown=Count("id", filter=Q(ethnicity="")),
        )
        cache.set(key, found, WORKFORCE_SECONDS)
    return dict(found)


def shares_report(f: Filters) -> Report:
    people = tallies(f).filter(subject=AwardTally.Subject.PERSON)
    by_year = {r["year"]: r for r in _sums(people, "year")}
    cols = [
        Col("Cá nhân được khen"),
        Col("Nữ"),
        Col("Tỷ lệ nữ", "pct"),
        Col("Người lao động trực tiếp"),
        Col("Tỷ lệ người lao động trực tiếp", "pct"),
        Col("Người dân tộc thiểu số"),
        Col("Tỷ lệ người dân tộc thiểu số", "pct"),
    ]

    def line(r: dict[str, Any] | None) -> list[Any]:
        r = r or {c: 0 for c in COUNTS}
        n = r["n"] or 0
        return [
            n,
            r["women"] or 0,
            _pct(r["women"], n),
            r["direct_workers"] or 0,
            _pct(r["direct_workers"], n),
            r["minorities"] or 0,
            _pct(r["minorities"], n),
        ]

    year_rows = [[str(y), *line(by_year.get(y))] for y in f.years]
    all_years = _sums(people, "subject")
    total = ["Cả giai đoạn", *line(all_years[0] if all_years else None)]
    trend = Section(
        "Tỷ lệ khen thưởng cá nhân: nữ, người lao động trực tiếp, người dân tộc thiểu số theo năm",
        [Col("Năm", "text"), *cols],
        year_rows,
        chart=charts.line_chart(
            [str(y) for y in f.years],
            [
                ("Nữ", [row[3] for row in year_rows]),
                ("Người lao động trực tiếp", [row[5] for row in year_rows]),
                ("Người dân tộc thiểu số", [row[7] for row in year_rows]),
            ],
            title="Tỷ lệ (%) trong số cá nhân được khen thưởng, theo năm",
            places=1,
            suffix="%",
        ),
        total=total,
    )
    by_level = {r["level"]: r for r in _sums(people, "level")}
    level_rows = [[level_label(lv), *line(by_level.get(lv))] for lv in _level_ids() if lv in by_level]
    per_level = Section(
        f"Theo cấp khen thưởng ({f.label})",
        [Col("Cấp khen thưởng", "text"), *cols],
        level_rows,
        chart=charts.bar_chart(
            [(f"{row[0]} — người lao động trực tiếp", row[5] or 0) for row in level_rows],
            title="Tỷ lệ (%) người lao động trực tiếp theo cấp khen thưởng",
            places=1,
            suffix="%",
            max_value=100,
        ),
        note="Các quy định khen thưởng ưu tiên người lao động trực tiếp, nữ và người dân tộc thiểu số; "
        "Hội đồng thi đua, khen thưởng theo dõi các tỷ lệ này khi xét.",
    )
    staff = workforce(f.unit)
    total_staff = staff["total"]
    base = Section(
        f"Để so sánh: cơ cấu nhân sự hiện tại của {f.unit.name}",
        [Col("Chỉ tiêu", "text"), Col("Số người"), Col("Tỷ lệ", "pct")],
        [
            ["Tổng số nhân sự", total_staff, None],
            ["Nữ", staff["women"], _pct(staff["women"], total_staff)],
            ["Người lao động trực tiếp", staff["direct_workers"], _pct(staff["direct_workers"], total_staff)],
            ["Người dân tộc thiểu số", staff["minorities"], _pct(staff["minorities"], total_staff)],
            ["Chưa ghi dân tộc", staff["unknown"], _pct(staff["unknown"], total_staff)],
        ],
        note="Cơ cấu tính theo hồ sơ nhân sự hiện tại (đơn vị công tác, giới tính, dân tộc, người lao động trực tiếp).",
    )
    return Report(
        "ty-le",
        "Tỷ lệ khen thưởng: nữ, người lao động trực tiếp, người dân tộc thiểu số",
        f.label,
        [trend, per_level, base],
        _notes(),
    )


# -- prize money ---------------------------------------------------------------------------------
SOURCE_LABELS = {
    "nha_nuoc": "Khen thưởng cấp Nhà nước",
    "bo_tinh": "Quỹ của bộ, ngành, tỉnh",
    "co_so": "Quỹ của đơn vị cơ sở",
    "khac": "Khác",
}


def prize_report(f: Filters) -> Report:
    rows = tallies(f, by_decision_year=True)
    sums = {(r["decided_year"], r["level"]): r for r in _sums(rows, "decided_year", "level")}
    used = [lv for lv in _level_ids() if any(k[1] == lv and v["prize_vnd"] for k, v in sums.items())] or [
        "co_so"
    ]
    table: list[list[Cell]] = []
    for year in f.years:
        money = [int(sums.get((year, lv), {}).get("prize_vnd") or 0) for lv in used]
        count = sum(int(sums.get((year, lv), {}).get("n") or 0) for lv in used)
        table.append([str(year), count, *money, sum(money)])
    by_year = Section(
        "Tiền thưởng theo năm quyết định và nguồn chi (cấp quyết định khen thưởng)",
        [
            Col("Năm", "text"),
            Col("Số lượt khen"),
            *[Col(f"{SOURCE_LABELS[lv]} (đồng)", "money") for lv in used],
            Col("Tổng tiền thưởng (đồng)", "money"),
        ],
        table,
        chart=charts.column_chart(
            [str(y) for y in f.years],
            [
                (SOURCE_LABELS[lv], [int(sums.get((y, lv), {}).get("prize_vnd") or 0) for y in f.years])
                for lv in used
            ],
            title="Tiền thưởng theo năm quyết định, chia theo nguồn chi (đồng)",
        ),
        total=["Cộng", *[_col_sum(table, i) for i in range(1, len(used) + 3)]],
        note="Nguồn chi ghi theo cấp quyết định khen thưởng (quỹ thi đua, khen thưởng của cấp đó): "
        "Chưa xác nhận với văn bản hướng dẫn chi; khen thưởng cấp Nhà nước ghi riêng.",
    )
    per_award = _sums(rows, "award_id")
    atable: list[list[Cell]] = [
        [
            award_name(r["award_id"]),
            r["n"],
            int(r["prize_vnd"] or 0),
            int((r["prize_vnd"] or 0) // (r["n"] or 1)),
        ]
        for r in sorted(per_award, key=lambda r: _award_sort(r["award_id"]))
        if r["n"]
    ]
    by_award = Section(
        f"Tiền thưởng theo danh hiệu, hình thức ({f.label}, năm quyết định)",
        [
            Col("Danh hiệu, hình thức", "text"),
            Col("Số lượt khen"),
            Col("Tiền thưởng (đồng)", "money"),
            Col("Bình quân một lượt (đồng)", "money"),
        ],
        atable,
        chart=charts.bar_chart(
            [(str(r[0]), _num(r[2])) for r in atable], title="Tiền thưởng theo danh hiệu, hình thức (đồng)"
        ),
        total=["Cộng", _col_sum(atable, 1), _col_sum(atable, 2), ""],
    )
    return Report(
        "tien-thuong",
        "Tiền thưởng theo năm và nguồn chi",
        f.label,
        [by_year, by_award],
        [
            "Tiền thưởng ghi theo quyết định khen thưởng (hệ số × mức lương cơ sở ngày quyết định); khen thưởng "
            "đã bị hủy bỏ không được tính (tiền thưởng phải thu hồi)."
        ],
    )


# -- movements -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class MovementLine:
    movement: Movement
    units: int
    registered: int
    registered_on_time: int
    results: int
    results_on_time: int


def movement_lines(movements: Iterable[Movement], unit: Unit, year: int) -> list[MovementLine]:
    out = []
    for movement in movements:
        units = participating_units(movement).filter(path__startswith=unit.path).count()
        registrations = Registration.objects.filter(
            movement=movement, year=year, unit__path__startswith=unit.path, submitted_on__isnull=False
        ).aggregate(n=Count("id"), late=Count("id", filter=Q(late=True)))
        results = Result.objects.filter(
            movement=movement, year=year, unit__path__startswith=unit.path, submitted_at__isnull=False
        ).aggregate(n=Count("id"), late=Count("id", filter=Q(late=True)))
        out.append(
            MovementLine(
                movement,
                units,
                registrations["n"],
                registrations["n"] - registrations["late"],
                results["n"],
                results["n"] - results["late"],
            )
        )
    return out


def running_in(movements: QuerySet[Movement], year: int) -> QuerySet[Movement]:
    """Movements running in `year` (the queryset method, for any queryset of movements)."""
    return movements.filter(start_year__lte=year).filter(Q(end_year__isnull=True) | Q(end_year__gte=year))


def movements_report(movements: QuerySet[Movement], unit: Unit, year: int) -> Report:
    lines = movement_lines(
        running_in(movements, year).exclude(status=Movement.Status.DRAFT).order_by("title"), unit, year
    )
    table: list[list[Cell]] = [
        [
            m.movement.title,
            m.units,
            m.registered,
            _pct(m.registered, m.units),
            m.registered_on_time,
            _pct(m.registered_on_time, m.registered),
            m.results,
            m.results_on_time,
            _pct(m.results_on_time, m.results),
        ]
        for m in lines
    ]
    section = Section(
        f"Tham gia, đăng ký và báo cáo đúng hạn năm {year}",
        [
            Col("Phong trào", "text"),
            Col("Đơn vị tham gia"),
            Col("Đã đăng ký"),
            Col("Tỷ lệ đăng ký", "pct"),
            Col("Đăng ký đúng hạn"),
            Col("Tỷ lệ đăng ký đúng hạn", "pct"),
            Col("Báo cáo kết quả (lượt)"),
            Col("Báo cáo đúng hạn"),
            Col("Tỷ lệ báo cáo đúng hạn", "pct"),
        ],
        table,
        chart=charts.bar_chart(
            [(str(r[0]), _num(r[3])) for r in table if r[1]],
            title=f"Tỷ lệ (%) đơn vị đã đăng ký thi đua năm {year}",
            places=1,
            suffix="%",
            max_value=100,
        ),
        note="Đúng hạn: gửi không muộn hơn mốc «Hạn đăng ký thi đua» (đăng ký) hoặc «Hạn đơn vị tự chấm điểm» "
        "của kỳ (kết quả); phong trào không đặt mốc thì mọi lần gửi được tính là đúng hạn.",
    )
    return Report(
        "phong-trao",
        "Phong trào thi đua: tham gia, đăng ký, báo cáo đúng hạn",
        f"{unit.name}, năm {year}",
        [section],
    )


def ranking_history(rankings: QuerySet[Ranking], movement: Movement, cluster_id: int) -> Section | None:
    """A cluster's published rankings of a movement over time: each unit's rank per period."""
    published = list(
        rankings.filter(movement=movement, cluster_id=cluster_id, status=Ranking.Status.PUBLISHED)
        .select_related("cluster")
        .prefetch_related("entries__unit")
    )
    if not published:
        return None
    published.sort(key=lambda r: (r.year, period_order(r.period)))
    labels = [r.period_label for r in published]
    units: dict[int, str] = {}
    ranks: dict[int, list[int | None]] = defaultdict(lambda: [None] * len(published))
    for i, ranking in enumerate(published):
        for entry in ranking.entries.all():
            units[entry.unit_id] = entry.unit.name
            ranks[entry.unit_id][i] = entry.rank
    order = sorted(units, key=lambda u: (ranks[u][-1] or 999, units[u]))
    table: list[list[Cell]] = [[units[u], *[r if r is not None else "—" for r in ranks[u]]] for u in order]
    return Section(
        f"Xếp hạng qua các kỳ — {published[0].cluster.name}",
        [Col("Đơn vị", "text"), *[Col(label) for label in labels]],
        table,
        chart=charts.line_chart(
            labels,
            [(units[u], ranks[u]) for u in order[:8]],
            title="Thứ hạng qua các kỳ (1 là dẫn đầu)",
            invert=True,
        ),
    )


def money(value: int) -> str:
    return format_number(value)


def award_breakdown(f: Filters, kind: str) -> Section:
    """Titles (kind "title") or forms ("form") with the counts a year-end report states for each."""
    sums = _sums(tallies(f).filter(kind=kind), "award_id", "subject")
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in sums:
        bucket = per[r["award_id"]]
        bucket[r["subject"]] += r["n"] or 0
        for c in ("women", "direct_workers", "minorities", "prize_vnd"):
            bucket[c] += r[c] or 0
    table: list[list[Cell]] = [
        [
            award_name(a),
            per[a]["unit"],
            per[a]["person"],
            per[a]["women"],
            per[a]["direct_workers"],
            per[a]["minorities"],
            per[a]["prize_vnd"],
        ]
        for a in sorted(per, key=_award_sort)
    ]
    title = "Danh hiệu thi đua" if kind == "title" else "Hình thức khen thưởng"
    return Section(
        title,
        [
            Col(title, "text"),
            Col("Tập thể"),
            Col("Cá nhân"),
            Col("Trong đó: nữ"),
            Col("Người lao động trực tiếp"),
            Col("Người dân tộc thiểu số"),
            Col("Tiền thưởng (đồng)", "money"),
        ],
        table,
        chart=charts.bar_chart(
            [(str(r[0]), _num(r[1]) + _num(r[2])) for r in table], title=f"{title}: số lượt"
        ),
        total=["Cộng", *[_col_sum(table, i) for i in range(1, 7)]],
    )
