"""Fill a user's .docx template: `{{ field }}` placeholders and repeated rows.

The merge is deliberately small (no expressions, no conditions), so an officer can edit a
template in Word or LibreOffice without learning a template language:

- `{{ name }}` or `{{ a.b }}` is replaced by the value from the context (dotted names look
  into nested mappings or attributes). Formatting is kept from the first character of the
  placeholder, so a bold placeholder gives bold text.
- `{{ list[].field }}` repeats once per item of `list`: the whole table row when the
  placeholder's cell holds just that one paragraph (an annex list), otherwise its paragraph
  ("Nơi nhận" lines, "Căn cứ" lines, articles). `{{ list[].# }}` is the item's ordinal
  (1, 2, 3…). An empty list removes the row or paragraph.
- Values: text as is (NFC), integers with "." between thousands (2.340.000), dates as
  dd/mm/yyyy, None as nothing. A line break in a value becomes a line break in the document.
- A placeholder whose name is not in the context is an error (`TemplateError`, in Vietnamese),
  so a misspelt field is caught when the template is uploaded (`check_template`) or used.

Word often splits what the user typed into several runs ("{{ ho_", "ten }}"); the merge works
on the paragraph's text and writes the result back into the runs, so that does not matter.
Placeholders are looked for in the body, tables, headers and footers.
"""

from __future__ import annotations

import copy
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from docx import Document
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from lxml.etree import _Element

from thidua.lib.numbers import format_number

