"""Document services: organisation settings (templates, certificate layouts) and rendering with them.

Every state change has an actor, runs in one transaction and writes an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from django.core.files.base import ContentFile
from django.db import transaction

from thidua.accounts.models import User
from thidua.audit.services import ACTION_LABELS, log
from thidua.documents.builders.achievement import (
    ACHIEVEMENT_PERSON_FIELDS,
    ACHIEVEMENT_UNIT_FIELDS,
    AchievementData,
    achievement_context,
    build_achievement_report,
)
from thidua.documents.builders.decision import (
    DECISION_TEMPLATE_FIELDS,
    DecisionData,
    build_decision,
    decision_context,
)
from thidua.documents.builders.from_db import ancestors_first
from thidua.documents.builders.movement import (
    PLAN_TEMPLATE_FIELDS,
    REGISTRATION_SUMMARY_FIELDS,
    PlanData,
    RegistrationSummaryData,
    build_plan,
    build_registration_summary,
    plan_context,
    registration_summary_context,
)
from thidua.documents.builders.yearend import (
    COUNCIL_MINUTES_FIELDS,
    DOSSIER_ACHIEVEMENT_FIELDS,
    PROPOSAL_LIST_FIELDS,
    SUBMISSION_FIELDS,
    yearend_context,
)
from thidua.documents.docx_render import render_docx
from thidua.documents.docx_template import check_template, render_docx_template
from thidua.documents.models import CertificateKind, CertificateLayoutConfig, DocumentKind, DocumentTemplate
from thidua.documents.official import OfficialDocument
from thidua.documents.pdf_render import BANG_KHEN_A4, GIAY_KHEN_A4, CertificateLayout, render_certificates
from thidua.documents.permissions import can_configure_unit
from thidua.documents.templates_docx import decision_template_context
from thidua.org.models import Unit
from thidua.org.permissions import require

ACTION_LABELS.update(
    {
        "document.template_saved": "Lưu mẫu văn bản",
        "document.template_deleted": "Xoá mẫu văn bản",
        "document.layout_saved": "Lưu bố cục in giấy khen, bằng khen",
        "document.job_started": "Bắt đầu việc lập văn bản",
        "document.exported": "Xuất danh sách ra tệp",
        "document.report_printed": "In báo cáo thành tích",
    }
)

TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    DocumentKind.DECISION: DECISION_TEMPLATE_FIELDS,
    DocumentKind.ACHIEVEMENT_PERSON: ACHIEVEMENT_PERSON_FIELDS,
    DocumentKind.ACHIEVEMENT_UNIT: ACHIEVEMENT_UNIT_FIELDS,
    DocumentKind.MOVEMENT_PLAN: PLAN_TEMPLATE_FIELDS,
    DocumentKind.MOVEMENT_LETTER: PLAN_TEMPLATE_FIELDS,
    DocumentKind.REGISTRATION_SUMMARY: REGISTRATION_SUMMARY_FIELDS,
    DocumentKind.SUBMISSION: SUBMISSION_FIELDS,
    DocumentKind.COUNCIL_MINUTES: COUNCIL_MINUTES_FIELDS,
    DocumentKind.PROPOSAL_LIST: PROPOSAL_LIST_FIELDS,
    DocumentKind.DOSSIER_ACHIEVEMENT: DOSSIER_ACHIEVEMENT_FIELDS,
}
"""The documented placeholders per kind (docs/documents.md lists them)."""

DEFAULT_LAYOUTS: dict[str, CertificateLayout] = {
    CertificateKind.GIAY_KHEN: GIAY_KHEN_A4,
    CertificateKind.BANG_KHEN: BANG_KHEN_A4,
}

Progress = Callable[[int, str], None]


class TemplateRejected(ValueError):
    """An uploaded template uses unknown placeholders; `problems` are Vietnamese messages."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _noop(percent: int, message: str) -> None:
    return None


# --- user templates -------------------------------------------------------------------------


