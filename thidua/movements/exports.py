"""Excel exports: the consolidated registration list and a cluster ranking (A4 landscape), through the
one writer (`thidua.lib.xlsx`)."""

from __future__ import annotations

from collections.abc import Sequence

from thidua.lib.xlsx import POINTS_FORMAT, CellValue, XlsxColumn, XlsxSheet, render_xlsx
from thidua.movements.achievements import Comparison
from thidua.movements.models import Movement, Ranking, Registration
from thidua.rules.names import award_name


def titles_text(registration: Registration) -> tuple[str, str]:
    """(collective titles, individual titles with the number of people) in Vietnamese."""
    unit, people = [], []
    for item in registration.titles:
        label = award_name(item.get("award", ""))
        if item.get("subject") == "unit":
            unit.append(label)
        else:
            people.append(f"{label}: {item.get('count', 1)}")
    return "; ".join(unit), "; ".join(people)


def registrations_xlsx(movement: Movement, year: int, registrations: Sequence[Registration]) -> bytes:
    rows: list[list[CellValue]] = []
    for number, reg in enumerate(registrations, start=1):
        unit_titles, people_titles = titles_text(reg)
        targets = "; ".join(f"{code}: {value}" for code, value in reg.targets.items())
        rows.append(
            [
                number,
                reg.unit.code,
                reg.unit.name,
                reg.get_status_display(),
                reg.submitted_on.date() if reg.submitted_on else None,
                "Quá hạn" if reg.late else "",
                targets,
                unit_titles,
                people_titles,
                reg.note,
            ]
        )
    columns = [
        XlsxColumn("STT", 6, align="center"),
        XlsxColumn("Mã đơn vị", 12),
        XlsxColumn("Tên đơn vị", 30, wrap=True),
        XlsxColumn("Trạng thái", 13, wrap=True),
        XlsxColumn("Ngày gửi", 11, align="center"),
        XlsxColumn("Hạn", 9),
        XlsxColumn("Chỉ tiêu đăng ký", 40, wrap=True),
        XlsxColumn("Danh hiệu tập thể", 30, wrap=True),
        XlsxColumn("Danh hiệu cá nhân (số người)", 30, wrap=True),
        XlsxColumn("Ghi chú", 25, wrap=True),
    ]
    return render_xlsx(
        XlsxSheet(
            "Đăng ký thi đua",
            columns,
            rows,
            title_rows=[f"TỔNG HỢP ĐĂNG KÝ THI ĐUA NĂM {year}", movement.title],
        )
    )


def ranking_xlsx(ranking: Ranking) -> bytes:
    rows: list[list[CellValue]] = [
        [e.rank, e.unit.code, e.unit.name, e.base, e.bonus, e.penalty, e.total, e.note]
        for e in ranking.entries.select_related("unit")
    ]
    columns = [
        XlsxColumn("Hạng", 6, align="center"),
        XlsxColumn("Mã đơn vị", 12),
        XlsxColumn("Tên đơn vị", 34, wrap=True),
        XlsxColumn("Điểm cơ bản", 12, POINTS_FORMAT, align="right"),
        XlsxColumn("Điểm thưởng", 12, POINTS_FORMAT, align="right"),
        XlsxColumn("Điểm trừ", 10, POINTS_FORMAT, align="right"),
        XlsxColumn("Tổng điểm", 11, POINTS_FORMAT, align="right"),
        XlsxColumn("Ghi chú", 50, wrap=True),
    ]
    status = "đã công bố" if ranking.status == Ranking.Status.PUBLISHED else "dự thảo"
    return render_xlsx(
        XlsxSheet(
            "Xếp hạng",
            columns,
            rows,
            title_rows=[
                f"KẾT QUẢ XẾP HẠNG {ranking.cluster.name.upper()}",
                f"{ranking.period_label} — {ranking.movement.title} ({status})",
            ],
        )
    )


def achievements_xlsx(title: str, comparisons: Sequence[Comparison]) -> bytes:
    """Đăng ký — Đạt: one row per registered title or target, registered beside achieved."""
    rows: list[list[CellValue]] = []
    for number, c in enumerate(comparisons, start=1):
        reg = c.registration
        for t in c.titles:
            who = "Tập thể" if t.subject == "unit" else "Cá nhân (số người)"
            rows.append(
                [number, reg.unit.name, reg.movement.title, f"{who}: {award_name(t.award_id)}",
                 t.registered, t.achieved, None, "Đạt" if t.met else "Chưa đạt"]
            )  # fmt: skip
        for tl in c.targets:
            met = {True: "Đạt", False: "Chưa đạt", None: "Chưa có số liệu"}[tl.met]
            rows.append(
                [number, reg.unit.name, reg.movement.title, f"Chỉ tiêu {tl.code} {tl.name}".strip(),
                 tl.registered, tl.achieved, tl.ratio, met]
            )  # fmt: skip
    columns = [
        XlsxColumn("STT", 6, align="center"),
        XlsxColumn("Đơn vị", 28, wrap=True),
        XlsxColumn("Phong trào", 34, wrap=True),
        XlsxColumn("Danh hiệu, chỉ tiêu", 40, wrap=True),
        XlsxColumn("Đăng ký", 12, align="right"),
        XlsxColumn("Đạt", 12, align="right"),
        XlsxColumn("Tỷ lệ (%)", 10, POINTS_FORMAT, align="right"),
        XlsxColumn("Kết quả", 16),
    ]
    return render_xlsx(XlsxSheet("Đăng ký - Đạt", columns, rows, title_rows=["ĐĂNG KÝ — ĐẠT", title]))
