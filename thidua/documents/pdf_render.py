"""Print-ready PDFs: certificates on pre-printed blanks, and simple official documents.

Certificates (Giấy khen, Bằng khen) are printed onto blanks that already carry the emblem,
the title and the frame, so only the variable texts are placed, at positions an officer can
adjust: a `CertificateLayout` gives the page and, for each field, x/y in millimetres, font
size, alignment and maximum width; it is saved as JSON. Texts too wide for their box are
set smaller (down to `min_font_size`), multi-line fields wrap. `offset_x_mm`/`offset_y_mm`
shift everything to compensate a printer's feed.

The font is Liberation Serif (metric-compatible with Times New Roman, SIL OFL), embedded and
subset, so Vietnamese diacritics print the same on every machine. Pure Python (fpdf2).
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

from fpdf import FPDF

from thidua.documents.fonts import FONT_FILES
from thidua.documents.official import (
    Article,
    OfficialDocument,
    Paragraph,
    Table,
    break_issuer,
    format_cell,
    punctuate_list,
    upper,
)

__all__ = [
    "BANG_KHEN_A4",
    "GIAY_KHEN_A4",
    "PAGE_SIZES",
    "CertificateLayout",
    "FieldBox",
    "render_certificates",
    "render_official_pdf",
]

FAMILY = "LiberationSerif"
PAGE_SIZES: Mapping[str, tuple[float, float]] = {
    "A3": (297.0, 420.0),
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
}
FieldAlign = Literal["left", "center", "right"]
_PT_MM = 25.4 / 72


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _new_pdf(orientation: str, size: tuple[float, float]) -> FPDF:
    pdf = FPDF(orientation="L" if orientation == "landscape" else "P", unit="mm", format=size)
    for style, path in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_creator("ThiĐua")
    pdf.set_lang("vi-VN")
    return pdf


# --- certificates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldBox:
    """Where one field goes. `x_mm` is the left edge, the centre or the right edge depending on
    `align`; `y_mm` is the baseline of the first line, both from the top-left corner of the page."""

    x_mm: float
    y_mm: float
    font_size: float = 16.0
    align: FieldAlign = "center"
    max_width_mm: float = 200.0
    bold: bool = False
    italic: bool = False
    max_lines: int = 1
    line_height_mm: float | None = None
    min_font_size: float = 9.0


def _number(data: Mapping[str, Any], key: str, where: str, default: float | None = None) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: “{key}” phải là một số, nhận được {value!r}")
    return float(value)


def _field_from_dict(name: str, data: object) -> FieldBox:
    where = f"Trường “{name}”"
    if not isinstance(data, Mapping):
        raise ValueError(f"{where} phải là một đối tượng JSON")
    unknown = set(data) - set(FieldBox.__dataclass_fields__)
    if unknown:
        raise ValueError(f"{where} có khóa không biết: {', '.join(sorted(unknown))}")
    align = data.get("align", "center")
    if align not in ("left", "center", "right"):
        raise ValueError(f"{where}: “align” phải là left, center hoặc right")
    box = FieldBox(
        x_mm=_number(data, "x_mm", where),
        y_mm=_number(data, "y_mm", where),
        font_size=_number(data, "font_size", where, 16.0),
        align=align,
        max_width_mm=_number(data, "max_width_mm", where, 200.0),
        bold=bool(data.get("bold", False)),
        italic=bool(data.get("italic", False)),
        max_lines=int(_number(data, "max_lines", where, 1)),
        line_height_mm=None if data.get("line_height_mm") is None else _number(data, "line_height_mm", where),
        min_font_size=_number(data, "min_font_size", where, 9.0),
    )
    if box.font_size <= 0 or box.min_font_size <= 0 or box.max_width_mm <= 0 or box.max_lines < 1:
        raise ValueError(f"{where}: cỡ chữ, độ rộng và số dòng phải lớn hơn 0")
    return box


@dataclass(frozen=True)
class CertificateLayout:
    """Page and field positions for one kind of pre-printed blank."""

    name: str
    fields: Mapping[str, FieldBox]
    page_size: str = "A4"
    orientation: Literal["portrait", "landscape"] = "landscape"
    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    page_width_mm: float | None = None  # a custom size overrides page_size
    page_height_mm: float | None = None

    def page_mm(self) -> tuple[float, float]:
        """(width, height) in portrait terms; fpdf2 turns it for landscape."""
        if self.page_width_mm and self.page_height_mm:
            short, long = sorted((self.page_width_mm, self.page_height_mm))
            return short, long
        return PAGE_SIZES[self.page_size]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fields"] = {name: asdict(box) for name, box in self.fields.items()}
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: object) -> CertificateLayout:
        """Validate and build; errors are in Vietnamese for the officer editing the JSON."""
        if not isinstance(data, Mapping):
            raise ValueError("Bố cục phải là một đối tượng JSON")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"Bố cục có khóa không biết: {', '.join(sorted(unknown))}")
        fields = data.get("fields")
        if not isinstance(fields, Mapping) or not fields:
            raise ValueError("Bố cục cần ít nhất một trường trong “fields”")
        page_size = data.get("page_size", "A4")
        if page_size not in PAGE_SIZES:
            raise ValueError(
                f"Khổ giấy “{page_size}” không hỗ trợ (dùng A3, A4, A5 hoặc page_width_mm/page_height_mm)"
            )
        orientation = data.get("orientation", "landscape")
        if orientation not in ("portrait", "landscape"):
            raise ValueError("Hướng giấy phải là portrait (dọc) hoặc landscape (ngang)")
        width = data.get("page_width_mm")
        height = data.get("page_height_mm")
        if (width is None) != (height is None):
            raise ValueError("Khổ giấy tự chọn cần cả page_width_mm và page_height_mm")
        return cls(
            name=str(data.get("name", "")),
            fields={str(k): _field_from_dict(str(k), v) for k, v in fields.items()},
            page_size=page_size,
            orientation=orientation,
            offset_x_mm=_number(data, "offset_x_mm", "Bố cục", 0.0),
            offset_y_mm=_number(data, "offset_y_mm", "Bố cục", 0.0),
            page_width_mm=None if width is None else _number(data, "page_width_mm", "Bố cục"),
            page_height_mm=None if height is None else _number(data, "page_height_mm", "Bố cục"),
        )

    @classmethod
    def from_json(cls, text: str) -> CertificateLayout:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"Tệp bố cục không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno})"
            ) from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> CertificateLayout:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def with_offset(self, dx_mm: float, dy_mm: float) -> CertificateLayout:
        return replace(self, offset_x_mm=dx_mm, offset_y_mm=dy_mm)


# Default positions for A4 landscape blanks (297 × 210 mm). They are a starting point: every
# organisation's blanks differ, so the officer adjusts them once and saves the JSON.
GIAY_KHEN_A4 = CertificateLayout(
    name="Giấy khen A4 ngang",
    fields={
        "recipient": FieldBox(148.5, 100, font_size=26, bold=True, max_width_mm=200),
        "position_unit": FieldBox(
            148.5, 113, font_size=16, max_width_mm=210, max_lines=2, line_height_mm=7.5
        ),
        "achievement": FieldBox(
            148.5, 132, font_size=16, italic=True, max_width_mm=220, max_lines=3, line_height_mm=7.5
        ),
        "place_date": FieldBox(205, 163, font_size=14, italic=True, max_width_mm=110),
        # decision and register number share a left edge, so the numbers line up
        "decision": FieldBox(20, 180, font_size=12, align="left", max_width_mm=110),
        "book_number": FieldBox(20, 187, font_size=12, align="left", max_width_mm=110),
    },
)
BANG_KHEN_A4 = CertificateLayout(
    name="Bằng khen A4 ngang",
    fields={
        "recipient": FieldBox(148.5, 96, font_size=28, bold=True, max_width_mm=210),
        "position_unit": FieldBox(148.5, 110, font_size=17, max_width_mm=220, max_lines=2, line_height_mm=8),
        "achievement": FieldBox(
            148.5, 130, font_size=17, italic=True, max_width_mm=230, max_lines=3, line_height_mm=8
        ),
        "place_date": FieldBox(210, 160, font_size=14, italic=True, max_width_mm=110),
        # decision and register number share a left edge, so the numbers line up
        "decision": FieldBox(20, 182, font_size=12, align="left", max_width_mm=110),
        "book_number": FieldBox(20, 189, font_size=12, align="left", max_width_mm=110),
    },
)


def _style(box: FieldBox) -> str:
    return ("B" if box.bold else "") + ("I" if box.italic else "")


def _wrap(pdf: FPDF, text: str, width_mm: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and pdf.get_string_width(candidate) > width_mm:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _fit(pdf: FPDF, text: str, box: FieldBox) -> tuple[float, list[str]]:
    """The largest size from `box.font_size` down to `box.min_font_size` at which the text fits."""
    size = box.font_size
    style = _style(box)
    while True:
        pdf.set_font(FAMILY, style, size)
        if box.max_lines == 1:
            width = pdf.get_string_width(text)
            if width <= box.max_width_mm or size <= box.min_font_size:
                return size, [text]
            # jump straight to the size that fits, then let the loop confirm it
            size = max(box.min_font_size, math.floor(size * box.max_width_mm / width * 2) / 2)
            continue
        lines = _wrap(pdf, text, box.max_width_mm)
        if len(lines) <= box.max_lines or size <= box.min_font_size:
            return size, lines
        size = max(box.min_font_size, size - 0.5)


def _draw_field(pdf: FPDF, layout: CertificateLayout, box: FieldBox, text: str) -> None:
    size, lines = _fit(pdf, text, box)
    line_height = box.line_height_mm or size * _PT_MM * 1.2
    y = box.y_mm + layout.offset_y_mm
    for line in lines:
        width = pdf.get_string_width(line)
        x = box.x_mm + layout.offset_x_mm
        if box.align == "center":
            x -= width / 2
        elif box.align == "right":
            x -= width
        pdf.text(x, y, line)
        y += line_height


def render_certificates(
    layout: CertificateLayout,
    records: Iterable[Mapping[str, str]],
    *,
    guides: bool = False,
) -> bytes:
    """One page per record; a record maps field names to texts (keys not in the layout are ignored,
    empty values leave the field blank). `guides` draws each field's box and name in grey, for a
    test print on plain paper when adjusting the layout."""
    pdf = _new_pdf(layout.orientation, layout.page_mm())
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(layout.name)
    count = 0
    for record in records:
        pdf.add_page()
        count += 1
        if guides:
            _draw_guides(pdf, layout)
        for name, box in layout.fields.items():
            value = record.get(name)
            if value:
                _draw_field(pdf, layout, box, _nfc(" ".join(str(value).split())))
    if count == 0:
        raise ValueError("Không có giấy khen, bằng khen nào để in")
    return bytes(pdf.output())


def _draw_guides(pdf: FPDF, layout: CertificateLayout) -> None:
    pdf.set_draw_color(170, 170, 170)
    pdf.set_text_color(150, 150, 150)
    pdf.set_line_width(0.2)
    for name, box in layout.fields.items():
        height = (box.line_height_mm or box.font_size * _PT_MM * 1.2) * box.max_lines
        left = box.x_mm + layout.offset_x_mm
        if box.align == "center":
            left -= box.max_width_mm / 2
        elif box.align == "right":
            left -= box.max_width_mm
        top = box.y_mm + layout.offset_y_mm - box.font_size * _PT_MM
        pdf.rect(left, top, box.max_width_mm, height)
        pdf.set_font(FAMILY, "", 7)
        pdf.text(left + 1, top - 1, name)
    pdf.set_text_color(0, 0, 0)


# --- a simple official document ---------------------------------------------------------------------


class _OfficialPDF(FPDF):
    def header(self) -> None:
        # NĐ 30: page numbers centred in the top margin, not on the first page
        if self.page_no() > 1:
            self.set_font(FAMILY, "", 13)
            self.set_xy(self.l_margin, 10)
            self.cell(self.epw, 6, str(self.page_no()), align="C")
            self.set_y(self.t_margin)


def _line_under(pdf: FPDF, center_x: float, y: float, length: float) -> None:
    pdf.set_line_width(0.3)
    pdf.line(center_x - length / 2, y, center_x + length / 2, y)


def render_official_pdf(document: OfficialDocument) -> bytes:
    """A PDF of a simple official document with the NĐ 30 layout (header, title, body, tables,
    Nơi nhận and signature, annexes). For exact Word output use `docx_render`; this is for
    read-only copies and previews where LibreOffice is not available."""
    pdf = _OfficialPDF(orientation="P", unit="mm", format="A4")
    for style, path in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_lang("vi-VN")
    pdf.set_creator("ThiĐua")
    pdf.set_title(_nfc(document.title or document.subject or document.number_symbol))
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(True, 20)
    pdf.c_margin = 0
    pdf.add_page()

    left_w, right_w = 72.0, pdf.epw - 72.0
    left_x, right_x = pdf.l_margin, pdf.l_margin + left_w
    top = pdf.t_margin
    # left column: parent body, issuer, line
    pdf.set_xy(left_x, top)
    if document.parent_body:
        pdf.set_font(FAMILY, "", 13)
        parent = upper(break_issuer(document.parent_body, bold=False))
        pdf.multi_cell(left_w, 5.5, parent, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 13)
    issuer = upper(break_issuer(document.issuer))
    pdf.multi_cell(left_w, 5.5, issuer, align="C", new_x="LEFT", new_y="NEXT")
    issuer_w = max(pdf.get_string_width(line) for line in issuer.split("\n"))
    left_bottom = pdf.get_y() + 1
    _line_under(pdf, left_x + left_w / 2, left_bottom, min(issuer_w, left_w) * 0.4)
    # right column: Quốc hiệu, Tiêu ngữ, line as long as the motto
    pdf.set_xy(right_x, top)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(right_w, 5.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 13)
    motto = "Độc lập - Tự do - Hạnh phúc"
    pdf.cell(right_w, 5.5, motto, align="C", new_x="LEFT", new_y="NEXT")
    _line_under(pdf, right_x + right_w / 2, pdf.get_y() + 1, pdf.get_string_width(motto))
    row_y = max(left_bottom, pdf.get_y() + 1) + 3
    pdf.set_xy(left_x, row_y)
    pdf.set_font(FAMILY, "", 13)
    pdf.cell(left_w, 6, document.number_line, align="C", new_x="LEFT", new_y="NEXT")
    if document.subject and not document.type_label:
        subject = document.subject if document.subject.startswith("V/v") else f"V/v {document.subject}"
        pdf.set_font(FAMILY, "", 12)
        pdf.set_y(pdf.get_y() + 2)
        pdf.set_x(left_x)
        pdf.multi_cell(left_w, 5, _nfc(subject), align="C", new_x="LEFT", new_y="NEXT")
    after_left = pdf.get_y()
    pdf.set_xy(right_x, row_y)
    pdf.set_font(FAMILY, "I", 14)
    place_date = (
        document.place_date
        if document.date or document.date_text
        else f"{document.place}, ngày ... tháng ... năm ..."
    )
    pdf.cell(right_w, 6, place_date, align="C")
    pdf.set_y(max(after_left, row_y + 6) + 6)

    text_x, text_w = pdf.l_margin, pdf.epw
    if document.type_label:
        pdf.set_font(FAMILY, "B", 14)
        pdf.cell(text_w, 7, upper(document.type_label), align="C", new_x="LMARGIN", new_y="NEXT")
        if document.title:
            pdf.multi_cell(text_w, 7, _nfc(document.title), align="C", new_x="LMARGIN", new_y="NEXT")
            title_w = min(pdf.get_string_width(_nfc(document.title)), text_w)
        else:
            title_w = pdf.get_string_width(upper(document.type_label))
        _line_under(pdf, text_x + text_w / 2, pdf.get_y() + 1, title_w * 0.4)
        pdf.set_y(pdf.get_y() + 4)
    if document.authority_line:
        pdf.set_font(FAMILY, "B", 14)
        pdf.multi_cell(text_w, 7, upper(document.authority_line), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.get_y() + 2)
    if document.addressees:
        pdf.set_font(FAMILY, "", 14)
        items = punctuate_list(list(document.addressees))
        if len(items) == 1:
            pdf.multi_cell(text_w, 7, f"Kính gửi: {items[0]}", align="C", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_x(text_x + 30)
            pdf.cell(20, 7, "Kính gửi:", new_x="LMARGIN", new_y="NEXT")
            for item in items:
                pdf.set_x(text_x + 50)
                pdf.multi_cell(text_w - 50, 7, f"- {item}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(pdf.get_y() + 2)

    def paragraph(parts: list[tuple[str, str]], align: str = "J", indent: float = 12.7) -> None:
        columns = pdf.text_columns(text_align=align, line_height=1.2)
        with columns, columns.paragraph(first_line_indent=indent, bottom_margin=2) as par:
            for style, text in parts:
                pdf.set_font(FAMILY, style, 14)
                par.write(_nfc(text))

    for line in punctuate_list(list(document.legal_bases)):
        paragraph([("I", line)])
    if document.decision_word:
        pdf.set_font(FAMILY, "B", 14)
        pdf.cell(text_w, 8, _nfc(document.decision_word), align="C", new_x="LMARGIN", new_y="NEXT")

    def block(item: object) -> None:
        if isinstance(item, str):
            paragraph([("", item)])
        elif isinstance(item, Paragraph):
            style = ("B" if item.bold else "") + ("I" if item.italic else "")
            align = {"left": "L", "center": "C", "right": "R", "justify": "J"}[item.align]
            paragraph([(style, item.text)], align=align, indent=12.7 if item.indent else 0)
        elif isinstance(item, Article):
            heading = f"{item.label} {item.title}".strip()
            parts = [("B", heading)]
            if item.text:
                parts.append(("", " " + item.text))
            paragraph(parts)
            for clause in item.clauses:
                paragraph([("", clause)])
        elif isinstance(item, Table):
            _pdf_table(pdf, item)

    for body_block in document.body:
        block(body_block)

    if document.recipients or document.signature or document.confirmation:
        pdf.set_y(pdf.get_y() + 4)
        if pdf.get_y() > pdf.h - 80:
            pdf.add_page()
        start = pdf.get_y()
        if document.recipients:
            pdf.set_font(FAMILY, "BI", 12)
            pdf.cell(80, 6, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FAMILY, "", 11)
            for item in punctuate_list(list(document.recipients), bullet="- "):
                pdf.multi_cell(80, 5, item, new_x="LMARGIN", new_y="NEXT")
        elif document.confirmation:
            pdf.set_font(FAMILY, "B", 14)
            for line in document.confirmation.lines:
                pdf.multi_cell(80, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(pdf.get_y() + 25)
            pdf.cell(80, 7, _nfc(document.confirmation.signer_name), align="C")
        if document.signature:
            sig_x, sig_w = text_x + 80, text_w - 80
            pdf.set_xy(sig_x, start)
            pdf.set_font(FAMILY, "B", 14)
            for line in document.signature.lines:
                pdf.cell(sig_w, 7, line, align="C", new_x="LEFT", new_y="NEXT")
            pdf.set_xy(sig_x, pdf.get_y() + 25)
            pdf.cell(sig_w, 7, _nfc(document.signature.signer_name), align="C")

    for annex in document.annexes:
        pdf.add_page()
        pdf.set_font(FAMILY, "B", 14)
        pdf.cell(text_w, 7, _nfc(annex.label), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(text_w, 7, upper(annex.title), align="C", new_x="LMARGIN", new_y="NEXT")
        if annex.subtitle:
            pdf.set_font(FAMILY, "I", 14)
            pdf.multi_cell(text_w, 7, _nfc(annex.subtitle), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "B", 14)
        _line_under(
            pdf,
            text_x + text_w / 2,
            pdf.get_y() + 1,
            min(pdf.get_string_width(upper(annex.title)), text_w) * 0.4,
        )
        pdf.set_y(pdf.get_y() + 5)
        for annex_block in annex.blocks:
            block(annex_block)
    return bytes(pdf.output())


def _cell_lines(pdf: FPDF, text: str, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = _wrap(pdf, paragraph, width)
        # a single word wider than the cell is left to overflow rather than cut
        lines += wrapped or [""]
    return lines


def _pdf_table(pdf: FPDF, table: Table) -> None:
    """A bordered table drawn directly (fpdf2's table engine needs ~4 ms a row; this ~0.2 ms):
    bold header repeated after each page break, rows never split, integers as 2.340.000."""
    widths = [c.width_mm for c in table.columns]
    total_width = sum(widths)
    left = pdf.l_margin + max(0.0, (pdf.epw - total_width) / 2)
    size = table.font_size
    line_h = size * _PT_MM * 1.25
    pad = 1.2
    bottom = pdf.h - pdf.b_margin
    pdf.set_line_width(0.2)

    def draw_row(values: list[str], bold: bool, header: bool) -> None:
        pdf.set_font(FAMILY, "B" if bold else "", size)
        cells = [_cell_lines(pdf, v, w - 2 * pad) for v, w in zip(values, widths, strict=False)]
        height = max(len(lines) for lines in cells) * line_h + 2 * pad
        if pdf.get_y() + height > bottom:
            pdf.add_page()
            if not header:
                draw_row([_nfc(c.header) for c in table.columns], True, True)
            pdf.set_font(FAMILY, "B" if bold else "", size)
        top = pdf.get_y()
        x = left
        for column, width, lines in zip(table.columns, widths, cells, strict=False):
            pdf.rect(x, top, width, height)
            # centre the block of lines vertically, as the .docx does
            y = top + (height - len(lines) * line_h) / 2 + line_h * 0.78
            align = "center" if header else column.align
            for line in lines:
                text_w = pdf.get_string_width(line)
                if align == "center":
                    tx = x + (width - text_w) / 2
                elif align == "right":
                    tx = x + width - pad - text_w
                else:
                    tx = x + pad
                if line:
                    pdf.text(tx, y, line)
                y += line_h
            x += width
        pdf.set_y(top + height)

    draw_row([_nfc(c.header) for c in table.columns], True, True)
    for values in table.rows:
        draw_row([format_cell(v) for v in values], False, False)
    if table.total_row is not None:
        draw_row([format_cell(v) for v in table.total_row], True, False)
    pdf.set_x(pdf.l_margin)
    pdf.set_y(pdf.get_y() + 3)