def template_for(unit: Unit | None, kind: str) -> DocumentTemplate | None:
    """The organisation's template of `kind`: the nearest one from `unit` up to the root."""
    if unit is None:
        return None
    chain = ancestors_first(unit)
    found = {t.unit_id: t for t in DocumentTemplate.objects.filter(unit__in=chain, kind=kind)}
    for candidate in chain:
        if candidate.pk in found:
            return found[candidate.pk]
    return None


def check_document_template(content: bytes, kind: str) -> list[str]:
    """Vietnamese problems with an upload: not a .docx, bad syntax, placeholders unknown for `kind`."""
    return check_template(content, TEMPLATE_FIELDS[kind])


TEMPLATES_REFUSED = "Bạn không có quyền sửa mẫu văn bản của đơn vị này"


def save_document_template(
    *, actor: User | None, unit: Unit, kind: str, content: bytes, filename: str
) -> DocumentTemplate:
    """Check the upload against the documented fields of `kind`, then store it (replacing the unit's
    previous one). Raises `TemplateRejected` with the problems; logs `document.template_saved`."""
    require(actor, actor is None or can_configure_unit(actor, unit), TEMPLATES_REFUSED)
    problems = check_document_template(content, kind)
    if problems:
        raise TemplateRejected(problems)
    with transaction.atomic():
        template = DocumentTemplate.objects.filter(unit=unit, kind=kind).first() or DocumentTemplate(
            unit=unit, kind=kind
        )
        old = template.file.name if template.pk else ""
        template.original_name = filename[:255]
        template.uploaded_by = actor
        template.file.save(f"{kind}.docx", ContentFile(content), save=False)
        template.save()
        log(
            "document.template_saved",
            actor=actor,
            obj=template,
            unit_path=unit.path,
            detail={"kind": kind, "file": filename},
        )
    if old and old != template.file.name:
        template.file.storage.delete(old)
    return template


def delete_document_template(*, actor: User | None, template: DocumentTemplate) -> None:
    require(actor, actor is None or can_configure_unit(actor, template.unit), TEMPLATES_REFUSED)
    with transaction.atomic():
        log(
            "document.template_deleted",
            actor=actor,
            obj=template,
            unit_path=template.unit.path,
            detail={"kind": template.kind},
        )
        name = template.file.name
        template.delete()
    template.file.storage.delete(name)


def _read(template: DocumentTemplate) -> bytes:
    with template.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


# --- certificate layouts --------------------------------------------------------------------


def layout_for(unit: Unit | None, kind: str) -> CertificateLayout:
    """The calibrated layout of `kind` nearest to `unit`, else the shipped starting layout."""
    if unit is not None:
        chain = ancestors_first(unit)
        found = {c.unit_id: c for c in CertificateLayoutConfig.objects.filter(unit__in=chain, kind=kind)}
        for candidate in chain:
            if candidate.pk in found:
                return CertificateLayout.from_dict(found[candidate.pk].layout)
    return DEFAULT_LAYOUTS[kind]


def save_certificate_layout(
    *, actor: User | None, unit: Unit, kind: str, layout: CertificateLayout
) -> CertificateLayoutConfig:
    """Store the unit's layout for `kind`; logs `document.layout_saved`."""
    require(
        actor,
        actor is None or can_configure_unit(actor, unit),
        "Bạn không có quyền sửa mẫu in của đơn vị này",
    )
    with transaction.atomic():
        config, _ = CertificateLayoutConfig.objects.update_or_create(
            unit=unit, kind=kind, defaults={"layout": layout.to_dict(), "updated_by": actor}
        )
        log(
            "document.layout_saved",
            actor=actor,
            obj=config,
            unit_path=unit.path,
            detail={"kind": kind, "offset": [layout.offset_x_mm, layout.offset_y_mm]},
        )
    return config


# --- rendering ------------------------------------------------------------------------------


Context = Callable[[], Mapping[str, object]]


def _yearend(kind: str) -> Callable[[OfficialDocument], Mapping[str, object]]:
    def context(document: OfficialDocument) -> Mapping[str, object]:
        return yearend_context(kind, document)

    return context


