"""Background jobs of the year-end: a large decision's .docx and its certificates, built from the
`Decision` row (the same builders as the inline downloads) and run by the documents job layer."""

from __future__ import annotations

from thidua.awards.documents import certificate_kind_of, certificate_records, decision_data
from thidua.awards.models import Decision
from thidua.documents.builders.from_db import DocumentError
from thidua.documents.jobs import JobOutput, Progress, handler, safe_name
from thidua.documents.models import Job
from thidua.documents.services import render_certificate_pdf, render_decision


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
