"""Documents of an organisation that is not BHXH carry its own place, symbol and bodies, nothing else's."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from docx import Document
from docx.oxml.ns import qn

from thidua.awards import services as awards
from thidua.awards.models import Candidate, Decision
from thidua.history.models import Rating
from thidua.org import services as org_services
from thidua.setup import services

PASSWORD = "Thi-dua-ngay-dau-2026"


def _paragraph(p: Any) -> str:
    parts = [
        (e.text or "") if e.tag == qn("w:t") else " " for e in p.iter(qn("w:t"), qn("w:br"), qn("w:tab"))
    ]
    return " ".join("".join(parts).split())


def _text(content: bytes) -> str:
    """Every paragraph of the body, those inside (nested) tables included, one per line; a line break
    inside a paragraph ("SỞ GIÁO DỤC VÀ ĐÀO TẠO" / "TỈNH ĐẮK LẮK") reads as a space."""
    body = Document(io.BytesIO(content)).element.body
    return "\n".join(_paragraph(p) for p in body.iter(qn("w:p")))


@pytest.fixture
def education(db: Any) -> Any:
    result = services.setup_organisation(
        actor=None,
        organisation=services.OrganisationSpec(
            name="Sở Giáo dục và Đào tạo tỉnh Đắk Lắk",
            short_name="Sở GDĐT Đắk Lắk",
            symbol="SGDĐT",
            place="Đắk Lắk",
            parent_body="Ủy ban nhân dân tỉnh Đắk Lắk",
            sector="giao_duc",
        ),
        admin=services.AdminSpec("quantri", PASSWORD),
    )
    root = result.organisation.root
    school = org_services.create_unit(
        actor=None,
        code="THPT-CVA",
        name="Trường Trung học phổ thông Chu Văn An",
        parent=root,
        kind="truong_thpt",
        is_legal_entity=True,
        symbol="THPTCVA",
    )
    teacher = org_services.create_person(
        actor=None,
        citizen_id="066190012345",
        full_name="H'Hen Niê",
        gender="nu",
        unit=school,
        title="Giáo viên",
        date_of_birth=date(1990, 3, 8),
        recruited_on=date(2014, 9, 1),
        started_on=date(2014, 9, 1),
    )
    return result.admin, root, school, teacher


@pytest.mark.django_db
def test_a_schools_decision_prints_its_number_place_and_parent_body(education: Any) -> None:
    admin, _root, school, teacher = education
    Rating.objects.create(person=teacher, year=2025, value="hoan_thanh_tot")
    awards.propose_candidates(actor=admin, unit=school, year=2025)
    candidate = Candidate.objects.get(person=teacher, award_id="lao_dong_tien_tien")
    awards.confirm_candidate(actor=admin, candidate=candidate)
    dossier = awards.create_dossier(actor=admin, unit=school, year=2025, award_id="lao_dong_tien_tien")
    decision = awards.issue_decision(
        actor=admin,
        dossier=dossier,
        version=dossier.version,
        signed_on=date(2026, 1, 8),
        signer_name="Y Bhin Êban",
        signer_title="Hiệu trưởng",
    )
    assert isinstance(decision, Decision) and decision.unit == school  # the principal decides LĐTT (Đ80 k1)
    assert decision.number_symbol == "01/QĐ-THPTCVA"
    client = Client()
    client.force_login(admin)

    text = _text(client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/quyet-dinh.docx").content)

    assert "01/QĐ-THPTCVA" in text
    assert "Đắk Lắk, ngày 08 tháng 01 năm 2026" in text
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐẮK LẮK" in text.upper()
    assert "H'Hen Niê" in text
    assert "BHXH" not in text and "Bảo hiểm xã hội" not in text and "Hà Nội" not in text
    submission = _text(client.get(f"/khen-thuong/ho-so/{dossier.pk}/tai-lieu/to-trinh.docx").content)
    assert "/TTr-THPTCVA" in submission and "Đắk Lắk, ngày" in submission
    assert "BHXH" not in submission and "Hà Nội" not in submission


@pytest.mark.django_db
def test_the_organisations_own_achievement_report_names_its_parent_body(education: Any) -> None:
    admin, root, _school, _teacher = education
    client = Client()
    client.force_login(admin)

    text = _text(client.get(f"/lich-su/bao-cao-thanh-tich/tap-the/{root.pk}/").content)

    assert "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK" in text.upper() and "Đắk Lắk, ngày" in text
    assert "BHXH" not in text and "Hà Nội" not in text
