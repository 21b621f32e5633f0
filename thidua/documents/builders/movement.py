"""A movement's launching plan (Kế hoạch) or letter (Công văn) and its registration summary, from
plain data (no Django).

`builders.from_movements` fills `PlanData` / `RegistrationSummaryData` from a `Movement` and its
registrations; `build_plan` / `build_registration_summary` give the NĐ 30 `OfficialDocument`
(rendered by `render_docx`), `plan_context` / `registration_summary_context` the fields of an
organisation's own .docx template (`PLAN_TEMPLATE_FIELDS`, `REGISTRATION_SUMMARY_FIELDS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from thidua.documents.official import (
    Block,
    CellText,
    Column,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    punctuate_list,
    stt_width,
    upper,
)
from thidua.documents.vnwords import document_type_label, parse_number_symbol
from thidua.lib.numbers import format_number

Day = date

__all__ = [
    "PLAN_TEMPLATE_FIELDS",
    "REGISTRATION_SUMMARY_FIELDS",
    "CriterionLine",
    "DocumentRef",
    "MilestoneLine",
    "PlanData",
    "RegistrationLine",
    "RegistrationSummaryData",
    "build_plan",
    "build_registration_summary",
    "plan_context",
    "plan_sections",
    "registration_summary_context",
    "short_date",
]


def short_date(day: date) -> str:
    """ "21/3/2019": how a document is cited inside a text."""
    return f"{day.day}/{day.month}/{day.year}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class DocumentRef:
    """A recorded document cited in the text: "Công văn số 856/BHXH-TĐKT ngày 21/3/2019 của …"."""

    number_symbol: str
    issued_on: date | None
    issuer: str = ""
    summary: str = ""
    kind_label: str = ""
    """Used when the number does not tell the type ("Kế hoạch" for a plan recorded without number)."""

    @property
    def type_label(self) -> str:
        if self.number_symbol:
            try:
                abbreviation = parse_number_symbol(self.number_symbol).type_abbreviation
            except ValueError:
                abbreviation = None
            if abbreviation:
                return document_type_label(abbreviation).capitalize()
            if "/" in self.number_symbol:
                return "Công văn"
        return self.kind_label or "Văn bản"

    @property
    def text(self) -> str:
        parts = [self.type_label]
        if self.number_symbol:
            parts.append(f"số {self.number_symbol}")
        if self.issued_on:
            parts.append(f"ngày {short_date(self.issued_on)}")
        if self.issuer:
            parts.append(f"của {self.issuer}")
        text = " ".join(parts)
        if self.summary:
            summary = self.summary.removeprefix("V/v ").removeprefix("v/v ")
            text += f" về việc {_lower_first(summary)}" if self.summary != summary else f" ({summary})"
        return text


@dataclass(frozen=True)
class CriterionLine:
    code: str
    name: str
    max_points: str
    """As printed: "70", "2,5"."""


@dataclass(frozen=True)
class MilestoneLine:
    label: str
    due_on: date


@dataclass(frozen=True)
class PlanData:
    """Everything a launching plan or letter prints.

    `letter=True` makes a công văn ("V/v phát động …", "Kính gửi: …" the participating units);
    otherwise a Kế hoạch. `number_symbol` empty leaves "Số:      /KH-<symbol>" for the officer.
    """

    issuer: str
    place: str
    date: date | None
    title: str
    signer: Signature
    parent_body: str = ""
    letter: bool = False
    number_symbol: str = ""
    symbol: str = ""
    theme: str = ""
    political_tasks: str = ""
    launcher: str = ""
    parent_title: str = ""
    parent_launcher: str = ""
    references: Sequence[DocumentRef] = ()
    criteria: Sequence[CriterionLine] = ()
    base_max: str = ""
    bonus_max: str = ""
    units: Sequence[str] = ()
    starts_on: Day | None = None
    ends_on: Day | None = None
    years_label: str = ""
    milestones: Sequence[MilestoneLine] = ()
    titles: Sequence[str] = ()
    copies_to: Sequence[str] = field(default_factory=lambda: ("Lưu: VT, TĐKT",))

    @property
    def number_line(self) -> str:
        if self.number_symbol:
            return self.number_symbol
        blank = " " * 6
        if self.letter:
            return f"{blank}/{self.symbol or '…'}-TĐKT"
        return f"{blank}/KH-{self.symbol or '…'}"

    @property
    def subject(self) -> str:
        return f"Phát động phong trào thi đua “{self.title}”"

    @property
    def issuer_line(self) -> str:
        return self.issuer.replace("\n", " ")


def _period(data: PlanData) -> str:
    if data.starts_on and data.ends_on:
        return f"từ ngày {short_date(data.starts_on)} đến ngày {short_date(data.ends_on)}"
    if data.starts_on:
        return f"từ ngày {short_date(data.starts_on)}"
    return f"năm {data.years_label}" if data.years_label.isdigit() else (data.years_label or "")


def plan_sections(data: PlanData) -> list[tuple[str, list[str]]]:
    """The body as (heading, paragraphs): I. Mục đích, yêu cầu … VI. Tổ chức thực hiện."""
    launcher = data.launcher or data.issuer_line
    purpose: list[str] = []
    for ref in data.references:
        purpose.append(f"Thực hiện {ref.text}.")
    if data.parent_title:
        by = f" do {data.parent_launcher} phát động" if data.parent_launcher else ""
        purpose.append(f"Hưởng ứng, cụ thể hoá phong trào thi đua “{data.parent_title}”{by}.")
    if data.theme:
        purpose.append(f"Mục tiêu: {data.theme.strip().rstrip('.')}.")
    if data.political_tasks:
        purpose.append(
            "Gắn phong trào thi đua với việc thực hiện nhiệm vụ chính trị: "
            f"{_lower_first(data.political_tasks.strip().rstrip('.'))}."
        )
    purpose.append(
        "Phong trào được triển khai sâu rộng, thiết thực, hiệu quả, tránh hình thức; việc bình xét, "
        "khen thưởng bảo đảm chính xác, công khai, công bằng, kịp thời."
    )

    content: list[str] = []
    if data.criteria:
        total = f" (thang điểm {data.base_max} điểm)" if data.base_max else ""
        content.append(f"Các đơn vị thi đua theo các nhóm tiêu chí của bảng chấm điểm{total}:")
        content.extend(f"{c.code}. {c.name}: {c.max_points} điểm." for c in data.criteria)
        if data.bonus_max:
            content.append(f"Điểm thưởng tối đa {data.bonus_max} điểm.")
        content.append("Mỗi đơn vị đăng ký chỉ tiêu cụ thể cho từng tiêu chí khi đăng ký thi đua.")
    else:
        content.append(
            "Các đơn vị đăng ký chỉ tiêu thi đua cụ thể, gắn với nhiệm vụ được giao và hướng dẫn "
            f"của {launcher}."
        )

    scope = [
        "Các đơn vị tham gia phong trào: " + "; ".join(data.units) + "."
        if data.units
        else "Các đơn vị thuộc phạm vi phát động."
    ]

    time = [f"Thời gian thực hiện: {_period(data)}."] if _period(data) else []
    time.extend(f"{m.label}: trước ngày {short_date(m.due_on)}." for m in data.milestones)

    awards = []
    if data.titles:
        awards.append("Danh hiệu thi đua, hình thức khen thưởng các đơn vị đã đăng ký hướng tới:")
        awards.extend(f"- {title}." for title in data.titles)
    awards.append(
        f"Sơ kết, tổng kết phong trào, {launcher} lựa chọn tập thể, cá nhân tiêu biểu để khen thưởng "
        "theo thẩm quyền hoặc đề nghị cấp trên khen thưởng theo quy định của Luật Thi đua, khen "
        "thưởng năm 2022 và Nghị định số 152/2025/NĐ-CP."
    )

    organise = [
        "1. Bộ phận làm công tác thi đua, khen thưởng tham mưu, hướng dẫn, theo dõi, đôn đốc và tổng "
        "hợp kết quả thực hiện phong trào.",
        "2. Thủ trưởng các đơn vị tham gia xây dựng kế hoạch, tổ chức đăng ký thi đua, tự chấm điểm "
        "và báo cáo kết quả đúng các mốc thời gian tại Mục IV.",
        "Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh về "
        f"{launcher} (qua bộ phận thi đua, khen thưởng) để được hướng dẫn.",
    ]
    return [
        ("I. MỤC ĐÍCH, YÊU CẦU", purpose),
        ("II. NỘI DUNG, CHỈ TIÊU THI ĐUA", content),
        ("III. ĐỐI TƯỢNG, PHẠM VI", scope),
        ("IV. THỜI GIAN", time or ["Theo chỉ đạo của " + launcher + "."]),
        ("V. KHEN THƯỞNG", awards),
        ("VI. TỔ CHỨC THỰC HIỆN", organise),
    ]


def _recipients(data: PlanData) -> list[str]:
    return [*(data.units if not data.letter else ["Như trên"]), *data.copies_to]


def build_plan(data: PlanData) -> OfficialDocument:
    """The plan (or letter) as an NĐ 30 document: header, title, sections I–VI, Nơi nhận, signature."""
    body: list[Block] = []
    if data.letter:
        body.append(f"{data.issuer_line} phát động phong trào thi đua “{data.title}” với các nội dung sau:")
    for heading, paragraphs in plan_sections(data):
        body.append(Paragraph(heading, bold=True, indent=False))
        body.extend(paragraphs)
    if data.letter:
        body.append(f"{data.issuer_line} đề nghị các đơn vị triển khai thực hiện./.")
    return OfficialDocument(
        parent_body=data.parent_body,
        issuer=data.issuer,
        number_symbol=data.number_line,
        place=data.place,
        date=data.date,
        type_label="" if data.letter else "Kế hoạch",
        title="" if data.letter else data.subject,
        subject=f"V/v {_lower_first(data.subject)}" if data.letter else "",
        addressees=list(data.units) if data.letter else (),
        body=body,
        recipients=_recipients(data),
        signature=data.signer,
    )


PLAN_TEMPLATE_FIELDS = (
    "parent_body",
    "issuer",
    "number_symbol",
    "place_date",
    "title",
    "subject",
    "movement_title",
    "sections[].heading",
    "sections[].text",
    "references[].text",
    "criteria[].code",
    "criteria[].name",
    "criteria[].max_points",
    "units[].name",
    "milestones[].label",
    "milestones[].due_on",
    "period",
    "recipients[].text",
    "signature_authority",
    "signature_position",
    "signer_name",
)
"""The fields a plan or letter template may use (docs/documents.md)."""


def _signature_fields(signature: Signature | None) -> dict[str, str]:
    if signature is None:
        return {"signature_authority": "", "signature_position": "", "signer_name": ""}
    lines = signature.lines
    authority = lines[0] if (signature.prefix or signature.on_behalf_of) else ""
    return {
        "signature_authority": authority,
        "signature_position": upper(signature.position),
        "signer_name": signature.signer_name,
    }


def plan_context(data: PlanData) -> dict[str, object]:
    """Fields for a .docx template of a plan or letter (`PLAN_TEMPLATE_FIELDS`). A section's `text`
    holds its paragraphs separated by line breaks."""
    document = build_plan(data)
    return {
        "parent_body": upper(data.parent_body),
        "issuer": upper(data.issuer),
        "number_symbol": document.number_symbol,
        "place_date": document.place_date,
        "title": upper(document.type_label) if document.type_label else "",
        "subject": data.subject,
        "movement_title": data.title,
        "sections": [
            {"heading": heading, "text": "\n".join(paragraphs)} for heading, paragraphs in plan_sections(data)
        ],
        "references": [{"text": ref.text} for ref in data.references],
        "criteria": [{"code": c.code, "name": c.name, "max_points": c.max_points} for c in data.criteria],
        "units": [{"name": name} for name in data.units],
        "milestones": [{"label": m.label, "due_on": m.due_on} for m in data.milestones],
        "period": _period(data),
        "recipients": [{"text": text} for text in punctuate_list(document.recipients)],
        **_signature_fields(data.signer),
    }


# --- registration summary --------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationLine:
    """One unit's registration: status, targets (criterion code → target), titles aimed for."""

    unit: str
    status: str
    submitted_on: date | None = None
    late: bool = False
    targets: Sequence[tuple[str, str]] = ()
    unit_titles: Sequence[str] = ()
    people_titles: Sequence[tuple[str, int]] = ()
    """(title, number of people)"""

    @property
    def targets_text(self) -> str:
        return "; ".join(f"{code}: {value}" for code, value in self.targets)

    @property
    def unit_titles_text(self) -> str:
        return "; ".join(self.unit_titles)

    @property
    def people_titles_text(self) -> str:
        return "; ".join(f"{title}: {count}" for title, count in self.people_titles)

    @property
    def people_count(self) -> int:
        return sum(count for _, count in self.people_titles)


