# ruff: noqa: F811  (the year-end fixtures are imported, then requested by name)
"""A decision issued by the year-end workflow: its papers are built from the Decision row (signer,
Nơi nhận, awards), inline for a small decision and as a job for a large one."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from docx import Document

from thidua.awards import services
from thidua.awards.tests.conftest import council, history, root_officer  # noqa: F401  (fixtures)
from thidua.awards.tests.helpers import submitted_dossier
from thidua.documents.models import Job

pytestmark = pytest.mark.usefixtures("media", "history")


def _issued(
    org: SimpleNamespace, council: SimpleNamespace, personas: SimpleNamespace, root_officer: Any
) -> Any:
    dossier, cand = submitted_dossier(org, council, personas.officer)
    services.appraise_dossier(actor=root_officer, dossier=dossier, version=2, verdicts={cand.pk: (True, "")})
    decision = services.issue_decision(
        actor=root_officer,
        dossier=dossier,
        version=3,
        signed_on=date(2026, 7, 3),
        signer_name="Nguyễn Văn Tổng",
        signer_title="Phó Giám đốc",
    )
    return decision


def test_a_yearend_decision_gives_its_signer_and_recipients(org, council, personas, root_officer):
    from thidua.awards.documents import decision_data

    decision = _issued(org, council, personas, root_officer)
    data = decision_data(decision)
    assert (data.signer.signer_name, data.signer.position) == ("Nguyễn Văn Tổng", "Phó Giám đốc")
    assert data.number_symbol == decision.number_symbol and data.date == date(2026, 7, 3)
    expected = [line.strip() for line in decision.recipients.splitlines() if line.strip()]
    if expected:
        assert list(data.copies_to) == expected

    job = services.start_decision_job(actor=root_officer, decision=decision, kind=Job.Kind.DECISION_DOCX)
    assert job.status == Job.Status.DONE, job.error
    assert job.params == {"decision": decision.pk}
    word = Document(io.BytesIO(job.result.read()))
    cells = "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "Nguyễn Văn Tổng" in cells and "PHÓ GIÁM ĐỐC" in cells

    job = services.start_decision_job(actor=root_officer, decision=decision, kind=Job.Kind.CERTIFICATES_PDF)
    assert job.status == Job.Status.DONE, job.error
    assert job.result_name.endswith(".pdf")


def _read(content: bytes) -> tuple[list[str], list[str]]:
    word = Document(io.BytesIO(content))
    return [p.text for p in word.paragraphs], [c.text for t in word.tables for r in t.rows for c in r.cells]


def test_the_yearend_decision_download_is_built_by_the_documents_builder(
    org, council, personas, root_officer, client_for
):
    from thidua.awards.documents import decision_data

    decision = _issued(org, council, personas, root_officer)
    data = decision_data(decision)
    assert (data.number_symbol, data.date, data.year) == (
        decision.number_symbol,
        date(2026, 7, 3),
        decision.dossier.year,
    )
    # a deputy signs for the head: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC; the authority line names the head's office
    assert (
        data.signer.lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] and data.signer.signer_name == "Nguyễn Văn Tổng"
    )
    assert data.authority == f"Giám đốc {decision.unit.name}"
    assert [r.name for r in data.recipients] == [
        a.person.full_name if a.person else a.unit.name for a in decision.awards.order_by("id")
    ]
    response = client_for(root_officer).get(f"/khen-thuong/quyet-dinh/{decision.pk}/quyet-dinh.docx")
    assert response.status_code == 200
    paragraphs, cells = _read(response.content)
    text = "\n".join(paragraphs + cells)
    assert f"Số: {decision.number_symbol}" in text
    assert f"GIÁM ĐỐC {decision.unit.name.upper()}" in paragraphs  # the authority line
    assert not any("PHÓ PHÓ" in t or t.startswith("PHÓ GIÁM ĐỐC BẢO") for t in paragraphs + cells)
    assert any(c.startswith("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC") for c in cells)
    assert f"của Giám đốc {decision.unit.name})" in text  # the annex's "Kèm theo … của …"
    assert "Căn cứ kết quả thẩm định hồ sơ đề nghị khen thưởng;" in paragraphs
    assert "Họ và tên" in cells and "Chức vụ, đơn vị công tác" in cells
    for recipient in data.recipients:
        assert recipient.name in cells
    assert "Nguyễn Văn Tổng" in text


def test_an_uploaded_decision_template_applies_to_the_yearend_decision(
    org, council, personas, root_officer, client_for
):
    from thidua.documents.docx_render import render_docx
    from thidua.documents.models import DocumentKind
    from thidua.documents.official import OfficialDocument
    from thidua.documents.services import save_document_template

    template = render_docx(
        OfficialDocument(
            issuer="{{ issuer }}",
            number_symbol="{{ number_symbol }}",
            place="",
            date=None,
            date_text="{{ place_date }}",
            type_label="Quyết định",
            title="MẪU RIÊNG CỦA ĐƠN VỊ {{ award_name }}",
            body=["{{ awardees[].name }}"],
        )
    )
    save_document_template(
        actor=root_officer, unit=org.root, kind=DocumentKind.DECISION, content=template, filename="qd.docx"
    )
    decision = _issued(org, council, personas, root_officer)
    response = client_for(root_officer).get(f"/khen-thuong/quyet-dinh/{decision.pk}/quyet-dinh.docx")
    paragraphs, cells = _read(response.content)
    assert any(p.startswith("MẪU RIÊNG CỦA ĐƠN VỊ") for p in paragraphs)
    assert f"Số: {decision.number_symbol}" in "\n".join(paragraphs + cells)
    for award in decision.awards.all():
        assert (award.person.full_name if award.person else award.unit.name) in paragraphs
