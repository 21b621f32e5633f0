"""Open generated files in LibreOffice, as a clerk would, and read the pages back: page count, where
each word sits (poppler's `pdftotext -bbox`). Tests using it are skipped only when LibreOffice is absent."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_libreoffice = pytest.mark.skipif(
    LIBREOFFICE is None or PDFTOTEXT is None, reason="LibreOffice (and poppler-utils) are not installed"
)


def _has_calc() -> bool:
    """Whether the LibreOffice found has Calc: a Writer-only install (Debian's `libreoffice-writer-nogui`
    alone) opens .docx but leaves an .xlsx unconverted, without an error."""
    if LIBREOFFICE is None:
        return False
    program = Path(os.path.realpath(LIBREOFFICE)).parent
    return (program / "libsclo.so").exists() or any(program.glob("libsclo*"))


needs_libreoffice_calc = pytest.mark.skipif(
    PDFTOTEXT is None or not _has_calc(),
    reason="LibreOffice Calc (and poppler-utils) are not installed: spreadsheets cannot be laid out",
)

MM = 72 / 25.4
FONTS = Path(__file__).resolve().parent.parent / "fonts"


def libreoffice_env(folder: Path) -> dict[str, str]:
    """The environment for a LibreOffice run that lays text out in the fonts the project ships.

    A fontconfig file puts `thidua/documents/fonts` (Liberation Serif 2.1.5, with every Vietnamese glyph)
    before the machine's fonts, so "Times New Roman" resolves to it whatever the machine has installed
    (Debian's older fonts-liberation 1.07 lacks some glyphs and splits words on them)."""
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{FONTS}</dir>\n"
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <cachedir>{folder / 'fontcache'}</cachedir>\n"
        '  <alias binding="same"><family>Times New Roman</family><prefer><family>Liberation Serif</family>'
        "</prefer></alias>\n"
        "  <selectfont><rejectfont><glob>/usr/share/fonts/truetype/liberation/LiberationSerif*</glob>"
        "</rejectfont></selectfont>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def has(self, phrase: str) -> bool:
        return phrase in self.text


def to_pdf(files: dict[str, bytes], folder: Path) -> dict[str, list[Page]]:
    """Convert every file (name → content) with one LibreOffice run; the pages of each, read back."""
    assert LIBREOFFICE is not None and PDFTOTEXT is not None
    paths = []
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content)
        paths.append(str(path))
    run = subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation=file://{folder}/profile",  # its own profile: no running instance swallows it
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *paths,
        ],
        check=True,
        capture_output=True,
        timeout=600,
        env=libreoffice_env(folder),
    )
    missing = [name for name in files if not (folder / (Path(name).stem + ".pdf")).exists()]
    if missing:  # LibreOffice exits 0 when it has no filter for a file (Calc absent, say)
        raise AssertionError(
            f"LibreOffice made no PDF of {missing}: {run.stderr.decode(errors='replace')[-500:]}"
        )
    out: dict[str, list[Page]] = {}
    for name in files:
        pdf = folder / (Path(name).stem + ".pdf")
        html = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
        out[name] = [
            Page(
                float(w),
                float(h),
                [
                    Word(unescape(t), float(a), float(b), float(c), float(d))
                    for a, b, c, d, t in _WORD.findall(body)
                ],
            )
            for w, h, body in _PAGE.findall(html.stdout)
        ]
    return out


def page_of(pages: list[Page], phrase: str) -> int:
    """The index of the first page holding `phrase` (words joined by spaces)."""
    for index, page in enumerate(pages):
        if page.has(phrase):
            return index
    raise AssertionError(f"“{phrase}” is on no page")


def outside(pages: list[Page], *, left_mm: float, right_mm: float) -> list[str]:
    """Words that run past the text area (a cell's text spilling out of a table overflows the margins)."""
    bad = []
    for number, page in enumerate(pages, start=1):
        for w in page.words:
            if w.x0 < left_mm * MM - 2 or w.x1 > page.width - right_mm * MM + 2:
                bad.append(f"trang {number}: {w.text}")
    return bad