@dataclass(frozen=True)
class RegistrationSummaryData:
    issuer: str
    place: str
    date: date | None
    movement_title: str
    year: int
    lines: Sequence[RegistrationLine]
    missing: Sequence[str]
    signer: Signature
    parent_body: str = ""
    symbol: str = ""
    deadline: Day | None = None
    criteria: Sequence[tuple[str, str]] = ()
    """(code, name) of the criteria that targets refer to, printed as a legend under the table."""
    copies_to: Sequence[str] = field(default_factory=lambda: ("Lưu: VT, TĐKT",))

    @property
    def totals(self) -> dict[str, int]:
        return {
            "units": len(self.lines),
            "unit_titles": sum(len(line.unit_titles) for line in self.lines),
            "people": sum(line.people_count for line in self.lines),
            "late": sum(1 for line in self.lines if line.late),
            "missing": len(self.missing),
        }


def build_registration_summary(data: RegistrationSummaryData) -> OfficialDocument:
    """Báo cáo tổng hợp đăng ký thi đua: counts, the per-unit table with totals, units not registered."""
    totals = data.totals
    deadline = f" (hạn đăng ký ngày {short_date(data.deadline)})" if data.deadline else ""
    intro = (
        f"Thực hiện phong trào thi đua “{data.movement_title}”, đến ngày lập báo cáo{deadline} có "
        f"{totals['units']} đơn vị đã lập đăng ký thi đua năm {data.year}"
        + (f", trong đó {totals['late']} đơn vị gửi quá hạn" if totals["late"] else "")
        + f"; {totals['missing']} đơn vị chưa đăng ký."
    )
    rows: list[list[CellText]] = [
        [
            i,
            line.unit,
            line.status + (" (quá hạn)" if line.late else ""),
            line.targets_text,
            line.unit_titles_text,
            line.people_titles_text,
        ]
        for i, line in enumerate(data.lines, start=1)
    ]
    stt = stt_width(len(data.lines), 11)
    columns = [
        Column("STT", stt, "center"),
        Column("Đơn vị", 45 - stt),
        Column("Trạng thái", 20),
        Column("Chỉ tiêu đăng ký", 40),
        Column("Danh hiệu tập thể", 30),
        Column("Danh hiệu cá nhân (số người)", 30),
    ]
    body: list[Block] = [
        intro,
        Paragraph("I. CÁC ĐƠN VỊ ĐÃ ĐĂNG KÝ", bold=True, indent=False),
        Table(
            columns=columns,
            rows=rows or [[None, "(Chưa có đơn vị nào đăng ký)", None, None, None, None]],
            total_row=[
                None,
                f"Tổng cộng: {format_number(totals['units'])} đơn vị",
                None,
                None,
                f"{format_number(totals['unit_titles'])} danh hiệu",
                f"{format_number(totals['people'])} người",
            ],
            font_size=11,
        ),
    ]
    if data.criteria:
        body.append(
            Paragraph(
                "Ghi chú mã tiêu chí: " + "; ".join(f"{code}. {name}" for code, name in data.criteria) + ".",
                italic=True,
            )
        )
    body.append(Paragraph("II. ĐƠN VỊ CHƯA ĐĂNG KÝ", bold=True, indent=False))
    if data.missing:
        body.append(
            Table(
                columns=[
                    Column("STT", stt_width(len(data.missing), 11), "center"),
                    Column("Đơn vị chưa đăng ký", 165 - stt_width(len(data.missing), 11)),
                ],
                rows=[[i, name] for i, name in enumerate(data.missing, start=1)],
                font_size=11,
            )
        )
    else:
        body.append("Tất cả các đơn vị tham gia đã đăng ký thi đua.")
    return OfficialDocument(
        parent_body=data.parent_body,
        issuer=data.issuer,
        number_symbol=f"{' ' * 6}/BC-{data.symbol or '…'}",
        place=data.place,
        date=data.date,
        type_label="Báo cáo",
        title=f"Tổng hợp đăng ký thi đua năm {data.year} phong trào “{data.movement_title}”",
        body=body,
        recipients=list(data.copies_to),
        signature=data.signer,
    )


