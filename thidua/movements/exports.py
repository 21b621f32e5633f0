"""Excel exports: the consolidated registration list and a cluster ranking (A4 landscape)."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook

from thidua.movements.achievements import Comparison
from thidua.movements.models import Movement, Ranking, Registration
from thidua.movements.xlsx import landscape_sheet
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


def registrations_workbook(movement: Movement, year: int, registrations: Sequence[Registration]) -> Workbook:
    rows = []
    for number, reg in enumerate(registrations, start=1):
        unit_titles, people_titles = titles_text(reg)
        targets = "; ".join(f"{code}: {value}" for code, value in reg.targets.items())
        rows.append(
            [
                number,
                reg.unit.code,
                reg.unit.name,
                reg.get_status_display(),
                reg.submitted_on.strftime("%d/%m/%Y") if reg.submitted_on else "",
                "Quá hạn" if reg.late else "",
                targets,
                unit_titles,
                people_titles,
                reg.note,
            ]
        )
    headers = [
        "STT",
        "Mã đơn vị",
        "Tên đơn vị",
        "Trạng thái",
        "Ngày gửi",
        "Hạn",
        "Chỉ tiêu đăng ký",
        "Danh hiệu tập thể",
        "Danh hiệu cá nhân (số người)",
        "Ghi chú",
    ]
    wb, _ = landscape_sheet(
        "Đăng ký thi đua",
        f"Tổng hợp đăng ký thi đua năm {year} — {movement.title}",
        headers,
        rows,
        widths=[5, 12, 30, 12, 11, 9, 40, 30, 30, 25],
    )
    return wb


def ranking_workbook(ranking: Ranking) -> Workbook:
    rows = [
        [e.rank, e.unit.code, e.unit.name, e.base, e.bonus, e.penalty, e.total, e.note]
        for e in ranking.entries.select_related("unit")
    ]
    headers = [
        "Hạng",
        "Mã đơn vị",
        "Tên đơn vị",
        "Điểm cơ bản",
        "Điểm thưởng",
        "Điểm trừ",
        "Tổng điểm",
        "Ghi chú",
    ]
    status = "đã công bố" if ranking.status == Ranking.Status.PUBLISHED else "dự thảo"
    wb, ws = landscape_sheet(
        "Xếp hạng",
        f"Kết quả xếp hạng {ranking.cluster.name} — {ranking.period_label} — {ranking.movement.title} ({status})",
        headers,
        rows,
        widths=[6, 12, 34, 12, 12, 10, 11, 50],
    )
    for row in ws.iter_rows(min_row=4, min_col=4, max_col=7):
        for cell in row:
            cell.number_format = "0.00"
    return wb


def achievements_workbook(title: str, comparisons: Sequence[Comparison]) -> Workbook:
    """Đăng ký — Đạt: one row per registered title or target, registered beside achieved."""
    rows: list[list[object]] = []
    for number, c in enumerate(comparisons, start=1):
        reg = c.registration
        for t in c.titles:
            who = "Tập thể" if t.subject == "unit" else "Cá nhân (số người)"
            rows.append(
                [number, reg.unit.name, reg.movement.title, f"{who}: {award_name(t.award_id)}",
                 t.registered, t.achieved, "", "Đạt" if t.met else "Chưa đạt"]
            )  # fmt: skip
        for tl in c.targets:
            met = {True: "Đạt", False: "Chưa đạt", None: "Chưa có số liệu"}[tl.met]
            rows.append(
                [number, reg.unit.name, reg.movement.title, f"Chỉ tiêu {tl.code} {tl.name}".strip(),
                 tl.registered, tl.achieved, tl.ratio, met]
            )  # fmt: skip
    headers = ["STT", "Đơn vị", "Phong trào", "Danh hiệu, chỉ tiêu", "Đăng ký", "Đạt", "Tỷ lệ (%)", "Kết quả"]
    wb, _ = landscape_sheet("Đăng ký - Đạt", title, headers, rows, widths=[5, 30, 36, 40, 10, 10, 10, 16])
    return wb
