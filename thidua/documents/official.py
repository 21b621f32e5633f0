"""An official document as pure data (Nghị định 30/2020/NĐ-CP layout), shared by the renderers.

A builder (a movement's launching plan, a year-end decision…) fills an `OfficialDocument`;
`docx_render.render_docx` and `pdf_render.render_official_pdf` turn it into a file. The
dataclasses hold text only; the renderers own fonts, sizes and positions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from thidua.documents.vnwords import date_line
from thidua.lib.numbers import format_number

__all__ = [
    "Align",
    "Annex",
    "Article",
    "Block",
    "CellText",
    "Column",
    "OfficialDocument",
    "Paragraph",
    "Signature",
    "Table",
    "break_issuer",
    "format_cell",
    "punctuate_list",
    "signature_block",
    "stt_width",
    "upper",
]

Align = Literal["left", "center", "right", "justify"]
AuthorityPrefix = Literal["", "TM.", "KT.", "Q.", "TL.", "TUQ."]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_PLACEHOLDER_SPLIT = re.compile(r"(\{\{[^{}]*\}\})")


def upper(text: str) -> str:
    """Upper case, NFC, leaving "{{ placeholders }}" of .docx templates untouched."""
    return "".join(
        part if part.startswith("{{") else part.upper() for part in _PLACEHOLDER_SPLIT.split(nfc(text))
    )


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph. By default justified with a first-line indent, as NĐ 30 asks."""

    text: str
    bold: bool = False
    italic: bool = False
    align: Align = "justify"
    indent: bool = True
    keep_with_next: bool = False
    keep_with_previous: bool = False
    """Stay on the page of the block before ("Bằng chữ: …" under the total of a table)."""


@dataclass(frozen=True)
class Article:
    """ "Điều 1. <title>" in bold, then its text; clauses ("1. …", "a) …") follow as paragraphs."""

    number: int
    text: str = ""
    title: str = ""
    clauses: Sequence[str] = ()

    @property
    def label(self) -> str:
        return f"Điều {self.number}."


@dataclass(frozen=True)
class Column:
    """A table column: header, width in millimetres and alignment of its cells."""

    header: str
    width_mm: float
    align: Align = "left"


CellText = str | int | None


def format_cell(value: CellText) -> str:
    """Integers (amounts in VND, counts) with "." between thousands, as Vietnamese documents write them."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    return nfc(str(value))


@dataclass(frozen=True)
class Table:
    """A bordered table with a bold header row repeated on every page, optional bold total row."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[CellText]]
    total_row: Sequence[CellText] | None = None
    font_size: float = 13
    keep_with_next: bool = False


Block = str | Paragraph | Article | Table


@dataclass(frozen=True)
class Annex:
    """An annex on its own page: "Phụ lục" label, title in capitals, "(Kèm theo …)" line, content."""

    title: str
    label: str = "Phụ lục"
    subtitle: str = ""
    blocks: Sequence[Block] = ()
    signature: Signature | None = None
    """A signature under the annex (a list signed on its own), kept with its last lines."""


@dataclass(frozen=True)
class Signature:
    """The signature block: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / (space) / "Nguyễn Văn A".

    `prefix` is the authority (TM., KT., Q., TL., TUQ.) and `on_behalf_of` who it acts for;
    with no prefix only `position` is printed above the name. Build one with `signature_block`.
    """

    position: str
    signer_name: str
    prefix: AuthorityPrefix = ""
    on_behalf_of: str = ""

    @property
    def lines(self) -> list[str]:
        # no prefix and an `on_behalf_of` is only used by templates ("{{ signature_authority }}")
        head = (
            [upper(f"{self.prefix} {self.on_behalf_of}".strip())]
            if (self.prefix or self.on_behalf_of)
            else []
        )
        return [*head, upper(self.position)] if self.position else head

    @property
    def authority(self) -> str:
        """The first line when there are two ("KT. GIÁM ĐỐC"), else empty."""
        lines = self.lines
        return lines[0] if len(lines) > 1 else ""

    @property
    def office(self) -> str:
        """The head's office the document is issued under ("Giám đốc", whoever signs for it); the
        collective for TM. This is what the authority line and the annex's "của …" name."""
        if self.prefix in ("KT.", "Q.", "TL.", "TUQ.", "TM.") and self.on_behalf_of:
            return self.on_behalf_of
        return self.position


