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
    Column,
    OfficialDocument,
    Signature,
    Table,
    format_cell,
    punctuate_list,
    upper,
)

TEMPLATE_DIR = Path(__file__).resolve().parent
DECISION_TEMPLATE = TEMPLATE_DIR / "quyet_dinh_khen_thuong.docx"

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
    "awardees[].name",
    "awardees[].position_unit",
    "awardees[].amount",
    "total_amount",
)
"""Every name the default decision template uses (besides `awardees[].#`)."""


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
                    Table(
                        columns=[
                            Column("STT", 12, "center"),
                            Column("Họ và tên", 45),
                            Column("Chức vụ, đơn vị", 75),
                            Column("Số tiền (đồng)", 33, "right"),
                        ],
                        rows=[
                            [
                                "{{ awardees[].# }}",
                                "{{ awardees[].name }}",
                                "{{ awardees[].position_unit }}",
                                "{{ awardees[].amount }}",
                            ]
                        ],
                        total_row=[None, "Tổng cộng", None, "{{ total_amount }}"],
                    )
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


def decision_template_context(document: OfficialDocument) -> dict[str, object]:
    """Context for the default decision template from a decision whose first annex holds a
    table STT / name / position and unit / amount (the shape of `examples.example_decision`)."""
    awardees: list[dict[str, object]] = []
    total: object = ""
    subtitle = label = title = ""
    if document.annexes:
        annex = document.annexes[0]
        label, title, subtitle = annex.label, upper(annex.title), annex.subtitle
        tables = [b for b in annex.blocks if isinstance(b, Table)]
        if tables:
            for row in tables[0].rows:
                awardees.append(
                    {"name": format_cell(row[1]), "position_unit": format_cell(row[2]), "amount": row[3]}
                )
            if tables[0].total_row is not None:
                total = tables[0].total_row[-1]
    articles = [
        {"label": block.label, "text": " ".join([block.title, block.text]).strip()}
        for block in document.body
        if isinstance(block, Article)
    ]
    signature = document.signature
    lines = signature.lines if signature else []
    return {
        "parent_body": upper(document.parent_body),
        "issuer": upper(document.issuer),
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
        "awardees": awardees,
        "total_amount": total,
    }
