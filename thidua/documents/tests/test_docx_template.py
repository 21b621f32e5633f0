import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from docx import Document

from thidua.documents.docx_render import render_docx
from thidua.documents.docx_template import (
    TemplateError,
    check_template,
    render_docx_template,
    template_fields,
)
from thidua.documents.templates_docx import (
    DECISION_FIELDS,
    DECISION_TEMPLATE,
    build_decision_template,
    decision_template_context,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(build: Any) -> bytes:
    doc = Document()
    build(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _read(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def _split_runs(doc: Any) -> None:
    p = doc.add_paragraph()
    p.add_run("Họ tên: {{ ho")
    bold = p.add_run("_ten }} - {{ don_")
    bold.bold = True
    p.add_run("vi.ten }}.")


def test_placeholders_split_across_runs_are_replaced():
    out = _read(
        render_docx_template(_docx(_split_runs), {"ho_ten": "Nguyễn Văn A", "don_vi": {"ten": "Phòng TCCB"}})
    )
    paragraph = out.paragraphs[-1]
    assert paragraph.text == "Họ tên: Nguyễn Văn A - Phòng TCCB."
    # formatting comes from the run where the placeholder starts
    assert paragraph.runs[0].text == "Họ tên: Nguyễn Văn A" and not paragraph.runs[0].bold
    assert paragraph.runs[1].text == " - Phòng TCCB" and paragraph.runs[1].bold


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2_340_000, "2.340.000"),
        (date(2026, 1, 5), "05/01/2026"),
        (None, ""),
        ("Nguye\u0302\u0303n", "Nguyễn"),
        ('<b>&"', '<b>&"'),
    ],
)
def test_values_are_formatted(value, text):
    out = _read(render_docx_template(_docx(lambda d: d.add_paragraph("[{{ x }}]")), {"x": value}))
    assert out.paragraphs[-1].text == f"[{text}]"


def test_attributes_of_objects_are_looked_up():
    @dataclass
    class Unit:
        name: str

    out = _read(
        render_docx_template(_docx(lambda d: d.add_paragraph("{{ unit.name }}")), {"unit": Unit("Văn phòng")})
    )
    assert out.paragraphs[-1].text == "Văn phòng"


def test_several_placeholders_in_one_run():
    out = _read(
        render_docx_template(_docx(lambda d: d.add_paragraph("{{a}}/{{ b }}-{{a}}")), {"a": "07", "b": "QĐ"})
    )
    assert out.paragraphs[-1].text == "07/QĐ-07"


def test_newline_becomes_a_line_break():
    out = _read(render_docx_template(_docx(lambda d: d.add_paragraph("{{ x }}")), {"x": "dòng 1\ndòng 2"}))
    p = out.paragraphs[-1]
    assert p.text == "dòng 1\ndòng 2"  # python-docx reads w:br as "\n"
    assert len(p._p.findall(f".//{W}br")) == 1


def _table_template(doc: Any) -> None:
    doc.add_paragraph("Danh sách {{ title }}")
    table = doc.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["STT", "Họ và tên", "Số tiền"], strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["{{ people[].# }}", "{{ people[].name }}", "{{ people[].amount }}"], strict=True
    ):
        cell.text = text
    for cell, text in zip(table.rows[2].cells, ["", "Tổng", "{{ total }}"], strict=True):
        cell.text = text


def test_table_rows_repeat_over_a_list():
    people = [{"name": "Lê Thị Lan", "amount": 300_000}, {"name": "Đỗ Văn Sơn", "amount": 1_500_000}]
    out = _read(
        render_docx_template(_docx(_table_template), {"title": "A", "people": people, "total": 1_800_000})
    )
    rows = [[c.text for c in row.cells] for row in out.tables[0].rows]
    assert rows == [
        ["STT", "Họ và tên", "Số tiền"],
        ["1", "Lê Thị Lan", "300.000"],
        ["2", "Đỗ Văn Sơn", "1.500.000"],
        ["", "Tổng", "1.800.000"],
    ]


def test_empty_list_removes_the_row():
    out = _read(render_docx_template(_docx(_table_template), {"title": "A", "people": [], "total": 0}))
    assert [c.text for c in out.tables[0].rows[1].cells] == ["", "Tổng", "0"]
    assert len(out.tables[0].rows) == 2


def test_paragraph_repeats_outside_tables():
    def build(doc: Any) -> None:
        doc.add_paragraph("Nơi nhận:")
        doc.add_paragraph("- {{ recipients[].text }}")
        doc.add_paragraph("Hết.")

    out = _read(
        render_docx_template(_docx(build), {"recipients": [{"text": "Như trên;"}, {"text": "Lưu: VT."}]})
    )
    assert [p.text for p in out.paragraphs] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "Hết."]


def test_headers_and_footers_are_filled():
    def build(doc: Any) -> None:
        doc.sections[0].header.paragraphs[0].text = "{{ issuer }}"
        doc.sections[0].footer.paragraphs[0].text = "Trang của {{ issuer }}"
        doc.add_paragraph("x")

    out = _read(render_docx_template(_docx(build), {"issuer": "BHXH"}))
    assert out.sections[0].header.paragraphs[0].text == "BHXH"
    assert out.sections[0].footer.paragraphs[0].text == "Trang của BHXH"