_DEPUTY = re.compile(r"^(phó)\s+", re.IGNORECASE)
_ACTING = re.compile(r"^(quyền|q\.)\s*", re.IGNORECASE)
SIGNING_FORMS: dict[str, str] = {
    "": "Thủ trưởng ký trực tiếp",
    "KT.": "KT. — cấp phó ký thay cấp trưởng",
    "TM.": "TM. — thay mặt tập thể lãnh đạo",
    "Q.": "Q. — quyền cấp trưởng",
    "TL.": "TL. — thừa lệnh",
    "TUQ.": "TUQ. — thừa ủy quyền",
}
"""The signing forms of NĐ 30/2020 Phụ lục I, mục I.8, for forms and pages."""


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def signature_block(
    signer_title: str, signer_name: str, *, form: str = "", head_title: str = "", body: str = ""
) -> Signature:
    """The signature block for who signs, with the signing form of NĐ 30 (Phụ lục I, I.8):

    - "" (the head signs): "GIÁM ĐỐC"; a deputy's title ("Phó Giám đốc") makes it KT. by itself;
    - "KT.": "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" (the deputy's own title, or "Phó " + the head's);
    - "TM.": "TM. <body>" / the signer's title ("TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" / "CHỦ TỊCH");
    - "Q.": "Q. GIÁM ĐỐC" ("Quyền Giám đốc" read as such);
    - "TL.", "TUQ.": "TL. GIÁM ĐỐC" / the signer's title ("CHÁNH VĂN PHÒNG").

    `head_title` is the head's office ("Giám đốc"); by default it is read from a deputy's title.
    """
    title = " ".join(nfc(signer_title).split())
    head = " ".join(nfc(head_title).split())
    if not form and _DEPUTY.match(title):
        form = "KT."
    if form == "KT.":
        deputy = _DEPUTY.match(title)
        if not head:
            head = _upper_first(title[deputy.end() :]) if deputy else title
        position = title if deputy else f"Phó {_lower_first(head)}"
        return Signature(position=position, signer_name=signer_name, prefix="KT.", on_behalf_of=head)
    if form == "Q.":
        return Signature(
            position="", signer_name=signer_name, prefix="Q.", on_behalf_of=head or _ACTING.sub("", title)
        )
    if form in ("TL.", "TUQ."):
        return Signature(position=title, signer_name=signer_name, prefix=form, on_behalf_of=head)  # type: ignore[arg-type]
    if form == "TM.":
        return Signature(position=title, signer_name=signer_name, prefix="TM.", on_behalf_of=body)
    return Signature(position=title, signer_name=signer_name)


def stt_width(count: int, size: float = 13) -> float:
    """Millimetres an STT column needs for its header and its largest number ("5.000") on one line,
    the cell margins (1.5 mm a side) included."""
    from thidua.documents.fonts import text_width_pt

    widest = max(
        text_width_pt("STT", size, bold=True), text_width_pt(format_cell(max(count, 1)), size, bold=True)
    )
    return round(widest * 25.4 / 72 + 4.5, 1)


_LOCALITY = re.compile(
    r"\s+(?=(?:[Tt]hành phố|[Tt]ỉnh|[Kk]hu vực|[Cc]ơ sở|[Hh]uyện|[Qq]uận|[Tt]hị xã|[Xx]ã|[Pp]hường|[Đđ]ặc khu)"
    r"\s+[A-ZĐÀ-Ỹ0-9])"
)
HEADER_WIDTH_MM = 70.0
"""What the issuer's name may take on one line in the header's left column (72 mm wide)."""


