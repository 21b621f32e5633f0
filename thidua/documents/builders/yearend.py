"""Fields of the year-end documents (tờ trình, biên bản họp Hội đồng, danh sách đề nghị, báo cáo thành
tích of a dossier) for an organisation's .docx template, read from the `OfficialDocument` the awards app
builds for the NĐ 30 renderer, so both outputs say the same thing.

Each kind names the columns of its table: `rows[].<column>` is one table row per line of the first
table of the document (body first, then annexes), as text formatted like the built-in table.
"""

from __future__ import annotations

from collections.abc import Sequence

from thidua.documents.official import (
    Annex,
    Block,
    OfficialDocument,
    Paragraph,
    Table,
    break_issuer,
    format_cell,
    punctuate_list,
    upper,
)

__all__ = [
    "COUNCIL_MINUTES_FIELDS",
    "DOSSIER_ACHIEVEMENT_FIELDS",
    "PROPOSAL_LIST_FIELDS",
    "SUBMISSION_FIELDS",
    "yearend_context",
]

_COMMON = (
    "parent_body",
    "issuer",
    "number_symbol",
    "number_line",
    "place_date",
    "type_label",
    "title",
    "body[].text",
    "signature_authority",
    "signature_position",
    "signer_name",
)

SUBMISSION_COLUMNS = ("stt", "name", "position_unit")
COUNCIL_MINUTES_COLUMNS = ("stt", "name", "title_name", "agree", "disagree", "ratio", "threshold", "result")
PROPOSAL_LIST_COLUMNS = ("stt", "name", "position_unit", "basis", "vote")

_GROUPS = (
    "collective_heading",
    "collectives[].stt",
    "collectives[].name",
    "individual_heading",
    "individuals[].stt",
    "individuals[].name",
    "individuals[].position_unit",
)
SUBMISSION_FIELDS = (
    *_COMMON,
    "addressees[].text",
    "annex.title",
    "annex.subtitle",
    *(f"rows[].{c}" for c in SUBMISSION_COLUMNS),
    *_GROUPS,
    "row_count",
    "recipients[].text",
)
COUNCIL_MINUTES_FIELDS = (*_COMMON, *(f"rows[].{c}" for c in COUNCIL_MINUTES_COLUMNS), "row_count")
PROPOSAL_LIST_FIELDS = (
    *_COMMON,
    *(f"rows[].{c}" for c in PROPOSAL_LIST_COLUMNS),
    *_GROUPS,
    "collectives[].basis",
    "collectives[].vote",
    "individuals[].basis",
    "individuals[].vote",
    "closing[].text",
    "row_count",
)
DOSSIER_ACHIEVEMENT_FIELDS = (*_COMMON, "reports[].title", "reports[].text", "row_count")

COLUMNS: dict[str, tuple[str, ...]] = {
    "submission": SUBMISSION_COLUMNS,
    "council_minutes": COUNCIL_MINUTES_COLUMNS,
    "proposal_list": PROPOSAL_LIST_COLUMNS,
    "dossier_achievement": (),
}
"""The names of the table columns per kind, in the order of the built-in table."""


def _text(block: Block) -> str | None:
    if isinstance(block, str):
        return block
    if isinstance(block, Paragraph):
        return block.text
    return None


def _first_table(document: OfficialDocument) -> Table | None:
    blocks: list[Block] = [*document.body, *(b for a in document.annexes for b in a.blocks)]
    return next((b for b in blocks if isinstance(b, Table)), None)


def _rows(table: Table | None, columns: Sequence[str]) -> list[dict[str, object]]:
    if table is None or not columns:
        return []
    return [
        {name: format_cell(value) for name, value in zip(columns, row, strict=False)} for row in table.rows
    ]


_HEADER_FIELDS = {
    "STT": "stt",
    "Họ và tên": "name",
    "Tên tập thể": "name",
    "Họ và tên / Tập thể": "name",
    "Chức vụ, đơn vị công tác": "position_unit",
    "Chức vụ, đơn vị": "position_unit",
    "Căn cứ đề nghị": "basis",
    "Kết quả bỏ phiếu": "vote",
    "Bỏ phiếu": "vote",
}


def _rows_by_header(document: OfficialDocument, columns: Sequence[str]) -> list[dict[str, object]]:
    """Every line of every table (collectives, then individuals), one list numbered from 1, the
    cells matched to the fields by their column header; a field the table lacks is empty."""
    blocks: list[Block] = [*document.body, *(b for a in document.annexes for b in a.blocks)]
    rows: list[dict[str, object]] = []
    for table in (b for b in blocks if isinstance(b, Table)):
        fields = [_HEADER_FIELDS.get(c.header, "") for c in table.columns]
        for values in table.rows:
            row: dict[str, object] = dict.fromkeys(columns, "")
            for field, value in zip(fields, values, strict=False):
                if field in row:
                    row[field] = format_cell(value)
            row["stt"] = format_cell(len(rows) + 1)
            rows.append(row)
    return rows


