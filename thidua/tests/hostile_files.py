"""Hostile spreadsheets for the import tests, built in memory: small files that would take a careless
reader gigabytes, cells far too long, Excel error values, infinite numbers."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from openpyxl import Workbook

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _replace_sheet(data: bytes, sheet_xml: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = sheet_xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in parts.items():
            target.writestr(name, body)
    return out.getvalue()


def workbook(headers: list[str], rows: list[list[Any]], sheet: str = "Nhân sự") -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def last_column_on_every_row(headers: list[str], rows: int = 10_000, sheet: str = "Nhân sự") -> bytes:
    """The fuzzing case of issue 16: ~100 KB, a cell in column XFD (16,384) on every row, and a
    <dimension> claiming A1:XFD{rows}."""
    cells = b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i).encode(), h.encode())
        for i, h in enumerate(headers)
    )
    body = b'<row r="1">' + cells + b'<c r="XFD1"><v>1</v></c></row>'
    body += b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="XFD%d"><v>1</v></c></row>' % (i, i, i, i)
        for i in range(2, rows + 1)
    )
    xml = HEAD + b'<dimension ref="A1:XFD%d"/><sheetData>' % rows + body + b"</sheetData></worksheet>"
    return _replace_sheet(workbook(headers, [], sheet), xml)


def with_raw_cells(headers: list[str], cells: dict[str, bytes], sheet: str = "Nhân sự") -> bytes:
    """A header row, then a second row whose cells are written as raw XML: {"B2": b'<v>1e999</v>'} or
    {"C2": b't="e"><v>#DIV/0!</v>'} (attributes before the '>' when the text starts with ' ')."""
    header = b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i).encode(), h.encode())
        for i, h in enumerate(headers)
    )
    row = b""
    for ref, inner in sorted(cells.items()):
        if inner.startswith(b" "):
            row += b'<c r="%s"%s</c>' % (ref.encode(), inner)
        else:
            row += b'<c r="%s">%s</c>' % (ref.encode(), inner)
    xml = (
        HEAD
        + b'<sheetData><row r="1">'
        + header
        + b'</row><row r="2">'
        + row
        + b"</row></sheetData></worksheet>"
    )
    return _replace_sheet(workbook(headers, [], sheet), xml)


def zip_bomb(megabytes: int = 60) -> bytes:
    """A valid-looking package whose sheet unzips to `megabytes` MB of spaces."""
    xml = HEAD + b"<sheetData>" + b" " * (megabytes * 1024 * 1024) + b"</sheetData></worksheet>"
    return _replace_sheet(workbook(["A"], []), xml)