REGISTRATION_SUMMARY_FIELDS = (
    "parent_body",
    "issuer",
    "number_symbol",
    "place_date",
    "movement_title",
    "year",
    "intro",
    "registrations[].unit",
    "registrations[].status",
    "registrations[].targets",
    "registrations[].unit_titles",
    "registrations[].people_titles",
    "total_units",
    "total_unit_titles",
    "total_people",
    "missing[].name",
    "missing_count",
    "signature_authority",
    "signature_position",
    "signer_name",
)


def registration_summary_context(data: RegistrationSummaryData) -> dict[str, object]:
    """Fields for a .docx template of the registration summary (`REGISTRATION_SUMMARY_FIELDS`)."""
    document = build_registration_summary(data)
    totals = data.totals
    intro = document.body[0]
    return {
        "parent_body": upper(data.parent_body),
        "issuer": upper(data.issuer),
        "number_symbol": document.number_symbol,
        "place_date": document.place_date,
        "movement_title": data.movement_title,
        "year": str(data.year),
        "intro": intro if isinstance(intro, str) else "",
        "registrations": [
            {
                "unit": line.unit,
                "status": line.status + (" (quá hạn)" if line.late else ""),
                "targets": line.targets_text,
                "unit_titles": line.unit_titles_text,
                "people_titles": line.people_titles_text,
            }
            for line in data.lines
        ],
        "total_units": totals["units"],
        "total_unit_titles": totals["unit_titles"],
        "total_people": totals["people"],
        "missing": [{"name": name} for name in data.missing],
        "missing_count": totals["missing"],
        **_signature_fields(data.signer),
    }