def _groups(blocks: Sequence[Block], columns: Sequence[str]) -> dict[str, object]:
    """Collectives and individuals as the built-in tables list them (numbered from 1 each), with the
    heading over each when there are both; the paragraphs before the first table (`body`) and after
    the last (`closing`)."""
    out: dict[str, object] = {
        "collective_heading": "",
        "collectives": [],
        "individual_heading": "",
        "individuals": [],
    }
    body: list[str] = []
    closing: list[str] = []
    pending = ""
    seen_table = False
    for block in blocks:
        if isinstance(block, Table):
            kind = "collectives" if any(c.header == "Tên tập thể" for c in block.columns) else "individuals"
            fields = [_HEADER_FIELDS.get(c.header, "") for c in block.columns]
            rows = []
            for values in block.rows:
                row: dict[str, object] = dict.fromkeys(columns, "")
                for field, value in zip(fields, values, strict=False):
                    if field in row:
                        row[field] = format_cell(value)
                rows.append(row)
            out[kind] = rows
            out["collective_heading" if kind == "collectives" else "individual_heading"] = pending
            pending = ""
            seen_table = True
            closing = []
            continue
        text = _text(block)
        if text is None:
            continue
        if isinstance(block, Paragraph) and block.bold and block.keep_with_next:
            pending = text
        elif seen_table:
            closing.append(text)
        else:
            body.append(text)
    out["body"] = [{"text": t} for t in body]
    out["closing"] = [{"text": t} for t in closing]
    return out


def _report(annex: Annex) -> dict[str, object]:
    lines = [t for t in (_text(b) for b in annex.blocks) if t is not None]
    return {"title": upper(annex.title), "text": "\n".join(lines)}


def _sections(blocks: Sequence[Block]) -> tuple[list[str], list[dict[str, object]]]:
    """The paragraphs before the first heading (a bold paragraph kept with the next), and one
    report per heading with the lines under it."""
    intro: list[str] = []
    reports: list[dict[str, object]] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.bold and block.keep_with_next:
            reports.append({"title": block.text, "lines": []})
            continue
        text = _text(block)
        if text is None:
            continue
        if reports:
            lines = reports[-1]["lines"]
            assert isinstance(lines, list)
            lines.append(text)
        else:
            intro.append(text)
    return intro, [{"title": r["title"], "text": "\n".join(r["lines"])} for r in reports]  # type: ignore[arg-type]


def yearend_context(kind: str, document: OfficialDocument) -> dict[str, object]:
    """Fields for a .docx template of a year-end `kind` (`submission`, `council_minutes`,
    `proposal_list`, `dossier_achievement`) from the document the built-in renderer draws."""
    signature = document.signature
    if kind in ("submission", "proposal_list"):
        rows = _rows_by_header(document, COLUMNS[kind])
    else:
        rows = _rows(_first_table(document), COLUMNS[kind])
    context: dict[str, object] = {
        "parent_body": upper(break_issuer(document.parent_body, bold=False)),
        "issuer": upper(break_issuer(document.issuer)),
        "number_symbol": document.number_symbol.strip(),
        "number_line": document.number_line if document.number_symbol else "",
        "place_date": document.place_date,
        "type_label": upper(document.type_label),
        "title": document.title,
        "body": [{"text": t} for t in (_text(b) for b in document.body) if t is not None],
        "signature_authority": signature.authority if signature else "",
        "signature_position": (signature.lines[-1] if signature.lines else "") if signature else "",
        "signer_name": signature.signer_name if signature else "",
        "rows": rows,
        "row_count": len(rows),
    }
    if kind == "submission":
        context["addressees"] = [{"text": a} for a in punctuate_list(list(document.addressees))]
        annex = document.annexes[0] if document.annexes else None
        context["annex"] = {
            "title": upper(annex.title) if annex else "",
            "subtitle": annex.subtitle if annex else "",
        }
        context["recipients"] = [
            {"text": line[2:]} for line in punctuate_list(list(document.recipients), bullet="- ")
        ]
        groups = _groups(annex.blocks if annex else (), COLUMNS[kind])
        context.update({k: v for k, v in groups.items() if k not in ("body", "closing")})
    if kind == "proposal_list":
        context.update(_groups(document.body, COLUMNS[kind]))
    if kind == "dossier_achievement":
        intro, reports = _sections(document.body)
        context["body"] = [{"text": t} for t in intro]
        context["reports"] = reports + [_report(a) for a in document.annexes]
        context["row_count"] = len(context["reports"])  # type: ignore[arg-type]
    return context
