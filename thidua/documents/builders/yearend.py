"""Fields of the year-end documents (tờ trình, biên bản họp Hội đồng, danh sách đề nghị, báo cáo thành
tích of a dossier) for an organisation's .docx template, read from the `OfficialDocument` the awards app
builds for the NĐ 30 renderer, so both outputs say the same thing.

Each kind names the columns of its table: `rows[].<column>` is one table row per line of the first
table of the document (body first, then annexes), as text formatted like the built-in table.
"""

from __future__ import annotations

from collections.abc import Sequence

from thidua.documents.official import Annex, Block, OfficialDocument, Paragraph, Table, format_cell, upper

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
    "place_date",
    "type_label",
    "title",
    "body[].text",
    "signature_position",
    "signer_name",
)

SUBMISSION_COLUMNS = ("stt", "name", "position_unit")
COUNCIL_MINUTES_COLUMNS = ("stt", "name", "title_name", "agree", "disagree", "ratio", "threshold", "result")
PROPOSAL_LIST_COLUMNS = ("stt", "name", "position_unit", "basis", "vote")

SUBMISSION_FIELDS = (
    *_COMMON,
    "addressees[].text",
    "annex.title",
    *(f"rows[].{c}" for c in SUBMISSION_COLUMNS),
    "row_count",
    "recipients[].text",
)
COUNCIL_MINUTES_FIELDS = (*_COMMON, *(f"rows[].{c}" for c in COUNCIL_MINUTES_COLUMNS), "row_count")
PROPOSAL_LIST_FIELDS = (*_COMMON, *(f"rows[].{c}" for c in PROPOSAL_LIST_COLUMNS), "row_count")
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


def _report(annex: Annex) -> dict[str, object]:
    lines = [t for t in (_text(b) for b in annex.blocks) if t is not None]
    return {"title": upper(annex.title), "text": "\n".join(lines)}


def yearend_context(kind: str, document: OfficialDocument) -> dict[str, object]:
    """Fields for a .docx template of a year-end `kind` (`submission`, `council_minutes`,
    `proposal_list`, `dossier_achievement`) from the document the built-in renderer draws."""
    signature = document.signature
    table = _first_table(document)
    rows = _rows(table, COLUMNS[kind])
    context: dict[str, object] = {
        "parent_body": upper(document.parent_body),
        "issuer": upper(document.issuer),
        "number_symbol": document.number_symbol.strip(),
        "place_date": document.place_date,
        "type_label": upper(document.type_label),
        "title": document.title,
        "body": [{"text": t} for t in (_text(b) for b in document.body) if t is not None],
        "signature_position": upper(signature.position) if signature else "",
        "signer_name": signature.signer_name if signature else "",
        "rows": rows,
        "row_count": len(rows),
    }
    if kind == "submission":
        context["addressees"] = [{"text": a} for a in document.addressees]
        context["annex"] = {"title": upper(document.annexes[0].title) if document.annexes else ""}
        context["recipients"] = [{"text": r} for r in document.recipients]
    if kind == "dossier_achievement":
        context["reports"] = [_report(a) for a in document.annexes]
        context["row_count"] = len(document.annexes)
    return context
