"""Quyết định khen thưởng with its annex list, from plain data (no Django).

The year-end workflow fills a `DecisionData` from its own decision rows; `from_db.decision_from_awards`
fills one from the AwardRecords sharing a decision number. `build_decision` gives the NĐ 30
`OfficialDocument` (rendered by `render_docx`), `decision_context` the fields of a .docx template.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from thidua.documents.official import (
    Annex,
    Article,
    Block,
    CellText,
    Column,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    format_cell,
)
from thidua.documents.templates_docx import DECISION_FIELDS, decision_template_context
from thidua.documents.vnwords import amount_in_words, date_phrase

__all__ = ["DECISION_TEMPLATE_FIELDS", "DecisionData", "Recipient", "build_decision", "decision_context"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Recipient:
    """One line of the annex: a person (name, position and unit) or a collective (name only)."""

    name: str
    position_unit: str = ""
    amount: int | None = None
    collective: bool = False


@dataclass(frozen=True)
class DecisionData:
    """Everything a commendation decision needs, whatever produced it.

    `signer` carries the authority ("KT.", "GIÁM ĐỐC"), position and name; `authority` is the
    line above "Căn cứ" ("Giám đốc Bảo hiểm xã hội tỉnh Đắk Lắk"). `title_kind` is "title" for
    an emulation title (danh hiệu) and "form" for a commendation form (Giấy khen, Bằng khen).
    """

    issuer: str
    number_symbol: str
    date: date | None
    place: str
    signer: Signature
    title_id: str
    title_name: str
    recipients: Sequence[Recipient]
    parent_body: str = ""
    authority: str = ""
    title_kind: str = "form"
    year: int | None = None
    reason: str = ""
    legal_bases: Sequence[str] = ()
    proposer: str = "Trưởng phòng Tổ chức cán bộ"
    executors: str = "Chánh Văn phòng, Trưởng phòng Tổ chức cán bộ, Trưởng phòng Kế hoạch - Tài chính"
    fund: str = ""
    copies_to: Sequence[str] = field(default_factory=lambda: ("Như Điều 3", "Lưu: VT, TCCB"))
    money_notes: Sequence[str] = ()
    """Extra lines under Điều 1's money clauses (the year-end split of the total per unit)."""

    @property
    def total_amount(self) -> int:
        return sum(r.amount or 0 for r in self.recipients)

    @property
    def counts(self) -> tuple[int, int]:
        """(individuals, collectives)."""
        collectives = sum(1 for r in self.recipients if r.collective)
        return len(self.recipients) - collectives, collectives


DEFAULT_LEGAL_BASES = (
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
    "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Thi đua, "
    "khen thưởng",
)

DECISION_TEMPLATE_FIELDS = (
    *DECISION_FIELDS,
    "total_amount_words",
    "recipient_count",
    "award_name",
    "year",
)
"""The fields a decision template may use: those of the default template plus a few more."""


def _whom(data: DecisionData) -> str:
    people, collectives = data.counts
    parts = []
    if collectives:
        parts.append(f"{collectives} tập thể")
    if people:
        parts.append(f"{people} cá nhân")
    return " và ".join(parts) or "0 cá nhân"


def _verb(data: DecisionData) -> str:
    if data.title_kind == "title":
        return f"Tặng danh hiệu “{data.title_name}”" + (f" năm {data.year}" if data.year else "")
    return f"Tặng {data.title_name}"


def _reason(data: DecisionData) -> str:
    if data.reason:
        return data.reason
    year = f" năm {data.year}" if data.year else ""
    return f"đã có thành tích xuất sắc trong thực hiện nhiệm vụ{year}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def build_decision(data: DecisionData, *, progress: Progress | None = None) -> OfficialDocument:
    """The decision as an NĐ 30 document: Căn cứ, Điều 1–3, Nơi nhận, signature, annex list."""
    recipients = list(data.recipients)
    total = data.total_amount
    amounts = {r.amount for r in recipients if r.amount}
    rows: list[list[CellText]] = []
    step = max(1, len(recipients) // 20)
    for i, r in enumerate(recipients, start=1):
        rows.append([i, r.name, r.position_unit, r.amount])
        if progress is not None and i % step == 0:
            progress(i, len(recipients))
    money_clauses: list[str] = []
    if total:
        if len(amounts) == 1:
            each = "tập thể, cá nhân" if data.counts[1] else "cá nhân"
            money_clauses.append(f"Mức tiền thưởng: {format_cell(amounts.pop())} đồng cho mỗi {each}.")
        money_clauses.append(f"Tổng số tiền thưởng: {format_cell(total)} đồng ({amount_in_words(total)}).")
        money_clauses.extend(data.money_notes)
    if total:
        columns = [
            Column("STT", 12, "center"),
            Column("Họ và tên", 45),
            Column("Chức vụ, đơn vị", 75),
            Column("Số tiền (đồng)", 33, "right"),
        ]
        annex_blocks: list[Block] = [
            Table(columns=columns, rows=rows, total_row=[None, "Tổng cộng", None, total]),
            Paragraph(f"Bằng chữ: {amount_in_words(total)}.", italic=True),
        ]
    else:  # a title without prize money: no money column, no total
        columns = [Column("STT", 12, "center"), Column("Họ và tên", 55), Column("Chức vụ, đơn vị", 98)]
        annex_blocks = [Table(columns=columns, rows=[row[:3] for row in rows])]
    fund = data.fund or f"Quỹ thi đua, khen thưởng của {data.issuer.replace(chr(10), ' ')}"
    decision_ref = f"Quyết định số {data.number_symbol}" + (f" {date_phrase(data.date)}" if data.date else "")
    authority = data.authority or data.issuer.replace("\n", " ")
    return OfficialDocument(
        parent_body=data.parent_body,
        issuer=data.issuer,
        number_symbol=data.number_symbol,
        place=data.place,
        date=data.date,
        type_label="Quyết định",
        title=f"Về việc {_lower_first(_verb(data))}",
        authority_line=authority,
        legal_bases=[*(data.legal_bases or DEFAULT_LEGAL_BASES), f"Theo đề nghị của {data.proposer}"],
        decision_word="QUYẾT ĐỊNH:",
        body=[
            Article(
                1,
                f"{_verb(data)} cho {_whom(data)} {_reason(data)} (có danh sách kèm theo).",
                clauses=money_clauses,
            ),
            Article(
                2,
                f"Tiền thưởng kèm theo được chi từ {fund} theo quy định hiện hành."
                if total
                else "Quyết định này có hiệu lực kể từ ngày ký.",
            ),
            Article(
                3,
                f"{data.executors} và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này.",
            ),
        ],
        recipients=list(data.copies_to),
        signature=data.signer,
        annexes=[
            Annex(
                title=f"Danh sách tập thể, cá nhân được {_lower_first(_verb(data))}",
                subtitle=f"(Kèm theo {decision_ref} của {authority})",
                blocks=annex_blocks,
            )
        ],
    )


def decision_context(data: DecisionData, document: OfficialDocument | None = None) -> dict[str, object]:
    """Fields for a .docx decision template (`DECISION_TEMPLATE_FIELDS`, listed in docs/documents.md)."""
    context = decision_template_context(document or build_decision(data))
    context.update(
        # from the data, not the annex table, which has no money column when there is no money
        awardees=[
            {"name": r.name, "position_unit": r.position_unit, "amount": r.amount} for r in data.recipients
        ],
        total_amount=data.total_amount,
        total_amount_words=amount_in_words(data.total_amount),
        recipient_count=len(data.recipients),
        award_name=data.title_name,
        year=str(data.year or ""),
    )
    return context