@pytest.mark.parametrize(
    ("text", "context", "message"),
    [
        ("{{ missing }}", {}, "Mẫu cần trường “missing”"),
        ("{{ a.b }}", {"a": {}}, "Mẫu cần trường “a.b”"),
        ("{{ họ tên }}", {}, "không hợp lệ"),
        ("{{ xs[].name }}", {}, "Mẫu cần danh sách “xs”"),
        ("{{ xs[].name }}", {"xs": "abc"}, "phải là một danh sách"),
        ("{{ xs[].name }}", {"xs": [{}]}, "Mục thứ 1 của “xs” không có trường “name”"),
        ("{{ xs[].a }} {{ ys[].b }}", {"xs": [], "ys": []}, "một danh sách"),
    ],
)
def test_errors_are_explained_in_vietnamese(text, context, message):
    with pytest.raises(TemplateError, match=message):
        render_docx_template(_docx(lambda d: d.add_paragraph(text)), context)


def test_template_fields_and_check():
    data = _docx(_table_template)
    assert template_fields(data) == ["title", "people[].#", "people[].name", "people[].amount", "total"]
    assert check_template(data) == []
    assert check_template(data, ["title", "people[].name", "total"]) == [
        "Trường “people[].amount” không có trong dữ liệu của loại văn bản này"
    ]
    assert check_template(b"not a docx") == ["Tệp không phải là tài liệu Word (.docx) hợp lệ"]


def test_template_accepts_path_and_stream(tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(_docx(lambda d: d.add_paragraph("{{ x }}")))
    assert _read(render_docx_template(path, {"x": "1"})).paragraphs[-1].text == "1"
    assert _read(render_docx_template(str(path), {"x": "2"})).paragraphs[-1].text == "2"
    with path.open("rb") as stream:
        assert _read(render_docx_template(stream, {"x": "3"})).paragraphs[-1].text == "3"


# --- the shipped default template ---------------------------------------------------------------------


def test_shipped_template_is_up_to_date_and_documented():
    shipped = template_fields(DECISION_TEMPLATE)
    assert shipped == template_fields(build_decision_template())
    assert set(shipped) - {"collectives[].#", "individuals[].#"} == set(DECISION_FIELDS)
    assert check_template(DECISION_TEMPLATE, DECISION_FIELDS) == []


def test_unclosed_placeholders_are_reported_on_upload():
    data = _docx(lambda d: d.add_paragraph("Kính gửi: {{ addressee  và {{ title }}"))
    problems = check_template(data)
    assert len(problems) == 1 and "chưa đóng" in problems[0] and "{{ addressee" in problems[0]
    assert check_template(_docx(lambda d: d.add_paragraph("{{ title }} }}"))) != []


def test_an_empty_field_alone_in_its_paragraph_leaves_no_blank_line_and_an_empty_header_drops_its_column():
    def build(doc: Any) -> None:
        doc.add_paragraph("{{ parent_body }}")
        doc.add_paragraph("Tên")
        table = doc.add_table(rows=3, cols=3)
        for row, texts in zip(
            table.rows,
            [
                ["STT", "Họ và tên", "{{ money }}"],
                ["{{ xs[].# }}", "{{ xs[].name }}", "{{ xs[].amount }}"],
                ["", "{{ total_label }}", "{{ total }}"],
            ],
            strict=True,
        ):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text

    context = {
        "parent_body": "",
        "money": "",
        "xs": [{"name": "An", "amount": None}],
        "total_label": "",
        "total": "",
    }
    out = _read(render_docx_template(_docx(build), context))
    assert [p.text for p in out.paragraphs] == ["Tên"]
    assert [[c.text for c in row.cells] for row in out.tables[0].rows] == [["STT", "Họ và tên"], ["1", "An"]]
    gone = _read(render_docx_template(_docx(build), {**context, "xs": []}))
    assert gone.tables == []  # nothing listed, no total: the header alone is not printed


def _all_text(doc: Any) -> list[str]:
    """Every non-empty paragraph of the body in reading order, tables cell by cell."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    texts: list[str] = []

    def walk(container: Any) -> None:
        for item in container.iter_inner_content():
            if isinstance(item, DocxParagraph):
                if item.text.strip():
                    texts.append(" ".join(item.text.split()))
            elif isinstance(item, DocxTable):
                for row in item.rows:
                    for cell in row.cells:
                        walk(cell)

    walk(doc)
    return texts


@pytest.mark.parametrize("money", [True, False])
def test_default_template_gives_the_same_text_as_the_renderer(money):
    from thidua.documents.builders.decision import DecisionData, Recipient, build_decision
    from thidua.documents.official import signature_block

    amount = 500_000 if money else None
    data = DecisionData(
        issuer="Bảo hiểm xã hội thành phố Hà Nội",
        parent_body="Bảo hiểm xã hội Việt Nam",
        number_symbol="57/QĐ-BHXH",
        date=date(2026, 1, 5),
        place="Hà Nội",
        signer=signature_block("Phó Giám đốc", "Trần Văn Bình"),
        authority="Giám đốc Bảo hiểm xã hội thành phố Hà Nội",
        title_id="giay_khen",
        title_name="Giấy khen",
        year=2025,
        recipients=[
            Recipient(
                "Phòng Quản lý thu, Bảo hiểm xã hội thành phố Hà Nội",
                "",
                2 * amount if amount else None,
                collective=True,
            ),
            *[Recipient(f"Nguyễn Văn {i}", "Chuyên viên, Văn phòng", amount) for i in range(25)],
        ],
    )
    decision = build_decision(data)
    from_template = _read(render_docx_template(DECISION_TEMPLATE, decision_template_context(decision)))
    built_in = _read(render_docx(decision))
    assert _all_text(from_template) == _all_text(built_in)
    text = "\n".join(_all_text(built_in))
    assert ("Bằng chữ: Mười ba triệu năm trăm nghìn đồng." in text) == money
    assert ("Mức tiền thưởng: 1.000.000 đồng cho mỗi tập thể; 500.000 đồng cho mỗi cá nhân." in text) == money
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "PHÓ PHÓ" not in text
