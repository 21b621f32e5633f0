"""Báo cáo thành tích (achievement report) of a person or a collective, from plain data (no Django).

Laid out after Mẫu số 05 of the NĐ 152/2025 forms annex (individual) and its collective
counterpart, as far as the published forms are known (shared/domain/law.md §4):

I. Sơ lược lý lịch (person) / Sơ lược đặc điểm, tình hình (collective);
II. Thành tích đạt được: 1. duties, 2. results (initiatives listed; the text is the author's to
    write, so hints in brackets are left for them), 3. task-completion ratings by year;
III. Các hình thức đã được khen thưởng: 1. titles, 2. commendation forms, each a table with the
     year, the name and the decision (number, date, issuer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from thidua.documents.official import Block, CellText, Column, OfficialDocument, Paragraph, Signature, Table

__all__ = [
    "ACHIEVEMENT_PERSON_FIELDS",
    "ACHIEVEMENT_UNIT_FIELDS",
    "AchievementData",
    "AwardLine",
    "RatingLine",
    "achievement_context",
    "build_achievement_report",
]


@dataclass(frozen=True)
class AwardLine:
    year: int
    name: str
    decision_number: str
    decided_on: date | None
    decided_by: str = ""
    is_title: bool = True

    @property
    def decision_text(self) -> str:
        parts = []
        if self.decision_number:
            parts.append(f"Quyết định số {self.decision_number}")
        if self.decided_on:
            parts.append(f"ngày {self.decided_on:%d/%m/%Y}")
        if self.decided_by:
            parts.append(f"của {self.decided_by}")
        return " ".join(parts)


@dataclass(frozen=True)
class RatingLine:
    year: int
    value: str


@dataclass(frozen=True)
class AchievementData:
    """The subject's facts and history. `facts` are the (label, value) lines of section I."""

    subject_name: str
    collective: bool
    issuer: str
    parent_body: str
    place: str
    on: date | None
    proposed_award: str = ""
    facts: Sequence[tuple[str, str]] = ()
    duties: Sequence[str] = ()
    initiatives: Sequence[str] = ()
    ratings: Sequence[RatingLine] = ()
    awards: Sequence[AwardLine] = ()
    signer_position: str = ""
    signer_name: str = ""
    confirmer_name: str = ""
    """Who signs the confirmation on the left (the head of the unit, as recorded)."""
    subject_line: str = ""
    """Under the title: "Họ tên, chức vụ và đơn vị công tác: …" (default: the name alone)."""


def _history_table(lines: Sequence[AwardLine], header: str) -> Table:
    # years as text: an int would be printed with a thousands separator ("2.024")
    rows: list[list[CellText]] = [[str(line.year), line.name, line.decision_text] for line in lines]
    return Table(
        columns=[
            Column("Năm", 18, "center"),
            Column(header, 62),
            Column("Số, ngày, tháng, năm của quyết định; cơ quan ban hành quyết định", 85),
        ],
        rows=rows or [[None, "(Chưa có)", None]],
    )


def build_achievement_report(data: AchievementData) -> OfficialDocument:
    title = f"Đề nghị tặng {data.proposed_award}" if data.proposed_award else ""
    subject = data.subject_line or (
        f"{'Tên tập thể' if data.collective else 'Họ và tên'}: {data.subject_name}"
    )
    body: list[Block] = [
        Paragraph(subject, align="center", indent=False),
        Paragraph(
            "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH" if data.collective else "I. SƠ LƯỢC LÝ LỊCH",
            bold=True,
            indent=False,
        ),
        *[f"- {label}: {value}" for label, value in data.facts],
        Paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC", bold=True, indent=False),
        Paragraph(
            "1. Chức năng, nhiệm vụ được giao" if data.collective else "1. Quyền hạn, nhiệm vụ được giao",
            bold=True,
        ),
        *(data.duties or ["(Nêu chức năng, nhiệm vụ, quyền hạn được giao hoặc đảm nhận.)"]),
        Paragraph("2. Thành tích đạt được", bold=True),
        "(Nêu kết quả thực hiện nhiệm vụ: chỉ tiêu, nhiệm vụ cụ thể, các giải pháp, đổi mới "
        "trong công tác; ứng dụng khoa học công nghệ, sáng kiến.)",
        *[f"- Sáng kiến: {text}" for text in data.initiatives],
        Paragraph("3. Kết quả xếp loại chất lượng hằng năm", bold=True),
        Table(
            columns=[Column("Năm", 30, "center"), Column("Mức xếp loại", 135)],
            rows=[[str(r.year), r.value] for r in data.ratings] or [[None, "(Chưa có)"]],
        ),
        Paragraph("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", bold=True, indent=False),
        Paragraph("1. Danh hiệu thi đua", bold=True),
        _history_table([a for a in data.awards if a.is_title], "Danh hiệu thi đua"),
        Paragraph("2. Hình thức khen thưởng", bold=True),
        _history_table([a for a in data.awards if not a.is_title], "Hình thức khen thưởng"),
    ]
    return OfficialDocument(
        parent_body=data.parent_body,
        issuer=data.issuer,
        number_symbol="",
        place=data.place,
        date=data.on,
        type_label="Báo cáo thành tích",
        title=title,
        body=body,
        confirmation=Signature(
            position="Xác nhận của cấp trình khen thưởng"
            if data.collective
            else "Thủ trưởng đơn vị xác nhận, đề nghị",
            signer_name="" if data.collective else data.confirmer_name,
        ),
        signature=Signature(
            position=data.signer_position
            or ("Thủ trưởng đơn vị" if data.collective else "Người báo cáo thành tích"),
            signer_name=data.signer_name or ("" if data.collective else data.subject_name),
        ),
    )


ACHIEVEMENT_PERSON_FIELDS = (
    "issuer",
    "parent_body",
    "place_date",
    "subject_name",
    "subject_line",
    "proposed_award",
    "facts[].label",
    "facts[].value",
    "duties[].text",
    "initiatives[].text",
    "ratings[].year",
    "ratings[].value",
    "titles[].year",
    "titles[].name",
    "titles[].decision",
    "forms[].year",
    "forms[].name",
    "forms[].decision",
    "signer_position",
    "signer_name",
)
ACHIEVEMENT_UNIT_FIELDS = ACHIEVEMENT_PERSON_FIELDS


def achievement_context(data: AchievementData) -> dict[str, object]:
    """Fields for a .docx template of an achievement report (the same for persons and collectives).
    Years are text, so the template does not print them with a thousands separator."""
    document = build_achievement_report(data)
    signature = document.signature
    return {
        "issuer": data.issuer.replace("\n", " ").upper(),
        "parent_body": data.parent_body.upper(),
        "place_date": document.place_date,
        "subject_name": data.subject_name,
        "subject_line": (document.body[0].text if isinstance(document.body[0], Paragraph) else ""),
        "proposed_award": data.proposed_award,
        "facts": [{"label": label, "value": value} for label, value in data.facts],
        "duties": [{"text": text} for text in data.duties],
        "initiatives": [{"text": text} for text in data.initiatives],
        "ratings": [{"year": str(r.year), "value": r.value} for r in data.ratings],
        "titles": [
            {"year": str(a.year), "name": a.name, "decision": a.decision_text}
            for a in data.awards
            if a.is_title
        ],
        "forms": [
            {"year": str(a.year), "name": a.name, "decision": a.decision_text}
            for a in data.awards
            if not a.is_title
        ],
        "signer_position": signature.position.upper() if signature else "",
        "signer_name": signature.signer_name if signature else "",
    }
