"""Liberation Serif (SIL OFL 1.1), metric-compatible with Times New Roman; see LICENSE-LiberationSerif.txt.

`text_width_pt` measures a text as Times New Roman would set it, so the docx renderer can size
the lines under the issuer, the motto and the title without a layout engine.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).resolve().parent
FONT_FILES = {
    "": FONT_DIR / "LiberationSerif-Regular.ttf",
    "B": FONT_DIR / "LiberationSerif-Bold.ttf",
    "I": FONT_DIR / "LiberationSerif-Italic.ttf",
    "BI": FONT_DIR / "LiberationSerif-BoldItalic.ttf",
}


def style_key(bold: bool = False, italic: bool = False) -> str:
    return ("B" if bold else "") + ("I" if italic else "")


@cache
def _advances(style: str) -> tuple[dict[int, int], int, int]:
    font = TTFont(FONT_FILES[style], lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
    units_per_em = int(font["head"].unitsPerEm)
    space = widths.get(ord(" "), units_per_em // 4)
    font.close()
    return widths, units_per_em, space


def text_width_pt(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Width of `text` in points at `size`, unknown characters counted as a space."""
    widths, units_per_em, fallback = _advances(style_key(bold, italic))
    return sum(widths.get(ord(c), fallback) for c in text) * size / units_per_em