__all__ = ["PLACEHOLDER_RE", "TemplateError", "check_template", "render_docx_template", "template_fields"]

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_LIST_FIELD_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\[\]\.(#|[A-Za-z_][A-Za-z0-9_.]*)$")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_PART_NAMES = re.compile(r"^/word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

TemplateSource = str | Path | bytes | BinaryIO
Resolver = Callable[[str], str]


class TemplateError(ValueError):
    """The template and the data do not fit; the message is for the user, in Vietnamese."""


def format_value(value: object) -> str:
    """How a context value is written into the document."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value))


def _lookup(context: object, dotted: str) -> object:
    current = context
    for key in dotted.split("."):
        if isinstance(current, Mapping):
            if key not in current:
                raise KeyError(dotted)
            current = current[key]
        elif hasattr(current, key) and not key.startswith("_"):
            current = getattr(current, key)
        else:
            raise KeyError(dotted)
    return current


def _open(source: TemplateSource) -> object:
    if isinstance(source, bytes):
        return Document(io.BytesIO(source))
    if isinstance(source, Path):
        return Document(str(source))
    return Document(source)


def _xml_parts(document: object) -> Iterator[_Element]:
    package = document.part.package  # type: ignore[attr-defined]
    for part in package.iter_parts():
        if isinstance(part, XmlPart) and _PART_NAMES.match(str(part.partname)):
            yield part.element


def _own_texts(paragraph: _Element) -> list[_Element]:
    """The w:t elements of this paragraph, not those of paragraphs nested in text boxes."""
    return [t for t in paragraph.iter(qn("w:t")) if next(t.iterancestors(qn("w:p")), None) is paragraph]


def _paragraph_text(paragraph: _Element) -> str:
    return "".join(t.text or "" for t in _own_texts(paragraph))


def _set_text(t: _Element, text: str) -> None:
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(_XML_SPACE, "preserve")


def _split_breaks(t: _Element) -> None:
    """Turn newlines in a w:t into w:br elements of the same run."""
    text = t.text or ""
    if "\n" not in text:
        return
    lines = text.split("\n")
    _set_text(t, lines[0])
    anchor = t
    for line in lines[1:]:
        br = t.makeelement(qn("w:br"), {})
        anchor.addnext(br)
        new_t = t.makeelement(qn("w:t"), {})
        _set_text(new_t, line)
        br.addnext(new_t)
        anchor = new_t


def _substitute_paragraph(paragraph: _Element, resolve: Resolver) -> None:
    texts = _own_texts(paragraph)
    if not texts:
        return
    full = "".join(t.text or "" for t in texts)
    if "{{" not in full:
        return
    matches = list(PLACEHOLDER_RE.finditer(full))
    if not matches:
        return
    starts: list[int] = []
    offset = 0
    for t in texts:
        starts.append(offset)
        offset += len(t.text or "")

    lengths = [len(t.text or "") for t in texts]

    def locate(position: int) -> int:
        # index of the w:t holding character `position` of the original text
        for i, start in enumerate(starts):
            if start <= position < start + lengths[i]:
                return i
        return len(texts) - 1

    touched: set[int] = set()
    for match in reversed(matches):
        value = resolve(match.group(1))
        first = locate(match.start())
        last = locate(match.end() - 1)
        first_text = texts[first].text or ""
        local_start = match.start() - starts[first]
        if first == last:
            local_end = match.end() - starts[first]
            _set_text(texts[first], first_text[:local_start] + value + first_text[local_end:])
        else:
            _set_text(texts[first], first_text[:local_start] + value)
            for middle in range(first + 1, last):
                _set_text(texts[middle], "")
            last_text = texts[last].text or ""
            _set_text(texts[last], last_text[match.end() - starts[last] :])
        touched.add(first)
    for index in touched:
        _split_breaks(texts[index])


def _names_in(element: _Element) -> list[str]:
    names: list[str] = []
    for paragraph in element.iter(qn("w:p")):
        names += [m.group(1) for m in PLACEHOLDER_RE.finditer(_paragraph_text(paragraph))]
    return names


def _list_names(names: Sequence[str]) -> set[str]:
    found = set()
    for name in names:
        match = _LIST_FIELD_RE.match(name)
        if match:
            found.add(match.group(1))
    return found


def _check_name(name: str) -> None:
    if not (_NAME_RE.match(name) or _LIST_FIELD_RE.match(name)):
        raise TemplateError(
            f"Trường “{{{{ {name} }}}}” trong mẫu không hợp lệ (chỉ dùng chữ không dấu, số, “_”, “.”)"
        )


def _repeat_unit(element: _Element) -> _Element:
    """What a list placeholder repeats: the table row when its cell holds only this paragraph
    (an annex list), otherwise the paragraph itself (a "Nơi nhận" cell with several lines)."""
    cell = next(element.iterancestors(qn("w:tc")), None)
    if cell is None or len(cell.findall(qn("w:p"))) > 1:
        return element
    row = next(cell.iterancestors(qn("w:tr")), None)
    return row if row is not None else element


def _global_resolver(context: Mapping[str, object]) -> Resolver:
    def resolve(name: str) -> str:
        _check_name(name)
        if _LIST_FIELD_RE.match(name):
            raise TemplateError(
                f"Trường danh sách “{{{{ {name} }}}}” phải nằm trong một dòng bảng hoặc một đoạn riêng"
            )
        try:
            return format_value(_lookup(context, name))
        except KeyError:
            raise TemplateError(f"Mẫu cần trường “{name}” nhưng dữ liệu không có") from None

    return resolve


def _item_resolver(list_name: str, index: int, item: object, fallback: Resolver) -> Resolver:
    def resolve(name: str) -> str:
        match = _LIST_FIELD_RE.match(name)
        if not match:
            return fallback(name)
        if match.group(1) != list_name:
            raise TemplateError(f"Một dòng chỉ lặp theo một danh sách: “{list_name}” và “{match.group(1)}”")
        field = match.group(2)
        if field == "#":
            return str(index + 1)
        try:
            return format_value(_lookup(item, field))
        except KeyError:
            raise TemplateError(f"Mục thứ {index + 1} của “{list_name}” không có trường “{field}”") from None

    return resolve


def _expand_repeats(root: _Element, context: Mapping[str, object], fallback: Resolver) -> list[_Element]:
    """Repeat each list's row or paragraph once per item; returns the tables whose every repeating row
    had an empty list (removed when nothing but the header row is left: a header alone says nothing)."""
    units: list[tuple[_Element, str]] = []
    seen: set[int] = set()
    for paragraph in list(root.iter(qn("w:p"))):
        lists = _list_names([m.group(1) for m in PLACEHOLDER_RE.finditer(_paragraph_text(paragraph))])
        if not lists:
            continue
        unit = _repeat_unit(paragraph)
        if id(unit) in seen:
            continue
        all_lists = _list_names(_names_in(unit))
        if len(all_lists) > 1:
            raise TemplateError(
                f"Một dòng chỉ lặp theo một danh sách, ở đây có: {', '.join(sorted(all_lists))}"
            )
        seen.add(id(unit))
        units.append((unit, next(iter(all_lists))))
    filled: dict[int, bool] = {}
    tables: dict[int, _Element] = {}
    for unit, list_name in units:
        try:
            items = _lookup(context, list_name)
        except KeyError:
            raise TemplateError(f"Mẫu cần danh sách “{list_name}” nhưng dữ liệu không có") from None
        if isinstance(items, str | bytes | Mapping) or not isinstance(items, Sequence):
            raise TemplateError(f"“{list_name}” phải là một danh sách")
        if unit.tag == qn("w:tr"):
            table = unit.getparent()
            if table is not None:
                tables[id(table)] = table
                filled[id(table)] = filled.get(id(table), False) or bool(items)
        for index, item in enumerate(items):
            clone = copy.deepcopy(unit)
            resolve = _item_resolver(list_name, index, item, fallback)
            for paragraph in clone.iter(qn("w:p")):
                _substitute_paragraph(paragraph, resolve)
            if clone.tag == qn("w:p"):
                _substitute_paragraph(clone, resolve)
            unit.addprevious(clone)
        parent = unit.getparent()
        if parent is not None:
            parent.remove(unit)
    return [table for key, table in tables.items() if not filled[key]]


def _only_placeholders(text: str) -> bool:
    return bool(PLACEHOLDER_RE.search(text)) and not PLACEHOLDER_RE.sub("", text).strip()


def _drop_empty_columns(root: _Element, resolve: Resolver) -> None:
    """A column whose header cell is one placeholder that comes out empty is removed, its width given
    to the column before (the money column of a decision that grants no money)."""
    for table in list(root.iter(qn("w:tbl"))):
        rows = table.findall(qn("w:tr"))
        if not rows:
            continue
        header = rows[0].findall(qn("w:tc"))
        drop = []
        for index, cell in enumerate(header):
            text = "".join(_paragraph_text(p) for p in cell.findall(qn("w:p"))).strip()
            match = PLACEHOLDER_RE.fullmatch(text)
            if match and not _LIST_FIELD_RE.match(match.group(1)) and resolve(match.group(1)) == "":
                drop.append(index)
        if not drop or len(drop) == len(header):
            continue
        grid = table.find(qn("w:tblGrid"))
        columns = grid.findall(qn("w:gridCol")) if grid is not None else []
        for index in reversed(drop):
            if index < len(columns) and grid is not None:
                width = int(columns[index].get(qn("w:w")) or 0)
                target = columns[index - 1] if index > 0 else columns[min(index + 1, len(columns) - 1)]
                target.set(qn("w:w"), str(int(target.get(qn("w:w")) or 0) + width))
                grid.remove(columns[index])
            for row in rows:
                cells = row.findall(qn("w:tc"))
                if len(cells) == len(header):
                    neighbour = cells[index - 1] if index > 0 else cells[index + 1]
                    _widen(neighbour, cells[index])
                    row.remove(cells[index])


def _widen(cell: _Element, removed: _Element) -> None:
    width = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    extra = removed.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
    if width is not None and extra is not None:
        width.set(qn("w:w"), str(int(width.get(qn("w:w")) or 0) + int(extra.get(qn("w:w")) or 0)))


def _fill(root: _Element, resolve: Resolver) -> None:
    """Fill every placeholder. A paragraph made only of placeholders that all come out empty is
    removed (an empty parent body, no "Bằng chữ" line without money), as is a table row made only of
    them (a total row without money); a cell keeps one paragraph."""
    emptied: list[_Element] = []
    for paragraph in list(root.iter(qn("w:p"))):
        only = _only_placeholders(_paragraph_text(paragraph))
        _substitute_paragraph(paragraph, resolve)
        if only and not _paragraph_text(paragraph).strip():
            emptied.append(paragraph)
    gone = {id(p) for p in emptied}
    for row in list(root.iter(qn("w:tr"))):
        paragraphs = list(row.iter(qn("w:p")))
        if (
            paragraphs
            and any(id(p) in gone for p in paragraphs)
            and all(id(p) in gone or not _paragraph_text(p).strip() for p in paragraphs)
        ):
            parent = row.getparent()
            if parent is not None:
                parent.remove(row)
    for paragraph in emptied:
        parent = paragraph.getparent()
        if parent is None:
            continue
        if parent.tag == qn("w:tc") and len(parent.findall(qn("w:p"))) == 1:
            continue
        parent.remove(paragraph)


def render_docx_template(source: TemplateSource, context: Mapping[str, object]) -> bytes:
    """Fill `source` (path, bytes or stream of a .docx) with `context`; the result as bytes."""
    document = _open(source)
    resolve = _global_resolver(context)
    for root in _xml_parts(document):
        _drop_empty_columns(root, resolve)
        empty_tables = _expand_repeats(root, context, resolve)
        _fill(root, resolve)
        for table in empty_tables:  # nothing listed and no total left: only the header row remains
            parent = table.getparent()
            if parent is not None and len(table.findall(qn("w:tr"))) <= 1:
                parent.remove(table)
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def template_fields(source: TemplateSource) -> list[str]:
    """The placeholder names in a template, in order of first appearance, without duplicates."""
    document = _open(source)
    names: dict[str, None] = {}
    for root in _xml_parts(document):
        for name in _names_in(root):
            names.setdefault(name, None)
    return list(names)


def _broken_braces(source: TemplateSource) -> list[str]:
    """Paragraphs where a "{{" is never closed (or a "}}" never opened): the merge would leave them
    as they are, so the clerk would find the braces in the printed document."""
    problems: list[str] = []
    document = _open(source)
    for root in _xml_parts(document):
        for paragraph in root.iter(qn("w:p")):
            text = _paragraph_text(paragraph)
            rest = PLACEHOLDER_RE.sub("", text)
            if "{{" in rest or "}}" in rest:
                shown = " ".join(text.split())
                shown = shown if len(shown) <= 80 else shown[:77] + "…"
                problems.append(f"Trường chưa đóng hoặc chưa mở đúng “{{{{ … }}}}” trong đoạn: “{shown}”")
    return problems


def check_template(source: TemplateSource, available: Sequence[str] = ()) -> list[str]:
    """Problems with a template before it is saved: invalid or unknown placeholders, in Vietnamese.

    `available` lists the names the document's context provides (`list[].field` for list fields);
    empty means only the syntax is checked.
    """
    problems: list[str] = []
    try:
        fields = template_fields(source)
    except Exception:  # a corrupt upload: python-docx raises several kinds
        return ["Tệp không phải là tài liệu Word (.docx) hợp lệ"]
    problems += _broken_braces(source)
    known = set(available)
    for name in fields:
        try:
            _check_name(name)
        except TemplateError as error:
            problems.append(str(error))
            continue
        if known and name not in known and not name.endswith("[].#"):
            problems.append(f"Trường “{name}” không có trong dữ liệu của loại văn bản này")
    return problems
