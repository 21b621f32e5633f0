# ruff: noqa: F811  (the year-end fixtures are imported, then requested by name)
"""A decision issued by the year-end workflow: its AwardRecords carry the decision, whose signer and
Nơi nhận the document uses; the certificate and decision jobs work on it like on any number."""

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
from thidua.documents.builders.from_db import decision_from_awards, decision_records
from thidua.documents.jobs import start_job
from thidua.documents.models import Job
from thidua.documents.permissions import issuable_awards

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
    decision = _issued(org, council, personas, root_officer)
    records = decision_records(issuable_awards(root_officer), decision.number_symbol)
    assert {r.decision_id for r in records} == {decision.pk}
    data = decision_from_awards(records)
    assert (data.signer.signer_name, data.signer.position) == ("Nguyễn Văn Tổng", "Phó Giám đốc")
    assert data.number_symbol == decision.number_symbol and data.date == date(2026, 7, 3)
    expected = [line.strip() for line in decision.recipients.splitlines() if line.strip()]
    if expected:
        assert list(data.copies_to) == expected
    # the form's values win when given
    assert decision_from_awards(records, signer_name="Trần B").signer.signer_name == "Trần B"

    job = start_job(
        actor=root_officer, kind=Job.Kind.DECISION_DOCX, params={"decision_number": decision.number_symbol}
    )
    assert job.status == Job.Status.DONE, job.error
    word = Document(io.BytesIO(job.result.read()))
    cells = "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "Nguyễn Văn Tổng" in cells and "PHÓ GIÁM ĐỐC" in cells
