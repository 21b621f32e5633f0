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
    "format_cell",
    "punctuate_list",
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


Block = str | Paragraph | Article | Table


@dataclass(frozen=True)
class Annex:
    """An annex on its own page: "Phụ lục" label, title in capitals, "(Kèm theo …)" line, content."""

    title: str
    label: str = "Phụ lục"
    subtitle: str = ""
    blocks: Sequence[Block] = ()


@dataclass(frozen=True)
class Signature:
    """The signature block: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" / (space) / "Nguyễn Văn A".

    `prefix` is the authority (TM., KT., Q., TL., TUQ.) and `on_behalf_of` who it acts for;
    with no prefix only `position` is printed above the name.
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