def break_issuer(name: str, *, width_mm: float = HEADER_WIDTH_MM, size: float = 13, bold: bool = True) -> str:
    """The issuing body's name with the line break a clerk would put in the header:
    "Bảo hiểm xã hội\nthành phố Hà Nội" (before the locality), otherwise at the word that balances
    the lines, and only when the name does not fit on one line. A name that already holds a break
    is kept; placeholders are left alone."""
    from thidua.documents.fonts import text_width_pt

    text = " ".join(nfc(name).split())
    if "\n" in name or "{{" in text or not text:
        return nfc(name).strip()

    def fits(line: str) -> bool:
        return text_width_pt(line.upper(), size, bold=bold) * 25.4 / 72 <= width_mm

    match = _LOCALITY.search(text)
    if match is not None and match.start() > 0:
        return text[: match.start()] + "\n" + text[match.end() :]
    if fits(text):
        return text
    conjunction = text.find(" và ")
    if conjunction > 0 and fits(text[:conjunction]) and fits(text[conjunction + 1 :]):
        return text[:conjunction] + "\n" + text[conjunction + 1 :]
    dash = text.find(" - ")  # "Hội đồng Thi đua -" / "Khen thưởng": the dash stays at the end of a line
    if dash > 0 and fits(text[: dash + 2]) and fits(text[dash + 3 :]):
        return text[: dash + 2] + "\n" + text[dash + 3 :]
    words = text.split(" ")
    best, best_width = text, float("inf")
    for i in range(1, len(words)):
        if words[i] in ("-", "–"):  # never a line starting with a dash
            continue
        first, second = " ".join(words[:i]), " ".join(words[i:])
        width = max(
            text_width_pt(first.upper(), size, bold=bold), text_width_pt(second.upper(), size, bold=bold)
        )
        if width < best_width:
            best, best_width = first + "\n" + second, width
    return best


@dataclass(frozen=True)
class OfficialDocument:
    """Everything an NĐ 30 document prints, in reading order.

    For a công văn leave `type_label` empty and give `subject` (printed as "V/v …" under the
    number) and `addressees` ("Kính gửi: …"). `date=None` leaves the date blank for signing
    by hand ("ngày     tháng     năm 2025" needs `date_text`). Texts may carry "{{ … }}"
    placeholders when the document is used to make a .docx template.
    """

    issuer: str
    number_symbol: str
    place: str
    date: date | None
    parent_body: str = ""
    type_label: str = ""
    title: str = ""
    subject: str = ""
    addressees: Sequence[str] = ()
    authority_line: str = ""
    legal_bases: Sequence[str] = ()
    decision_word: str = ""
    body: Sequence[Block] = ()
    recipients: Sequence[str] = ()
    signature: Signature | None = None
    annexes: Sequence[Annex] = ()
    date_text: str | None = None
    confirmation: Signature | None = None
    """A second signature on the left, where Nơi nhận goes otherwise (a report confirmed by the
    head of the unit: "THỦ TRƯỞNG ĐƠN VỊ XÁC NHẬN, ĐỀ NGHỊ"); ignored when there are recipients."""

    @property
    def place_date(self) -> str:
        if self.date_text is not None:
            return nfc(self.date_text)
        if self.date is None:
            return f"{nfc(self.place)}, ngày      tháng      năm      "
        return date_line(self.place, self.date)

    @property
    def number_line(self) -> str:
        return f"Số: {nfc(self.number_symbol)}"


def _is_placeholder(text: str) -> bool:
    return text.rstrip().endswith("}}")


def punctuate_list(items: Sequence[str], *, bullet: str = "") -> list[str]:
    """Each item ends with ";" and the last with "." (Căn cứ lines, Nơi nhận). Placeholders are kept."""
    cleaned = [nfc(item).strip() for item in items if item.strip()]
    out: list[str] = []
    for i, item in enumerate(cleaned):
        if _is_placeholder(item):
            out.append(bullet + item)
            continue
        end = "." if i == len(cleaned) - 1 else ";"
        body = item.rstrip(";.,: ")
        if bullet and body.startswith(bullet.strip()):
            body = body[len(bullet.strip()) :].lstrip()
        out.append(f"{bullet}{body}{end}")
    return out
