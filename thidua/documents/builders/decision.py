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
    stt_width,
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
    title_name: str = ""
    """The title or form of this line when a decision grants several (one annex section each)."""


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
    "awardees[].name",
    "awardees[].position_unit",
    "awardees[].amount",
    "total_amount",
    "total_amount_words",
    "recipient_count",
    "award_name",
    "year",
)
"""The fields a decision template may use: those of the default template plus a few more."""


def _whom(people: int, collectives: int) -> str:
    parts = []
    if collectives:
        parts.append(f"{format_cell(collectives)} tập thể")
    if people:
        parts.append(f"{format_cell(people)} cá nhân")
    return " và ".join(parts) or "0 cá nhân"


def _verb(data: DecisionData, title_name: str | None = None) -> str:
    name = title_name or data.title_name
    if data.title_kind == "title":
        return f"Tặng danh hiệu “{name}”" + (f" năm {data.year}" if data.year else "")
    return f"Tặng {name}"


def _reason(data: DecisionData) -> str:
    if data.reason:
        return data.reason
    year = f" năm {data.year}" if data.year else ""
    return f"đã có thành tích xuất sắc trong thực hiện nhiệm vụ{year}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _sections(data: DecisionData) -> list[tuple[str, list[Recipient]]]:
    """The recipients by title, in the order the titles first appear (one section per title)."""
    groups: dict[str, list[Recipient]] = {}
    for r in data.recipients:
        groups.setdefault(r.title_name or data.title_name, []).append(r)
    return list(groups.items())


def _uniform(recipients: Sequence[Recipient]) -> int | None:
    """The amount every one of `recipients` gets, when it is the same non-zero amount for all."""
    amounts = {r.amount or 0 for r in recipients}
    return amounts.pop() if len(amounts) == 1 and recipients and recipients[0].amount else None


def money_clauses(data: DecisionData) -> list[str]:
    """Điều 1's money lines: the amount per collective and per individual (only when every row of that
    kind gets it), the total in figures and words, and the caller's notes."""
    total = data.total_amount
    if not total:
        return []
    lines: list[str] = []
    if len(_sections(data)) == 1:
        each = []
        for label, collective in (("tập thể", True), ("cá nhân", False)):
            group = [r for r in data.recipients if r.collective == collective]
            amount = _uniform(group)
            if amount is not None:
                each.append(f"{format_cell(amount)} đồng cho mỗi {label}")
        kinds = {r.collective for r in data.recipients}
        if len(each) == len(kinds):
            lines.append("Mức tiền thưởng: " + "; ".join(each) + ".")
    lines.append(f"Tổng số tiền thưởng: {format_cell(total)} đồng ({amount_in_words(total)}).")
    lines.extend(data.money_notes)
    return lines


