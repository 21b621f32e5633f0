"""The movement launching plan / letter and the registration summary: pure builders (contexts as
tables), the files read back, the seed scenario, the pages and who may use them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from docx import Document

from thidua.documents.builders.movement import (
    PLAN_TEMPLATE_FIELDS,
    REGISTRATION_SUMMARY_FIELDS,
    CriterionLine,
    DocumentRef,
    MilestoneLine,
    PlanData,
    RegistrationLine,
    RegistrationSummaryData,
    build_plan,
    build_registration_summary,
    plan_context,
    plan_sections,
    registration_summary_context,
)
from thidua.documents.docx_render import render_docx
from thidua.documents.official import Paragraph, Signature, Table

LETTER_856 = DocumentRef(
    "856/BHXH-TĐKT",
    date(2019, 3, 21),
    "Bảo hiểm xã hội Việt Nam",
    "V/v đẩy mạnh thực hiện các phong trào thi đua do Thủ tướng Chính phủ phát động",
)


def _plan(**overrides: Any) -> PlanData:
    values: dict[str, Any] = {
        "issuer": "BẢO HIỂM XÃ HỘI\nthành phố Hà Nội",
        "parent_body": "Bảo hiểm xã hội Việt Nam",
        "place": "Hà Nội",
        "date": date(2025, 7, 1),
        "title": "Chung tay vì người nghèo 6 tháng cuối năm 2025",
        "signer": Signature("Giám đốc", "Trần Văn Bình"),
        "symbol": "BHXH",
        "theme": "Vận động tặng sổ BHXH tự nguyện, thẻ BHYT cho người nghèo",
        "political_tasks": "Phát triển người tham gia BHXH tự nguyện, BHYT",
        "launcher": "Giám đốc Bảo hiểm xã hội thành phố Hà Nội",
        "parent_title": "Ngành BHXH chung tay vì người nghèo",
        "parent_launcher": "Bảo hiểm xã hội Việt Nam",
        "references": [LETTER_856],
        "criteria": [
            CriterionLine("I", "Kết quả vận động, trao tặng", "70"),
            CriterionLine("II", "Tuyên truyền, tổ chức thực hiện", "30"),
        ],
        "base_max": "100",
        "bonus_max": "5",
        "units": ["BHXH cơ sở số 1 Hà Nội", "BHXH cơ sở số 2 Hà Nội"],
        "starts_on": date(2025, 7, 1),
        "ends_on": date(2025, 12, 31),
        "milestones": [MilestoneLine("Hạn đăng ký thi đua", date(2025, 7, 15))],
        "titles": ["Tập thể lao động xuất sắc"],
    }
    values.update(overrides)
    return PlanData(**values)


def _docx_texts(content: bytes) -> tuple[list[str], list[str]]:
    """(paragraphs, table cells), header tables included."""
    doc = Document(io.BytesIO(content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return [p.text for p in doc.paragraphs], cells


# --- pure builders --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "text"),
    [
        (
            LETTER_856,
            "Công văn số 856/BHXH-TĐKT ngày 21/3/2019 của Bảo hiểm xã hội Việt Nam về việc đẩy mạnh "
            "thực hiện các phong trào thi đua do Thủ tướng Chính phủ phát động",
        ),
        (
            DocumentRef("1250/KH-BHXH", date(2025, 7, 1), "BHXH Hà Nội"),
            "Kế hoạch số 1250/KH-BHXH ngày 1/7/2025 của BHXH Hà Nội",
        ),
        (DocumentRef("07/QĐ-BHXH", date(2026, 1, 5)), "Quyết định số 07/QĐ-BHXH ngày 5/1/2026"),
        (DocumentRef("", date(2026, 1, 5), kind_label="Kế hoạch"), "Kế hoạch ngày 5/1/2026"),
    ],
)
def test_a_recorded_document_is_cited_by_type_number_date_and_issuer(ref, text):
    assert ref.text == text


def test_the_plan_sections_are_assembled_from_the_movement_data():
    sections = dict(plan_sections(_plan()))
    assert list(sections) == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG, CHỈ TIÊU THI ĐUA",
        "III. ĐỐI TƯỢNG, PHẠM VI",
        "IV. THỜI GIAN",
        "V. KHEN THƯỞNG",
        "VI. TỔ CHỨC THỰC HIỆN",
    ]
    purpose = sections["I. MỤC ĐÍCH, YÊU CẦU"]
    assert purpose[0].startswith(
        "Thực hiện Công văn số 856/BHXH-TĐKT ngày 21/3/2019 của Bảo hiểm xã hội Việt Nam"
    )
    assert (
        "Hưởng ứng, cụ thể hoá phong trào thi đua “Ngành BHXH chung tay vì người nghèo” do Bảo hiểm xã hội Việt Nam phát động."
        in purpose
    )
    assert any("phát triển người tham gia BHXH tự nguyện, BHYT." in p for p in purpose)
    assert sections["II. NỘI DUNG, CHỈ TIÊU THI ĐUA"][1:4] == [
        "I. Kết quả vận động, trao tặng: 70 điểm.",
        "II. Tuyên truyền, tổ chức thực hiện: 30 điểm.",
        "Điểm thưởng tối đa 5 điểm.",
    ]
    assert sections["III. ĐỐI TƯỢNG, PHẠM VI"] == [
        "Các đơn vị tham gia phong trào: BHXH cơ sở số 1 Hà Nội; BHXH cơ sở số 2 Hà Nội."
    ]
    assert sections["IV. THỜI GIAN"] == [
        "Thời gian thực hiện: từ ngày 1/7/2025 đến ngày 31/12/2025.",
        "Hạn đăng ký thi đua: trước ngày 15/7/2025.",
    ]
    assert "- Tập thể lao động xuất sắc." in sections["V. KHEN THƯỞNG"]


def test_a_plan_is_a_ke_hoach_numbered_by_the_officer_when_no_number_is_recorded():
    doc = build_plan(_plan())
    assert (doc.type_label, doc.title) == (
        "Kế hoạch",
        "Phát động phong trào thi đua “Chung tay vì người nghèo 6 tháng cuối năm 2025”",
    )
    assert doc.number_line == "Số:       /KH-BHXH"
    assert doc.recipients == ["BHXH cơ sở số 1 Hà Nội", "BHXH cơ sở số 2 Hà Nội", "Lưu: VT, TĐKT"]
    assert build_plan(_plan(number_symbol="1250/KH-BHXH")).number_line == "Số: 1250/KH-BHXH"


def test_a_letter_has_v_v_kinh_gui_and_nhu_tren():
    doc = build_plan(_plan(letter=True))
    assert (doc.type_label, doc.title) == ("", "")
    assert doc.subject == "V/v phát động phong trào thi đua “Chung tay vì người nghèo 6 tháng cuối năm 2025”"
    assert list(doc.addressees) == ["BHXH cơ sở số 1 Hà Nội", "BHXH cơ sở số 2 Hà Nội"]
    assert doc.recipients == ["Như trên", "Lưu: VT, TĐKT"]
    assert doc.number_line == "Số:       /BHXH-TĐKT"


def test_a_movement_without_a_table_asks_the_units_for_their_own_targets():
    sections = dict(plan_sections(_plan(criteria=[], references=[], parent_title="", titles=[])))
    assert sections["II. NỘI DUNG, CHỈ TIÊU THI ĐUA"][0].startswith(
        "Các đơn vị đăng ký chỉ tiêu thi đua cụ thể"
    )
    assert not any(p.startswith("Thực hiện") for p in sections["I. MỤC ĐÍCH, YÊU CẦU"])


def test_the_plan_context_has_every_documented_field():
    context = plan_context(
        _plan(signer=Signature("Phó Giám đốc", "Lê Thị C", prefix="KT.", on_behalf_of="Giám đốc"))
    )
    top = {name.split("[]")[0].split(".")[0] for name in PLAN_TEMPLATE_FIELDS}
    assert top <= set(context)
    assert context["number_symbol"] == "      /KH-BHXH"
    assert context["issuer"] == "BẢO HIỂM XÃ HỘI\nTHÀNH PHỐ HÀ NỘI"
    assert (context["signature_authority"], context["signature_position"], context["signer_name"]) == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Lê Thị C",
    )
    assert context["recipients"] == [
        {"text": "BHXH cơ sở số 1 Hà Nội;"},
        {"text": "BHXH cơ sở số 2 Hà Nội;"},
        {"text": "Lưu: VT, TĐKT."},
    ]
    sections: Any = context["sections"]
    assert [s["heading"] for s in sections] == [heading for heading, _ in plan_sections(_plan())]
    assert "Công văn số 856/BHXH-TĐKT" in sections[0]["text"]


def _summary(**overrides: Any) -> RegistrationSummaryData:
    values: dict[str, Any] = {
        "issuer": "BẢO HIỂM XÃ HỘI\nthành phố Hà Nội",
        "place": "Hà Nội",
        "date": date(2025, 7, 20),
        "movement_title": "Chung tay vì người nghèo",
        "year": 2025,
        "lines": [
            RegistrationLine(
                "BHXH cơ sở số 1 Hà Nội",
                "Đã duyệt",
                targets=[("I.1", "120"), ("I.2", "300")],
                unit_titles=["Tập thể lao động xuất sắc"],
                people_titles=[("Lao động tiên tiến", 12), ("Chiến sĩ thi đua cơ sở", 2)],
            ),
            RegistrationLine(
                "BHXH cơ sở số 2 Hà Nội", "Đã gửi", late=True, people_titles=[("Lao động tiên tiến", 5)]
            ),
        ],
        "missing": ["BHXH cơ sở số 3 Hà Nội"],
        "signer": Signature("Giám đốc", ""),
        "symbol": "BHXH",
        "deadline": date(2025, 7, 15),
        "criteria": [("I.1", "Số sổ BHXH tự nguyện trao tặng"), ("I.2", "Số thẻ BHYT trao tặng")],
    }
    values.update(overrides)
    return RegistrationSummaryData(**values)


def test_the_summary_table_has_one_row_per_unit_with_totals_and_lists_who_has_not_registered():
    doc = build_registration_summary(_summary())
    tables = [b for b in doc.body if isinstance(b, Table)]
    registered, missing = tables
    assert [list(r) for r in registered.rows] == [
        [
            1,
            "BHXH cơ sở số 1 Hà Nội",
            "Đã duyệt",
            "I.1: 120; I.2: 300",
            "Tập thể lao động xuất sắc",
            "Lao động tiên tiến: 12; Chiến sĩ thi đua cơ sở: 2",
        ],
        [2, "BHXH cơ sở số 2 Hà Nội", "Đã gửi (quá hạn)", "", "", "Lao động tiên tiến: 5"],
    ]
    assert list(registered.total_row or []) == [
        None,
        "Tổng cộng: 2 đơn vị",
        None,
        None,
        "1 danh hiệu",
        "19 người",
    ]
    assert [list(r) for r in missing.rows] == [[1, "BHXH cơ sở số 3 Hà Nội"]]
    assert doc.body[0] == (
        "Thực hiện phong trào thi đua “Chung tay vì người nghèo”, đến ngày lập báo cáo (hạn đăng ký ngày "
        "15/7/2025) có 2 đơn vị đã lập đăng ký thi đua năm 2025, trong đó 1 đơn vị gửi quá hạn; "
        "1 đơn vị chưa đăng ký."
    )
    assert (
        Paragraph(
            "Ghi chú mã tiêu chí: I.1. Số sổ BHXH tự nguyện trao tặng; I.2. Số thẻ BHYT trao tặng.",
            italic=True,
        )
        in doc.body
    )


def test_the_summary_context_has_every_documented_field():
    context = registration_summary_context(_summary())
    top = {name.split("[]")[0].split(".")[0] for name in REGISTRATION_SUMMARY_FIELDS}
    assert top <= set(context)
    assert (context["total_units"], context["total_people"], context["missing_count"]) == (2, 19, 1)
    assert context["missing"] == [{"name": "BHXH cơ sở số 3 Hà Nội"}]


def test_the_rendered_plan_reads_back():
    paragraphs, cells = _docx_texts(render_docx(build_plan(_plan())))
    text = "\n".join(paragraphs + cells)
    assert "KẾ HOẠCH" in text
    assert "Số:       /KH-BHXH" in text
    assert any("856/BHXH-TĐKT" in p for p in paragraphs)
    assert "- BHXH cơ sở số 2 Hà Nội;" in text and "- Lưu: VT, TĐKT." in text


def test_the_rendered_summary_reads_back():
    paragraphs, cells = _docx_texts(render_docx(build_registration_summary(_summary())))
    assert "Đơn vị chưa đăng ký" in cells and "BHXH cơ sở số 3 Hà Nội" in cells
    assert "Tổng cộng: 2 đơn vị" in cells and "19 người" in cells
    assert "II. ĐƠN VỊ CHƯA ĐĂNG KÝ" in paragraphs


# --- from the database: the seed scenario, pages, permissions ---------------------------------


@pytest.fixture
def seed(org: Any) -> Any:
    """The seed scenario on the shape of the demo organisation (three BHXH cơ sở under province A)."""
    from thidua.demo.movements import load_seed_scenario
    from thidua.org import services as org_services
    from thidua.org.models import Unit

    for n in range(1, 4):
        org_services.create_unit(
            actor=None,
            code=f"BHXH-01-CS{n:02d}",
            name=f"BHXH cơ sở số {n} Hà Nội",
            parent=org.a,
            kind=Unit.Kind.BHXH_CO_SO,
        )
    load_seed_scenario()
    return org


@pytest.mark.django_db
def test_the_seed_provincial_plan_cites_the_856_letter_and_addresses_every_participant(seed):
    from thidua.movements.models import Movement, participating_units
    from thidua.movements.papers import plan_from_movement

    movement = Movement.objects.get(launching_unit=seed.a)
    data = plan_from_movement(movement)
    assert data.number_symbol == "1250/KH-BHXH"
    assert data.parent_body == "Bảo hiểm xã hội Việt Nam"
    assert [c.code for c in data.criteria] == ["I", "II"] and data.base_max == "100"
    paragraphs, cells = _docx_texts(render_docx(build_plan(data)))
    body = "\n".join(paragraphs)
    assert "Thực hiện Công văn số 856/BHXH-TĐKT ngày 21/3/2019 của Bảo hiểm xã hội Việt Nam" in body
    assert "I. Kết quả vận động, trao tặng: 70 điểm." in paragraphs
    units = [u.name for u in participating_units(movement)]
    assert len(units) >= 2
    recipient_lines = [p for p in paragraphs if p.startswith("- ")] + [
        c for c in cells if c.startswith("Nơi nhận")
    ]
    for name in units:
        assert any(name in line for line in recipient_lines), name
    assert any("Lưu: VT, TĐKT." in line for line in recipient_lines)


@pytest.mark.django_db
def test_the_seed_sector_plan_cites_its_own_856_guidance_letter(seed):
    from thidua.movements.models import Movement
    from thidua.movements.papers import plan_from_movement

    movement = Movement.objects.filter(launching_unit=seed.root).order_by("pk")[0]
    assert movement.parent is not None
    data = plan_from_movement(movement, letter=True)
    assert data.number_symbol == ""  # the 856 letter is guidance, not the launching document
    assert data.number_line == f"      /{seed.root.symbol or '…'}-TĐKT"
    paragraphs, _cells = _docx_texts(render_docx(build_plan(data)))
    assert any("Công văn số 856/BHXH-TĐKT ngày 21/3/2019" in p for p in paragraphs)
    assert any(movement.parent.title in p for p in paragraphs)


@pytest.mark.django_db
def test_the_plan_page_downloads_the_docx_with_the_chosen_signature(seed, personas, client_for):
    from thidua.movements.models import Movement

    movement = Movement.objects.get(launching_unit=seed.a)
    client = client_for(personas.officer)
    page = client.get(f"/phong-trao/{movement.pk}/ke-hoach/")
    assert page.status_code == 200 and "Tải văn bản (.docx)" in page.content.decode()
    response = client.get(
        f"/phong-trao/{movement.pk}/ke-hoach/",
        {
            "tai": "1",
            "kind": "cong_van",
            "authority": "KT.",
            "signer_position": "Giám đốc",
            "signer_name": "Lê Văn D",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    paragraphs, cells = _docx_texts(response.content)
    text = "\n".join(paragraphs + cells)
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Lê Văn D" in text
    assert "V/v phát động phong trào thi đua" in text


@pytest.mark.django_db
def test_another_provinces_officer_gets_404(seed, personas, client_for):
    from thidua.movements.models import Movement

    movement = Movement.objects.get(launching_unit=seed.a)
    client = client_for(personas.outsider_officer)
    assert client.get(f"/phong-trao/{movement.pk}/ke-hoach/").status_code == 404
    assert client.get(f"/phong-trao/{movement.pk}/ke-hoach/", {"tai": "1"}).status_code == 404
    assert client.get(f"/phong-trao/{movement.pk}/dang-ky/2025/tong-hop.docx").status_code == 404


@pytest.mark.django_db
def test_the_registration_summary_lists_units_that_have_not_registered(seed, personas, client_for):
    from thidua.movements.models import Movement, Registration, participating_units

    movement = Movement.objects.get(launching_unit=seed.a)
    units = list(participating_units(movement))
    # one participant has not registered (or only drafted): it must be named under "chưa đăng ký"
    Registration.objects.filter(movement=movement, year=2025, unit=units[-1]).delete()
    registered = set(
        Registration.objects.filter(movement=movement, year=2025).values_list("unit__name", flat=True)
    )
    response = client_for(personas.officer).get(f"/phong-trao/{movement.pk}/dang-ky/2025/tong-hop.docx")
    assert response.status_code == 200
    paragraphs, cells = _docx_texts(response.content)
    assert "II. ĐƠN VỊ CHƯA ĐĂNG KÝ" in paragraphs
    missing_at = cells.index("Đơn vị chưa đăng ký")
    assert units[-1].name in cells[missing_at:]
    for name in registered:
        assert name in cells[:missing_at]


@pytest.mark.django_db
def test_the_movement_pages_link_to_the_new_documents(seed, personas, client_for):
    from thidua.movements.models import Movement

    movement = Movement.objects.get(launching_unit=seed.a)
    client = client_for(personas.officer)
    detail = client.get(f"/phong-trao/{movement.pk}/").content.decode()
    assert f"/phong-trao/{movement.pk}/ke-hoach/" in detail
    registrations = client.get(f"/phong-trao/{movement.pk}/dang-ky/2025/").content.decode()
    assert f"/phong-trao/{movement.pk}/dang-ky/2025/tong-hop.docx" in registrations


@pytest.mark.django_db
def test_an_uploaded_plan_template_is_used(seed, personas, media):
    from thidua.documents.docx_render import render_docx as draw
    from thidua.documents.models import DocumentKind
    from thidua.documents.official import OfficialDocument
    from thidua.documents.services import render_plan, save_document_template
    from thidua.movements.models import Movement
    from thidua.movements.papers import plan_from_movement

    template = draw(
        OfficialDocument(
            issuer="{{ issuer }}",
            number_symbol="{{ number_symbol }}",
            place="",
            date=None,
            date_text="{{ place_date }}",
            type_label="Kế hoạch",
            title="{{ subject }}",
            body=["{{ sections[].heading }}", "{{ references[].text }}", "{{ units[].name }}"],
        )
    )
    save_document_template(
        actor=personas.admin,
        unit=seed.root,
        kind=DocumentKind.MOVEMENT_PLAN,
        content=template,
        filename="kh.docx",
    )
    movement = Movement.objects.get(launching_unit=seed.a)
    paragraphs, _cells = _docx_texts(render_plan(plan_from_movement(movement), unit=movement.launching_unit))
    assert "VI. TỔ CHỨC THỰC HIỆN" in paragraphs
    assert any(p.startswith("Công văn số 856/BHXH-TĐKT") for p in paragraphs)
