"""Background jobs of the year-end: a large decision's .docx and its certificates, built from the
`Decision` row (the same builders as the inline downloads) and run by the documents job layer."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied

from thidua.accounts.models import User
from thidua.awards.documents import certificate_kind_of, certificate_records, decision_data
from thidua.awards.models import Candidate, Decision
from thidua.awards.services.candidates import propose_candidates
from thidua.core.errors import DomainError
from thidua.documents.builders.from_db import DocumentError
from thidua.documents.jobs import JobOutput, Progress, handler, safe_name
from thidua.documents.models import Job
from thidua.documents.services import render_certificate_pdf, render_decision
from thidua.lib.xlsx import CellValue, XlsxColumn, XlsxSheet, render_xlsx
from thidua.org.models import Unit
from thidua.rules.names import award_name


def _decision(job: Job) -> Decision:
    decision = (
        Decision.objects.select_related("unit", "dossier", "entry")
        .filter(pk=job.params.get("decision"))
        .first()
    )
    if decision is None:
        raise DocumentError("Quyết định không còn tồn tại")
    return decision


@handler(Job.Kind.DECISION_DOCX)
def decision_docx(job: Job, progress: Progress) -> JobOutput:
    decision = _decision(job)
    progress(5, "Đang đọc danh sách khen thưởng")
    content = render_decision(decision_data(decision), unit=decision.unit, progress=progress)
    return JobOutput(f"quyet-dinh-{safe_name(decision.number_symbol)}.docx", content)


@handler(Job.Kind.CERTIFICATES_PDF)
def certificates_pdf(job: Job, progress: Progress) -> JobOutput:
    decision = _decision(job)
    progress(5, "Đang đọc danh sách khen thưởng")
    kind = certificate_kind_of(decision)
    content = render_certificate_pdf(
        certificate_records(decision), unit=decision.unit, kind=kind, progress=progress
    )
    prefix = "bang-khen" if kind == "bang_khen" else "giay-khen"
    return JobOutput(f"{prefix}-{safe_name(decision.number_symbol)}.pdf", content)


@handler(Job.Kind.CANDIDATES_PROPOSE)
def candidates_propose(job: Job, progress: Progress) -> JobOutput:
    """The engine's run over a unit (propose_candidates) with progress; the result is the list (.xlsx)."""
    user = job.created_by
    unit = Unit.objects.filter(pk=job.params.get("unit")).first()
    if not isinstance(user, User) or unit is None:
        raise DocumentError("Người tạo việc hoặc đơn vị không còn tồn tại")
    year = int(job.params.get("year", 0))
    try:
        summary = propose_candidates(actor=user, unit=unit, year=year, progress=progress)
    except (DomainError, PermissionDenied) as exc:
        raise DocumentError(str(getattr(exc, "message", exc))) from exc
    progress(95, "Đang lập danh sách")
    on = date(year, 12, 31)
    rows: list[list[CellValue]] = [
        [i, award_name(c.award_id, on=on), c.subject_name, c.get_status_display()]
        for i, c in enumerate(
            Candidate.objects.filter(unit=unit, year=year)
            .select_related("person", "collective")
            .order_by("award_id", "id"),
            start=1,
        )
    ]
    sheet = XlsxSheet(
        name="Đề nghị",
        columns=[
            XlsxColumn("STT", 6, align="center"),
            XlsxColumn("Danh hiệu, hình thức", 36, wrap=True),
            XlsxColumn("Cá nhân, tập thể", 32, wrap=True),
            XlsxColumn("Trạng thái", 18),
        ],
        rows=rows,
        title_rows=[
            f"Danh sách đề nghị khen thưởng năm {year} — {unit.name}",
            f"Bộ quy tắc {summary.ruleset_id}: {summary.proposed} đề xuất mới, {summary.deferred} chưa xét, "
            f"{summary.kept} cập nhật",
            *summary.problems[:20],
        ],
    )
    return JobOutput(f"de-nghi-khen-thuong-{year}-{unit.code}.xlsx", render_xlsx(sheet))