DOCUMENT_CONTEXTS: dict[str, Callable[[OfficialDocument], Mapping[str, object]]] = {
    DocumentKind.DECISION: decision_template_context,
    DocumentKind.SUBMISSION: _yearend(DocumentKind.SUBMISSION),
    DocumentKind.COUNCIL_MINUTES: _yearend(DocumentKind.COUNCIL_MINUTES),
    DocumentKind.PROPOSAL_LIST: _yearend(DocumentKind.PROPOSAL_LIST),
    DocumentKind.DOSSIER_ACHIEVEMENT: _yearend(DocumentKind.DOSSIER_ACHIEVEMENT),
}
"""Kinds whose template fields are read from the built document itself; the others (báo cáo thành
tích of a person or unit, movement plan and letter, registration summary) are given by the caller
from their data."""


def render_document(
    kind: str,
    document: OfficialDocument,
    *,
    unit: Unit | None,
    context: Context | None = None,
    progress: Progress = _noop,
) -> bytes:
    """The one way every paper becomes a .docx: the organisation's template of `kind` nearest to `unit`
    (up to the root), filled with the kind's fields; else the built-in NĐ 30 layout of `document`.

    `context` gives the fields when they come from the data rather than from the document."""
    template = template_for(unit, kind)
    progress(50, "Đang tạo tệp .docx" + (" theo mẫu của đơn vị" if template else ""))
    if template is None:
        return render_docx(document)
    fields = context() if context is not None else DOCUMENT_CONTEXTS[kind](document)
    return render_docx_template(_read(template), fields)


def render_decision(data: DecisionData, *, unit: Unit | None, progress: Progress = _noop) -> bytes:
    """The decision as .docx: the organisation's template when it has one, else the NĐ 30 renderer."""
    progress(20, "Đang lập danh sách kèm theo")
    document = build_decision(data)
    return render_document(
        DocumentKind.DECISION,
        document,
        unit=unit,
        context=lambda: decision_context(data, document),
        progress=progress,
    )


def render_achievement(data: AchievementData, *, unit: Unit | None) -> bytes:
    kind = DocumentKind.ACHIEVEMENT_UNIT if data.collective else DocumentKind.ACHIEVEMENT_PERSON
    return render_document(
        kind, build_achievement_report(data), unit=unit, context=lambda: achievement_context(data)
    )


def render_plan(data: PlanData, *, unit: Unit | None) -> bytes:
    """A movement's launching plan (or letter): the organisation's template of that kind, else NĐ 30."""
    kind = DocumentKind.MOVEMENT_LETTER if data.letter else DocumentKind.MOVEMENT_PLAN
    return render_document(kind, build_plan(data), unit=unit, context=lambda: plan_context(data))


def render_registration_summary(data: RegistrationSummaryData, *, unit: Unit | None) -> bytes:
    return render_document(
        DocumentKind.REGISTRATION_SUMMARY,
        build_registration_summary(data),
        unit=unit,
        context=lambda: registration_summary_context(data),
    )


def render_yearend(kind: str, document: OfficialDocument, *, unit: Unit | None) -> bytes:
    """A year-end document (tờ trình, biên bản, danh sách, báo cáo thành tích of a dossier)."""
    return render_document(kind, document, unit=unit)


def _counting(
    records: Iterable[Mapping[str, str]], total: int, progress: Progress
) -> Iterator[Mapping[str, str]]:
    step = max(1, total // 50)
    for i, record in enumerate(records, start=1):
        yield record
        if i % step == 0:
            progress(10 + 85 * i // total, f"Đã in {i}/{total}")


def render_certificate_pdf(
    records: list[dict[str, str]], *, unit: Unit | None, kind: str, progress: Progress = _noop
) -> bytes:
    """One PDF page per record on the organisation's calibrated blank layout."""
    layout = layout_for(unit, kind)
    return render_certificates(layout, _counting(records, len(records), progress))