def _tables(data: DecisionData, size: float = 13) -> list[Block]:
    """The annex: one section per title (a heading when there are several), collectives and individuals
    in tables of their own, each with its header; "Bằng chữ" under the last total."""
    money = bool(data.total_amount)
    stt = stt_width(len(data.recipients), size)
    text_width = 165.0
    amount_mm = 33.0 if money else 0.0
    blocks: list[Block] = []
    sections = _sections(data)
    numbered = len(sections) > 1
    tables: list[Table] = []
    for s_index, (title_name, recipients) in enumerate(sections, start=1):
        if numbered:
            blocks.append(
                Paragraph(
                    f"{_roman(s_index)}. {_verb(data, title_name).upper()}",
                    bold=True,
                    indent=False,
                    keep_with_next=True,
                )
            )
        groups = [
            (True, [r for r in recipients if r.collective]),
            (False, [r for r in recipients if not r.collective]),
        ]
        groups = [(c, rs) for c, rs in groups if rs]
        for g_index, (collective, rows_of) in enumerate(groups, start=1):
            if len(groups) > 1:
                label = "Tập thể" if collective else "Cá nhân"
                blocks.append(Paragraph(f"{g_index}. {label}", bold=True, indent=False, keep_with_next=True))
            rows: list[list[CellText]] = []
            for i, r in enumerate(rows_of, start=1):
                if collective:
                    rows.append([i, r.name, r.amount] if money else [i, r.name])
                else:
                    rows.append(
                        [i, r.name, r.position_unit, r.amount] if money else [i, r.name, r.position_unit]
                    )
            subtotal = sum(r.amount or 0 for r in rows_of)
            if collective:
                columns = [Column("STT", stt, "center"), Column("Tên tập thể", text_width - stt - amount_mm)]
            else:
                name_mm = 48.0
                columns = [
                    Column("STT", stt, "center"),
                    Column("Họ và tên", name_mm),
                    Column("Chức vụ, đơn vị công tác", text_width - stt - name_mm - amount_mm),
                ]
            if money:
                columns.append(Column("Số tiền (đồng)", amount_mm, "right"))
            total_row: list[CellText] | None = None
            if money and any(r.amount for r in rows_of):
                total_row = [None, "Cộng", *([None] * (len(columns) - 3)), subtotal]
            table = Table(columns=columns, rows=rows, total_row=total_row, font_size=size)
            tables.append(table)
            blocks.append(table)
    if money:
        total = data.total_amount
        with_totals = [t for t in tables if t.total_row is not None]
        if len(with_totals) == 1 and len(tables) == 1:
            only = with_totals[0]
            assert only.total_row is not None
            blocks[blocks.index(only)] = Table(
                columns=only.columns,
                rows=only.rows,
                total_row=[None, "Tổng cộng", *list(only.total_row[2:])],
                font_size=size,
            )
        else:
            blocks.append(
                Paragraph(
                    f"Tổng cộng: {format_cell(total)} đồng.", bold=True, indent=False, keep_with_previous=True
                )
            )
        blocks.append(
            Paragraph(
                f"Bằng chữ: {amount_in_words(total)}.", italic=True, indent=False, keep_with_previous=True
            )
        )
    return blocks


def _roman(n: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def build_decision(data: DecisionData, *, progress: Progress | None = None) -> OfficialDocument:
    """The decision as an NĐ 30 document: Căn cứ, Điều 1–3, Nơi nhận, signature, annex list."""
    total = data.total_amount
    people, collectives = data.counts
    if progress is not None:
        progress(len(data.recipients) // 2, len(data.recipients))
    sections = _sections(data)
    if len(sections) == 1:
        verb = _verb(data, sections[0][0])
        whom = f"{verb} cho {_whom(people, collectives)} {_reason(data)} (có danh sách kèm theo)."
        annex_title = f"Danh sách {'tập thể, cá nhân' if collectives and people else 'tập thể' if collectives else 'cá nhân'} được {_lower_first(verb)}"
        title = f"Về việc {_lower_first(verb)}"
    else:
        names = ", ".join(name for name, _ in sections)
        whom = f"Tặng {names} cho {_whom(people, collectives)} {_reason(data)} (có danh sách kèm theo)."
        annex_title = "Danh sách tập thể, cá nhân được khen thưởng"
        title = "Về việc khen thưởng " + ("tập thể, cá nhân" if collectives and people else "cá nhân")
    annex_blocks = _tables(data)
    fund = data.fund or f"Quỹ thi đua, khen thưởng của {data.issuer.replace(chr(10), ' ')}"
    decision_ref = f"Quyết định số {data.number_symbol}" + (f" {date_phrase(data.date)}" if data.date else "")
    authority = data.authority or data.issuer.replace("\n", " ")
    if progress is not None:
        progress(len(data.recipients), len(data.recipients))
    return OfficialDocument(
        parent_body=data.parent_body,
        issuer=data.issuer,
        number_symbol=data.number_symbol,
        place=data.place,
        date=data.date,
        type_label="Quyết định",
        title=title,
        authority_line=authority,
        legal_bases=[*(data.legal_bases or DEFAULT_LEGAL_BASES), f"Theo đề nghị của {data.proposer}"],
        decision_word="QUYẾT ĐỊNH:",
        body=[
            Article(1, whom, clauses=money_clauses(data)),
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
                title=annex_title,
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
