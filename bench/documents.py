"""Benchmark of the document layer: python bench/documents.py

Prints how long the renderers take on the sizes the requirements name, each the median of
three runs, and exits with status 1 if a limit is missed:

- a decision with 5,000 recipients in its annex as .docx: at most 5 s;
- 1,000 certificates (Giấy khen) as one PDF: at most 20 s.

Also printed, without a limit: the same decision through the default .docx template, as
PDF, and a 5,000-row .xlsx list.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from thidua.documents.docx_render import render_docx
from thidua.documents.docx_template import render_docx_template
from thidua.documents.examples import example_decision, example_recipients
from thidua.documents.pdf_render import GIAY_KHEN_A4, render_certificates, render_official_pdf
from thidua.documents.templates_docx import DECISION_TEMPLATE, decision_template_context
from thidua.documents.xlsx_render import MONEY_FORMAT, CellValue, XlsxColumn, XlsxSheet, render_xlsx

RUNS = 3


def measure(work: Callable[[], bytes]) -> tuple[float, int]:
    """Median seconds over RUNS runs, and the size of the output in bytes."""
    times = []
    size = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(work())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def certificate_records(count: int) -> list[dict[str, str]]:
    return [
        {
            "recipient": name,
            "position_unit": unit,
            "achievement": "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2025, góp phần vào sự nghiệp "
            "xây dựng và phát triển ngành Bảo hiểm xã hội Việt Nam",
            "place_date": "Đắk Lắk, ngày 05 tháng 01 năm 2026",
            "decision": "Quyết định số 07/QĐ-BHXH ngày 05/01/2026",
            "book_number": f"Số sổ vàng: {i}",
        }
        for i, (name, unit, _) in enumerate(example_recipients(count), start=1)
    ]


def main() -> int:
    decision = example_decision(5000)
    context = decision_template_context(decision)
    records = certificate_records(1000)
    sheet_rows: list[list[CellValue]] = [
        [i, name, unit, amount] for i, (name, unit, amount) in enumerate(example_recipients(5000), 1)
    ]
    columns = [
        XlsxColumn("STT", 6),
        XlsxColumn("Họ và tên", 28),
        XlsxColumn("Chức vụ, đơn vị", 50),
        XlsxColumn("Số tiền (đồng)", 16, MONEY_FORMAT),
    ]
    cases: list[tuple[str, Callable[[], bytes], float | None]] = [
        ("Quyết định, 5.000 người, .docx", lambda: render_docx(decision), 5.0),
        ("1.000 giấy khen, một tệp PDF", lambda: render_certificates(GIAY_KHEN_A4, records), 20.0),
        (
            "Quyết định, 5.000 người, mẫu .docx",
            lambda: render_docx_template(DECISION_TEMPLATE, context),
            None,
        ),
        ("Quyết định, 5.000 người, PDF", lambda: render_official_pdf(decision), None),
        (
            "Danh sách 5.000 dòng, .xlsx",
            lambda: render_xlsx(XlsxSheet("Danh sách", columns, sheet_rows)),
            None,
        ),
    ]
    failed = False
    print(f"{'việc':40} {'giây':>7} {'giới hạn':>9} {'KB':>8}")
    for label, work, limit in cases:
        seconds, size = measure(work)
        verdict = ""
        if limit is not None:
            ok = seconds <= limit
            failed |= not ok
            verdict = "đạt" if ok else "VƯỢT"
        limit_text = f"{limit:.0f}" if limit is not None else "-"
        print(f"{label:40} {seconds:7.2f} {limit_text:>9} {size / 1024:8.0f} {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
