"""Thông tin tổ chức: the organisation's name, symbol, place and parent body changed after the first
day by an administrator or a top-unit officer, through the service (audit in words, optimistic lock),
and what the documents print from then on."""

from __future__ import annotations

import io
import re
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from docx import Document
from docx.oxml.ns import qn

from conftest import _user
from thidua.audit.display import detail_lines
from thidua.audit.models import AuditEntry
from thidua.awards import services as awards
from thidua.awards.models import Candidate
from thidua.core.errors import DomainError
from thidua.history.models import Rating
from thidua.org import services as org_services
from thidua.org.models import Organisation, Role, Unit
from thidua.setup import services

URL = "/thiet-lap/to-chuc/"
PASSWORD = "Thi-dua-ngay-dau-2026"


def _data(organisation: Organisation, **changes: str) -> dict[str, Any]:
    root = organisation.root
    data: dict[str, Any] = {
        "name": root.name,
        "short_name": root.short_name,
        "symbol": root.symbol,
        "place": root.place_name,
        "parent_body": organisation.parent_body,
        "version": organisation.version,
    }
    return data | changes


def _text(content: bytes) -> str:
    body = Document(io.BytesIO(content)).element.body
    lines = []
    for p in body.iter(qn("w:p")):
        parts = [(e.text or "") if e.tag == qn("w:t") else " " for e in p.iter(qn("w:t"), qn("w:br"))]
        lines.append(" ".join("".join(parts).split()))
    return "\n".join(lines)


@pytest.fixture
def bhxh(org: SimpleNamespace) -> Organisation:
    return Organisation.objects.select_related("root").get(root=org.root)


@pytest.mark.django_db
def test_a_top_officer_sees_where_each_value_appears_and_the_letterhead(
    bhxh: Organisation, client_for: Any
) -> None:
    officer = _user("canbo.tw", unit=bhxh.root, role=Role.OFFICER)
    page = client_for(officer).get(URL).content.decode()
    assert "Thông tin tổ chức" in page and 'value="BHXH"' in page and 'value="Bộ Tài chính"' in page
    assert "12/QĐ-BHXH" in page  # the symbol's help text, with the organisation's own symbol
    assert "Hà Nội, ngày 08 tháng 01 năm 2026" in page  # the place's help text
    assert "BỘ TÀI CHÍNH" in page and "BẢO HIỂM XÃ HỘI VIỆT NAM" in page and "Số: 12/QĐ-BHXH" in page
    assert "/admin/" not in page


@pytest.mark.django_db
def test_a_top_officer_saves_and_the_audit_log_says_what_changed_in_words(
    bhxh: Organisation, client_for: Any
) -> None:
    officer = _user("canbo.tw", unit=bhxh.root, role=Role.OFFICER)
    response = client_for(officer).post(
        URL,
        _data(
            bhxh,
            short_name="BHXH VN",
            symbol="bhxhvn",
            place="Thành phố Hà Nội",
            parent_body="  Bộ   Tài chính  Việt Nam ",
        ),
    )
    assert response.status_code == 302 and response["Location"] == URL
    row = Organisation.objects.select_related("root").get(pk=bhxh.pk)
    assert (row.root.short_name, row.root.symbol, row.root.place_name) == (
        "BHXH VN",
        "BHXHVN",
        "Thành phố Hà Nội",
    )
    assert row.parent_body == "Bộ Tài chính Việt Nam" and row.version == bhxh.version + 1
    assert row.root.code == "BHXH-VN"  # the code and the lineage stay
    entry = AuditEntry.objects.get(action="organisation.updated")
    assert entry.actor == officer
    words = dict(detail_lines(entry.detail, entry.action))["Thay đổi"]
    assert "ký hiệu: BHXH → BHXHVN" in words and "địa danh: Hà Nội → Thành phố Hà Nội" in words
    assert "cơ quan chủ quản: Bộ Tài chính → Bộ Tài chính Việt Nam" in words
    assert "tên viết tắt: — → BHXH VN" in words and "tên:" not in words  # the name did not change
    page = client_for(officer).get("/nhat-ky/").content.decode()
    assert "Sửa thông tin tổ chức" in page


