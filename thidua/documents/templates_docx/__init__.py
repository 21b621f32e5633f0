"""Default .docx templates that users can download, edit in Word and upload back.

`quyet_dinh_khen_thuong.docx` is a commendation decision with an annex list, made by the
NĐ 30 renderer itself with placeholders in place of the data (`build_decision_template`),
so the built-in output and the template look the same. Regenerate it after a layout change:

    python -m thidua.documents.templates_docx

`decision_template_context` turns an `OfficialDocument` of that shape into the context the
template expects; the fields are listed in docs/documents.md.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from thidua.documents.docx_render import render_docx
from thidua.documents.official import (
    Annex,
    Article,
    Block,
    Column,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    break_issuer,
    format_cell,
    punctuate_list,
    upper,
)

TEMPLATE_DIR = Path(__file__).resolve().parent
DECISION_TEMPLATE = TEMPLATE_DIR / "quyet_dinh_khen_thuong.docx"
SHIPPED_TEMPLATES: dict[str, tuple[Path, str]] = {
    "decision": (DECISION_TEMPLATE, "mau-quyet-dinh-khen-thuong.docx"),
    "submission": (TEMPLATE_DIR / "to_trinh_de_nghi.docx", "mau-to-trinh-de-nghi-khen-thuong.docx"),
    "proposal_list": (TEMPLATE_DIR / "danh_sach_de_nghi.docx", "mau-danh-sach-de-nghi-khen-thuong.docx"),
    "dossier_achievement": (TEMPLATE_DIR / "bao_cao_thanh_tich.docx", "mau-bao-cao-thanh-tich-ho-so.docx"),
}
"""The templates shipped per kind (file, download name): each filled with its kind's fields gives the
text of the built-in layout."""

DECISION_FIELDS = (
    "parent_body",
    "issuer",
    "number_symbol",
    "place_date",
    "type_label",
    "title",
    "authority_line",
    "legal_bases[].text",
    "decision_word",
    "articles[].label",
    "articles[].text",
    "recipients[].text",
    "signature_authority",
    "signature_position",
    "signer_name",
    "annex.label",
    "annex.title",
    "annex.subtitle",
    "collective_heading",
    "collectives[].name",
    "collectives[].amount",
    "collectives_total_label",
    "collectives_total",
    "individual_heading",
    "individuals[].name",
    "individuals[].position_unit",
    "individuals[].amount",
    "individuals_total_label",
    "individuals_total",
    "amount_header",
    "grand_total_line",
    "amount_words_line",
)
"""Every name the default decision template uses (besides the ordinals `collectives[].#`, `individuals[].#`)."""

_STT_MM = 14.0
_AMOUNT_MM = 33.0


def _list_table(kind: str) -> Table:
    if kind == "collectives":
        columns = [
            Column("STT", _STT_MM, "center"),
            Column("Tên tập thể", 165 - _STT_MM - _AMOUNT_MM),
            Column("{{ amount_header }}", _AMOUNT_MM, "right"),
        ]
        rows = [["{{ collectives[].# }}", "{{ collectives[].name }}", "{{ collectives[].amount }}"]]
        total = [None, "{{ collectives_total_label }}", "{{ collectives_total }}"]
    else:
        columns = [
            Column("STT", _STT_MM, "center"),
            Column("Họ và tên", 48),
            Column("Chức vụ, đơn vị công tác", 165 - _STT_MM - 48 - _AMOUNT_MM),
            Column("{{ amount_header }}", _AMOUNT_MM, "right"),
        ]
        rows = [
            [
                "{{ individuals[].# }}",
                "{{ individuals[].name }}",
                "{{ individuals[].position_unit }}",
                "{{ individuals[].amount }}",
            ]
        ]
        total = [None, "{{ individuals_total_label }}", None, "{{ individuals_total }}"]
    return Table(columns=columns, rows=rows, total_row=total)  # type: ignore[arg-type]


def build_decision_template() -> bytes:
    """The default decision template, drawn by `render_docx` with placeholders as data."""
    document = OfficialDocument(
        parent_body="{{ parent_body }}",
        issuer="{{ issuer }}",
        number_symbol="{{ number_symbol }}",
        place="",
        date=None,
        date_text="{{ place_date }}",
        type_label="{{ type_label }}",
        title="{{ title }}",
        authority_line="{{ authority_line }}",
        legal_bases=["{{ legal_bases[].text }}"],
        decision_word="{{ decision_word }}",
        body=[Article(1, "{{ articles[].text }}")],
        recipients=["{{ recipients[].text }}"],
        signature=Signature(
            position="{{ signature_position }}",
            signer_name="{{ signer_name }}",
            on_behalf_of="{{ signature_authority }}",
        ),
        annexes=[
            Annex(
                label="{{ annex.label }}",
                title="{{ annex.title }}",
                subtitle="{{ annex.subtitle }}",
                blocks=[
                    Paragraph("{{ collective_heading }}", bold=True, indent=False, keep_with_next=True),
                    _list_table("collectives"),
                    Paragraph("{{ individual_heading }}", bold=True, indent=False, keep_with_next=True),
                    _list_table("individuals"),
                    Paragraph("{{ grand_total_line }}", bold=True, indent=False, keep_with_previous=True),
                    Paragraph("{{ amount_words_line }}", italic=True, indent=False, keep_with_previous=True),
                ],
            )
        ],
    )
    word = Document(io.BytesIO(render_docx(document)))
    # the article label is a bold run "Điều 1."; make it a placeholder too
    for paragraph in word.paragraphs:
        if paragraph.runs and paragraph.runs[0].text == "Điều 1.":
            paragraph.runs[0].text = "{{ articles[].label }}"
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _paragraph_text(block: object) -> str:
    return block.text if isinstance(block, Paragraph) else block if isinstance(block, str) else ""


def decision_template_context(document: OfficialDocument) -> dict[str, object]:
    """Context for the default decision template from a decision built by `build_decision`: the
    articles paragraph by paragraph (Điều 1's money lines included), the annex's collectives and
    individuals tables with their totals, the grand total and "Bằng chữ"."""
    label = title = subtitle = ""
    collectives: list[dict[str, object]] = []
    individuals: list[dict[str, object]] = []
    totals: dict[str, tuple[object, object]] = {}
    headings = {"collectives": "", "individuals": ""}
    grand_total = words = ""
    money = False
    if document.annexes:
        annex = document.annexes[0]
        label, title, subtitle = annex.label, upper(annex.title), annex.subtitle
        pending = ""
        for block in annex.blocks:
            if isinstance(block, Table):
                kind = "collectives" if block.columns[1].header == "Tên tập thể" else "individuals"
                money = block.columns[-1].header.startswith("Số tiền")
                for row in block.rows:
                    if kind == "collectives":
                        collectives.append({"name": format_cell(row[1]), "amount": row[2] if money else None})
                    else:
                        individuals.append(
                            {
                                "name": format_cell(row[1]),
                                "position_unit": format_cell(row[2]),
                                "amount": row[3] if money else None,
                            }
                        )
                if block.total_row is not None:
                    totals[kind] = (block.total_row[1], block.total_row[-1])
                headings[kind] = pending
                pending = ""
            else:
                text = _paragraph_text(block)
                if text.startswith("Bằng chữ"):
                    words = text
                elif text.startswith("Tổng cộng"):
                    grand_total = text
                else:
                    pending = text
    articles: list[dict[str, str]] = []
    for block in document.body:
        if isinstance(block, Article):
            articles.append({"label": block.label, "text": " ".join([block.title, block.text]).strip()})
            articles.extend({"label": "", "text": clause} for clause in block.clauses)
    signature = document.signature
    lines = signature.lines if signature else []
    return {
        "parent_body": upper(break_issuer(document.parent_body, bold=False)),
        "issuer": upper(break_issuer(document.issuer)),
        "number_symbol": document.number_symbol,
        "place_date": document.place_date,
        "type_label": upper(document.type_label),
        "title": document.title,
        "authority_line": upper(document.authority_line),
        "legal_bases": [{"text": line} for line in punctuate_list(list(document.legal_bases))],
        "decision_word": document.decision_word,
        "articles": articles,
        "recipients": [{"text": line[2:]} for line in punctuate_list(list(document.recipients), bullet="- ")],
        "signature_authority": lines[0] if len(lines) > 1 else "",
        "signature_position": lines[-1] if lines else "",
        "signer_name": signature.signer_name if signature else "",
        "annex": {"label": label, "title": title, "subtitle": subtitle},
        "collective_heading": headings["collectives"],
        "collectives": collectives,
        "collectives_total_label": totals.get("collectives", ("", ""))[0] or "",
        "collectives_total": totals.get("collectives", ("", ""))[1],
        "individual_heading": headings["individuals"],
        "individuals": individuals,
        "individuals_total_label": totals.get("individuals", ("", ""))[0] or "",
        "individuals_total": totals.get("individuals", ("", ""))[1],
        "amount_header": "Số tiền (đồng)" if money else "",
        "grand_total_line": grand_total,
        "amount_words_line": words,
    }


# --- the year-end papers of a dossier ---------------------------------------------------------------------


def _header_fields(**kwargs: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "parent_body": "{{ parent_body }}",
        "issuer": "{{ issuer }}",
        "number_symbol": "{{ number_line }}",
        "place": "",
        "date": None,
        "date_text": "{{ place_date }}",
        "type_label": "{{ type_label }}",
        "title": "{{ title }}",
        "signature": Signature(
            position="{{ signature_position }}",
            signer_name="{{ signer_name }}",
            on_behalf_of="{{ signature_authority }}",
        ),
    }
    fields.update(kwargs)
    return fields


def _group_tables(details: bool) -> list[Block]:
    extra = ["{{ %s[].basis }}", "{{ %s[].vote }}"] if details else []
    extra_columns = (
        [Column("Căn cứ đề nghị", 32), Column("Kết quả bỏ phiếu", 28, "center")] if details else []
    )
    wide = 60.0 if details else 0.0
    size = 12 if details else 13
    return [
        Paragraph("{{ collective_heading }}", bold=True, indent=False, keep_with_next=True),
        Table(
            columns=[Column("STT", 14, "center"), Column("Tên tập thể", 151 - wide), *extra_columns],
            rows=[
                ["{{ collectives[].stt }}", "{{ collectives[].name }}", *(e % "collectives" for e in extra)]
            ],
            font_size=size,
        ),
        Paragraph("{{ individual_heading }}", bold=True, indent=False, keep_with_next=True),
        Table(
            columns=[
                Column("STT", 14, "center"),
                Column("Họ và tên", 45),
                Column("Chức vụ, đơn vị công tác", 106 - wide),
                *extra_columns,
            ],
            rows=[
                [
                    "{{ individuals[].stt }}",
                    "{{ individuals[].name }}",
                    "{{ individuals[].position_unit }}",
                    *(e % "individuals" for e in extra),
                ]
            ],
            font_size=size,
        ),
    ]


def build_yearend_template(kind: str) -> bytes:
    """The shipped template of a dossier paper (`submission`, `proposal_list`, `dossier_achievement`),
    drawn by `render_docx` with placeholders as data, as the decision's."""
    if kind == "submission":
        document = OfficialDocument(
            **_header_fields(  # type: ignore[arg-type]
                addressees=["{{ addressees[].text }}"],
                body=["{{ body[].text }}"],
                recipients=["{{ recipients[].text }}"],
                annexes=[
                    Annex(
                        title="{{ annex.title }}",
                        subtitle="{{ annex.subtitle }}",
                        blocks=_group_tables(False),
                    )
                ],
            )
        )
    elif kind == "proposal_list":
        document = OfficialDocument(
            **_header_fields(  # type: ignore[arg-type]
                body=[
                    Paragraph("{{ body[].text }}", italic=True, align="center", indent=False),
                    *_group_tables(True),
                    Paragraph("{{ closing[].text }}", italic=True, indent=False),
                ]
            )
        )
    elif kind == "dossier_achievement":
        document = OfficialDocument(
            **_header_fields(  # type: ignore[arg-type]
                body=["{{ body[].text }}", Paragraph("{{ reports[].title }}", bold=True, indent=False)]
            )
        )
    else:
        raise ValueError(f"Không có mẫu có sẵn cho loại văn bản {kind}")
    word = Document(io.BytesIO(render_docx(document)))
    for table in word.tables[:1]:  # "Số: …" only when there is a number (a list or a report has none)
        for paragraph in table.cell(1, 0).paragraphs:
            for run in paragraph.runs:
                run.text = run.text.replace("Số: {{ number_line }}", "{{ number_line }}")
    if kind == "dossier_achievement":
        # each report: its title (bold), a line break, its lines, in one paragraph repeated per report
        for paragraph in word.paragraphs:
            if paragraph.text == "{{ reports[].title }}":
                paragraph.runs[-1].add_break()
                run = paragraph.add_run("{{ reports[].text }}")
                run.bold = False
                run.font.size = paragraph.runs[0].font.size
                paragraph.paragraph_format.keep_with_next = False
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def build_shipped(kind: str) -> bytes:
    return build_decision_template() if kind == "decision" else build_yearend_template(kind)