@pytest.mark.django_db
def test_below_the_top_and_staff_are_refused_and_nothing_changes(
    bhxh: Organisation, personas: SimpleNamespace, client_for: Any
) -> None:
    for user in (personas.officer, personas.head, personas.staff, personas.outsider_officer):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).post(URL, _data(bhxh, symbol="KHAC")).status_code == 403
    assert Client().get(URL).status_code == 302  # to the sign-in page
    assert Unit.objects.get(pk=bhxh.root_id).symbol == "BHXH"
    with pytest.raises(PermissionDenied):
        services.update_organisation(
            actor=personas.officer,
            organisation=bhxh,
            details=services.OrganisationDetails("Tên khác", "", "KHAC", "Huế", ""),
        )
    assert not AuditEntry.objects.filter(action="organisation.updated").exists()


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"name": "  "}, "name", "Cần tên cơ quan"),
        ({"symbol": ""}, "symbol", "Cần ký hiệu"),
        ({"symbol": "BH XH"}, "symbol", "Ký hiệu"),
        ({"place": ""}, "place", "Cần địa danh"),
        ({"name": "x" * 256}, "name", "255"),
    ],
)
@pytest.mark.django_db
def test_bad_input_gives_field_errors_and_writes_nothing(
    bhxh: Organisation,
    personas: SimpleNamespace,
    client_for: Any,
    changes: dict[str, str],
    field: str,
    error: str,
) -> None:
    response = client_for(personas.admin).post(URL, _data(bhxh, parent_body="Bộ khác", **changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert re.search(rf'id="id_{field}"', page) and "errorlist" in page
    row = Organisation.objects.select_related("root").get(pk=bhxh.pk)
    assert row.parent_body == "Bộ Tài chính" and row.root.symbol == "BHXH" and row.version == bhxh.version
    assert not AuditEntry.objects.filter(action="organisation.updated").exists()


@pytest.mark.django_db
def test_an_edit_from_a_stale_page_is_refused(
    bhxh: Organisation, personas: SimpleNamespace, client_for: Any
) -> None:
    services.update_organisation(
        actor=None,
        organisation=bhxh,
        details=services.OrganisationDetails(bhxh.root.name, "", "BHXH", "Hà Nội", "Bộ Tài chính (mới)"),
    )
    stale = _data(bhxh, symbol="CU")  # built from the version before that change
    response = client_for(personas.admin).post(URL, stale)
    assert response.status_code == 400 and "đã được người khác cập nhật" in response.content.decode()
    assert Unit.objects.get(pk=bhxh.root_id).symbol == "BHXH"
    assert Organisation.objects.get(pk=bhxh.pk).parent_body == "Bộ Tài chính (mới)"


@pytest.mark.django_db
def test_saving_nothing_new_writes_no_audit_entry(bhxh: Organisation, personas: SimpleNamespace) -> None:
    with pytest.raises(DomainError, match="người khác"):
        services.update_organisation(
            actor=personas.admin, organisation=bhxh, details=services.details_of(bhxh), version=99
        )
    services.update_organisation(
        actor=personas.admin, organisation=bhxh, details=services.details_of(bhxh), version=bhxh.version
    )
    assert not AuditEntry.objects.filter(action="organisation.updated").exists()
    assert Organisation.objects.get(pk=bhxh.pk).version == bhxh.version


@pytest.mark.django_db
def test_the_start_page_and_the_menu_link_the_page_not_the_admin(
    bhxh: Organisation, personas: SimpleNamespace, client_for: Any
) -> None:
    page = client_for(personas.admin).get("/bat-dau/").content.decode()
    assert f'href="{URL}"' in page and "/admin/org/organisation/" not in page
    officer = _user("canbo.tw", unit=bhxh.root, role=Role.OFFICER)
    assert f'href="{URL}"' in client_for(officer).get("/bat-dau/").content.decode()
    assert f'href="{URL}"' not in client_for(personas.officer).get("/bat-dau/").content.decode()


# -- what the documents print after a change ---------------------------------------------------------
@pytest.fixture
def education(db: Any) -> Any:
    result = services.setup_organisation(
        actor=None,
        organisation=services.OrganisationSpec(
            name="Sở Giáo dục và Đào tạo tỉnh Đắk Lắk",
            short_name="",
            symbol="SGDĐT",
            place="Đắk Lắk",
            parent_body="Ủy ban nhân dân tỉnh Đắk Lắk",
            sector="giao_duc",
        ),
        admin=services.AdminSpec("quantri", PASSWORD),
    )
    root = result.organisation.root
    school = org_services.create_unit(  # no symbol, no place of its own: the organisation's
        actor=None,
        code="THPT-CVA",
        name="Trường THPT Chu Văn An",
        parent=root,
        kind="truong_thpt",
        is_legal_entity=True,
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
    return result, school, teacher


@pytest.mark.django_db
def test_documents_issued_after_the_change_print_the_new_symbol_place_and_bodies(education: Any) -> None:
    result, school, teacher = education
    admin = result.admin
    client = Client()
    client.force_login(admin)
    organisation = Organisation.objects.select_related("root").get(pk=result.organisation.pk)
    response = client.post(
        URL,
        _data(
            organisation,
            name="Sở Giáo dục và Đào tạo tỉnh Đắk Lắk mới",
            symbol="SGDĐTĐL",
            place="Buôn Ma Thuột",
            parent_body="Ủy ban nhân dân tỉnh Đắk Lắk (sau sắp xếp)",
        ),
    )
    assert response.status_code == 302

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
    assert decision.number_symbol == "01/QĐ-SGDĐTĐL"
    text = _text(client.get(f"/khen-thuong/quyet-dinh/{decision.pk}/quyet-dinh.docx").content)
    assert "01/QĐ-SGDĐTĐL" in text and "Buôn Ma Thuột, ngày 08 tháng 01 năm 2026" in text
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐẮK LẮK MỚI" in text.upper()  # the school's parent body line
    assert "Đắk Lắk, ngày" not in text

    report = _text(client.get(f"/lich-su/bao-cao-thanh-tich/tap-the/{result.organisation.root.pk}/").content)
    assert "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK (SAU SẮP XẾP)" in report.upper()
    assert "Buôn Ma Thuột, ngày" in report


@pytest.mark.django_db
def test_the_first_day_takes_quotas_typed_with_a_decimal_comma() -> None:
    from thidua.awards.models import AwardSettings
    from thidua.setup.options import parse_quotas

    ruleset = services.current_ruleset()
    quotas = parse_quotas(ruleset, ["lao_dong_tien_tien=80", "giay_khen=12,5"])
    with pytest.raises(ValueError, match="12,5"):
        parse_quotas(ruleset, ["giay_khen=nhiều"])
    result = services.setup_organisation(
        actor=None,
        organisation=services.OrganisationSpec("Sở Y tế tỉnh Huế", "", "SYT", "Huế", "", "giao_duc"),
        admin=services.AdminSpec("quantri", PASSWORD),
        choices=services.Choices(quotas=quotas),
    )
    settings = AwardSettings.objects.get(root=result.organisation.root)
    assert settings.quotas == {"lao_dong_tien_tien": 80, "giay_khen": 12.5}


@pytest.mark.django_db
def test_the_admin_shows_the_organisation_but_cannot_change_it(
    bhxh: Organisation, personas: SimpleNamespace, client_for: Any
) -> None:
    admin = client_for(personas.admin)
    page = admin.get(f"/quan-tri/org/organisation/{bhxh.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    admin.post(f"/quan-tri/org/organisation/{bhxh.pk}/change/", {"parent_body": "Bộ khác", "sector": "bhxh"})
    bhxh.refresh_from_db()
    assert bhxh.parent_body != "Bộ khác"
